using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Usage;

/// <summary>
/// Checks the shape of <c>[Cached]</c> and <c>[Monitored]</c> methods: partial (GOPI0001), a matching Core method
/// (GOPI0002, GOPI0003), a supported signature (GOPI0004) and parameters that can be passed through (GOPI0005).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PartialMethodUsageAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.GOPI0001_NotPartial,
        Descriptors.GOPI0002_MissingCore,
        Descriptors.GOPI0003_CoreMismatch,
        Descriptors.GOPI0004_UnsupportedMethod,
        Descriptors.GOPI0005_UnsupportedParameter);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (UsageTypes.Create(start.Compilation) is { } types)
            {
                start.RegisterSymbolAction(c => Analyze(c, types), SymbolKind.Method);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, UsageTypes types)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.PartialDefinitionPart is not null)
        {
            return;
        }

        var isCached = UsageTypes.Find(method, types.Cached) is not null;
        if (!isCached && UsageTypes.Find(method, types.Monitored) is null)
        {
            return;
        }

        var attributeName = isCached ? "Cached" : "Monitored";
        var location = method.Locations[0];
        if (!method.IsPartialDefinition)
        {
            var hasBody = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken) is MethodDeclarationSyntax { Body: not null } or MethodDeclarationSyntax { ExpressionBody: not null };
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.GOPI0001_NotPartial, location,
                hasBody ? UsageSyntax.Properties(UsageSyntax.FixMethodToPartial) : null,
                method.Name, attributeName));
            return;
        }

        if (method.PartialImplementationPart is { } implementation && !IsGenerated(implementation))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0004_UnsupportedMethod, location, method.Name, attributeName, "it already has a hand-written implementation; put the body in '" + method.Name + "Core' instead"));
            return;
        }

        if (UsageSyntax.FirstNonPartial(method.ContainingType, context.CancellationToken) is { } nonPartial)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.GOPI0001_NotPartial, location, UsageSyntax.Properties(UsageSyntax.FixTypesPartial), nonPartial.Name, attributeName));
        }

        if (method.IsGenericMethod)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0004_UnsupportedMethod, location, method.Name, attributeName, "generic methods are not supported"));
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly || method.ReturnType.IsRefLikeType)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0004_UnsupportedMethod, location, method.Name, attributeName, "ref returns and ref struct results are not supported"));
        }

        if (isCached)
        {
            var isTask = types.IsTask(method.ReturnType, out var hasResult);
            if (method.ReturnsVoid || (isTask && !hasResult))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0004_UnsupportedMethod, location, method.Name, attributeName, "it returns no result to cache; return T, Task<T> or ValueTask<T>"));
            }

            if (!method.IsStatic && method.ContainingType.TypeKind != TypeKind.Class)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0004_UnsupportedMethod, location, method.Name, attributeName, "instance methods of structs cannot hold a per-instance cache; make the method static"));
            }
        }

        foreach (var parameter in method.Parameters)
        {
            var problem = parameter.RefKind switch
            {
                RefKind.Ref => "a ref parameter",
                RefKind.Out => "an out parameter",
                RefKind.In => "an in parameter",
                RefKind.RefReadOnlyParameter => "a ref readonly parameter",
                _ when parameter.Type.IsRefLikeType => "a ref struct",
                _ when parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer => "a pointer",
                _ => null,
            };
            if (problem is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0005_UnsupportedParameter, parameter.Locations[0], parameter.Name, method.Name, problem));
            }
        }

        if (!method.IsGenericMethod)
        {
            CheckCore(context, method, attributeName, location);
        }
    }

    private static void CheckCore(SymbolAnalysisContext context, IMethodSymbol method, string attributeName, Location location)
    {
        var coreName = method.Name + "Core";
        var core = method.ContainingType.GetMembers(coreName).OfType<IMethodSymbol>().FirstOrDefault(c =>
            !c.IsGenericMethod &&
            c.Parameters.Length == method.Parameters.Length &&
            c.Parameters.Zip(method.Parameters, (a, b) => a.RefKind == b.RefKind && SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(x => x));
        if (core is null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0002_MissingCore, location, method.Name, attributeName));
            return;
        }

        var coreLocation = core.Locations.FirstOrDefault(l => l.IsInSource) ?? location;
        if (!SymbolEqualityComparer.Default.Equals(core.ReturnType, method.ReturnType))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0003_CoreMismatch, coreLocation, coreName, "return '" + method.ReturnType.ToDisplayString() + "'", method.Name));
        }

        if (core.IsStatic != method.IsStatic)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI0003_CoreMismatch, coreLocation, coreName, method.IsStatic ? "be static" : "be an instance method", method.Name));
        }
    }

    private static bool IsGenerated(IMethodSymbol implementation) =>
        implementation.Locations.Any(l => l.SourceTree?.FilePath.Contains("GopiAI.Toolkit.Generators") == true);
}
