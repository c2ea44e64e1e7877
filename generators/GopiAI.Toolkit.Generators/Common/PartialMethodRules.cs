// Shared source: compiled into GopiAI.Toolkit.Generators (which skips a method whose shape has problems) and linked
// into GopiAI.Toolkit.Analyzers (which reports each problem as GOPI0001-GOPI0005). One definition, so the generator
// skips exactly what the analyzer reports.
using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GopiAI.Toolkit.Rules;

/// <summary>What is wrong with a <c>[Cached]</c>/<c>[Monitored]</c> partial method.</summary>
internal enum PartialMethodProblem
{
    /// <summary>The method is not a partial method without a body (GOPI0001).</summary>
    NotPartial,

    /// <summary>The partial method already has a hand-written implementation part (GOPI0004).</summary>
    HasImplementation,

    /// <summary>The containing type, or a type containing it, is not partial (GOPI0001); the subject is that type.</summary>
    TypeNotPartial,

    /// <summary>The method is generic (GOPI0004).</summary>
    Generic,

    /// <summary>The method returns by reference, or returns a ref struct or pointer (GOPI0004).</summary>
    RefReturn,

    /// <summary>A <c>[Cached]</c> method returns nothing to cache: void, Task or ValueTask (GOPI0004).</summary>
    NoResultToCache,

    /// <summary>A <c>[Cached]</c> instance method of a struct, which cannot hold a per-instance cache (GOPI0004).</summary>
    StructInstanceCache,

    /// <summary>A parameter cannot be passed through (GOPI0005); the subject is the parameter.</summary>
    UnsupportedParameter,

    /// <summary>No <c>{Name}Core</c> method with the same parameters (GOPI0002).</summary>
    MissingCore,

    /// <summary>The <c>{Name}Core</c> method returns another type (GOPI0003); the subject is the core method.</summary>
    CoreReturnMismatch,

    /// <summary>The <c>{Name}Core</c> method differs in static-ness (GOPI0003); the subject is the core method.</summary>
    CoreStaticMismatch,
}

/// <summary>One problem, with the symbol it is about (the method, a containing type, a parameter or the core method).</summary>
internal readonly struct PartialMethodFinding
{
    /// <summary>Creates the finding.</summary>
    public PartialMethodFinding(PartialMethodProblem problem, ISymbol subject)
    {
        Problem = problem;
        Subject = subject;
    }

    /// <summary>What is wrong.</summary>
    public PartialMethodProblem Problem { get; }

    /// <summary>The symbol the problem is about.</summary>
    public ISymbol Subject { get; }
}

/// <summary>The shape of a candidate partial method: its problems (none when the generator can implement it) and its core method.</summary>
internal sealed class PartialMethodShape
{
    /// <summary>Creates the shape.</summary>
    public PartialMethodShape(IMethodSymbol method, ImmutableArray<PartialMethodFinding> findings, IMethodSymbol? core)
    {
        Method = method;
        Findings = findings;
        Core = core;
    }

    /// <summary>The partial method.</summary>
    public IMethodSymbol Method { get; }

    /// <summary>Every problem found; empty when the generator can implement the method.</summary>
    public ImmutableArray<PartialMethodFinding> Findings { get; }

    /// <summary>The <c>{Name}Core</c> method with matching parameters, when there is one.</summary>
    public IMethodSymbol? Core { get; }

    /// <summary>True when nothing stops the generator from implementing the method.</summary>
    public bool IsValid => Findings.IsEmpty;
}

/// <summary>The rules a <c>[Cached]</c> or <c>[Monitored]</c> partial method must follow, written once.</summary>
internal static class PartialMethodRules
{
    /// <summary>
    /// Checks <paramref name="method"/>. <paramref name="isGeneratedImplementation"/> tells a generated implementation
    /// part (the generator's own output, seen by the analyzer) from a hand-written one; the generator, which never sees
    /// its own output while parsing, passes one that always answers false.
    /// </summary>
    public static PartialMethodShape Check(
        IMethodSymbol method,
        bool isCached,
        Func<IMethodSymbol, bool> isGeneratedImplementation,
        CancellationToken cancellationToken)
    {
        var findings = ImmutableArray.CreateBuilder<PartialMethodFinding>();
        if (!method.IsPartialDefinition)
        {
            findings.Add(new PartialMethodFinding(PartialMethodProblem.NotPartial, method));
            return new PartialMethodShape(method, findings.ToImmutable(), null);
        }

        if (method.PartialImplementationPart is { } implementation && !isGeneratedImplementation(implementation))
        {
            findings.Add(new PartialMethodFinding(PartialMethodProblem.HasImplementation, method));
            return new PartialMethodShape(method, findings.ToImmutable(), null);
        }

        if (FirstNonPartial(method.ContainingType, cancellationToken) is { } nonPartial)
        {
            findings.Add(new PartialMethodFinding(PartialMethodProblem.TypeNotPartial, nonPartial));
        }

        if (method.IsGenericMethod)
        {
            findings.Add(new PartialMethodFinding(PartialMethodProblem.Generic, method));
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly || method.ReturnType.IsRefLikeType ||
            method.ReturnType.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            findings.Add(new PartialMethodFinding(PartialMethodProblem.RefReturn, method));
        }

        if (isCached)
        {
            if (method.ReturnsVoid || IsTaskWithoutResult(method.ReturnType))
            {
                findings.Add(new PartialMethodFinding(PartialMethodProblem.NoResultToCache, method));
            }

            if (!method.IsStatic && method.ContainingType.TypeKind != TypeKind.Class)
            {
                findings.Add(new PartialMethodFinding(PartialMethodProblem.StructInstanceCache, method));
            }
        }

        foreach (var parameter in method.Parameters)
        {
            if (UnsupportedParameterReason(parameter) is not null)
            {
                findings.Add(new PartialMethodFinding(PartialMethodProblem.UnsupportedParameter, parameter));
            }
        }

        IMethodSymbol? core = null;
        if (!method.IsGenericMethod)
        {
            core = FindCore(method);
            if (core is null)
            {
                findings.Add(new PartialMethodFinding(PartialMethodProblem.MissingCore, method));
            }
            else
            {
                if (!SymbolEqualityComparer.Default.Equals(core.ReturnType, method.ReturnType))
                {
                    findings.Add(new PartialMethodFinding(PartialMethodProblem.CoreReturnMismatch, core));
                }

                if (core.IsStatic != method.IsStatic)
                {
                    findings.Add(new PartialMethodFinding(PartialMethodProblem.CoreStaticMismatch, core));
                }
            }
        }

        return new PartialMethodShape(method, findings.ToImmutable(), core);
    }

    /// <summary>Why a parameter cannot be passed through (<c>"a ref parameter"</c>...), or null when it can.</summary>
    public static string? UnsupportedParameterReason(IParameterSymbol parameter) => parameter.RefKind switch
    {
        RefKind.Ref => "a ref parameter",
        RefKind.Out => "an out parameter",
        RefKind.In => "an in parameter",
        RefKind.RefReadOnlyParameter => "a ref readonly parameter",
        _ when parameter.Type.IsRefLikeType => "a ref struct",
        _ when parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer => "a pointer",
        _ => null,
    };

    /// <summary>The <c>{Name}Core</c> method whose parameters match (types and ref kinds), whatever it returns.</summary>
    public static IMethodSymbol? FindCore(IMethodSymbol method)
    {
        IMethodSymbol? candidate = null;
        foreach (var member in method.ContainingType.GetMembers(method.Name + "Core"))
        {
            if (member is IMethodSymbol { IsGenericMethod: false } core &&
                core.Parameters.Length == method.Parameters.Length &&
                core.Parameters.Zip(method.Parameters, (a, b) => a.RefKind == b.RefKind && SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(x => x))
            {
                // Prefer the overload that also matches static-ness, so a matching one is never hidden by a mismatch.
                if (core.IsStatic == method.IsStatic)
                {
                    return core;
                }

                candidate ??= core;
            }
        }

        return candidate;
    }

    /// <summary>The first type in the chain (the type itself, then its containers) that is not declared partial.</summary>
    public static INamedTypeSymbol? FirstNonPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (!current.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword)))
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>Parses a <c>Ttl</c> string: an invariant <see cref="TimeSpan"/> greater than zero.</summary>
    public static bool TryParseTtl(string? text, out TimeSpan ttl) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out ttl) && ttl > TimeSpan.Zero;

    private static bool IsTaskWithoutResult(ITypeSymbol type) =>
        type is INamedTypeSymbol { Arity: 0, Name: "Task" or "ValueTask" } named &&
        named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";
}
