using System.Collections.Immutable;
using System.Linq;
using GopiAI.Toolkit.Analyzers.Common;
using GopiAI.Toolkit.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Usage;

/// <summary>
/// Checks the shape of <c>[Cached]</c> and <c>[Monitored]</c> methods: partial (GOPI0001), a matching Core method
/// (GOPI0002, GOPI0003), a supported signature (GOPI0004) and parameters that can be passed through (GOPI0005). The
/// rules themselves are <see cref="PartialMethodRules"/>, shared with the generator, which skips exactly these methods.
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
            if (KnownTypes.TryCreate(start.Compilation) is { HasToolkitAttributes: true } known)
            {
                start.RegisterSymbolAction(c => Analyze(c, known), SymbolKind.Method);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, KnownTypes known)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.PartialDefinitionPart is not null)
        {
            return;
        }

        var isCached = KnownTypes.FindAttribute(method, known.CachedAttribute) is not null;
        if (!isCached && KnownTypes.FindAttribute(method, known.MonitoredAttribute) is null)
        {
            return;
        }

        var attributeName = isCached ? "Cached" : "Monitored";
        var location = method.Locations[0];
        var shape = PartialMethodRules.Check(method, isCached, IsGenerated, context.CancellationToken);
        foreach (var finding in shape.Findings)
        {
            context.ReportDiagnostic(Report(finding, method, attributeName, location, context));
        }
    }

    private static Diagnostic Report(PartialMethodFinding finding, IMethodSymbol method, string attributeName, Location location, SymbolAnalysisContext context)
    {
        var coreName = method.Name + "Core";
        var coreLocation = finding.Subject.Locations.FirstOrDefault(l => l.IsInSource) ?? location;
        return finding.Problem switch
        {
            PartialMethodProblem.NotPartial => Diagnostic.Create(
                Descriptors.GOPI0001_NotPartial,
                location,
                HasBody(method, context) ? UsageSyntax.Properties(UsageSyntax.FixMethodToPartial) : null,
                method.Name,
                attributeName),
            PartialMethodProblem.TypeNotPartial => Diagnostic.Create(
                Descriptors.GOPI0001_NotPartial, location, UsageSyntax.Properties(UsageSyntax.FixTypesPartial), finding.Subject.Name, attributeName),
            PartialMethodProblem.HasImplementation => Unsupported("it already has a hand-written implementation; put the body in '" + coreName + "' instead"),
            PartialMethodProblem.Generic => Unsupported("generic methods are not supported"),
            PartialMethodProblem.RefReturn => Unsupported("ref returns and ref struct results are not supported"),
            PartialMethodProblem.NoResultToCache => Unsupported("it returns no result to cache; return T, Task<T> or ValueTask<T>"),
            PartialMethodProblem.StructInstanceCache => Unsupported("instance methods of structs cannot hold a per-instance cache; make the method static"),
            PartialMethodProblem.UnsupportedParameter => Diagnostic.Create(
                Descriptors.GOPI0005_UnsupportedParameter,
                finding.Subject.Locations[0],
                finding.Subject.Name,
                method.Name,
                PartialMethodRules.UnsupportedParameterReason((IParameterSymbol)finding.Subject)),
            PartialMethodProblem.MissingCore => Diagnostic.Create(Descriptors.GOPI0002_MissingCore, location, method.Name, attributeName),
            PartialMethodProblem.CoreReturnMismatch => Diagnostic.Create(
                Descriptors.GOPI0003_CoreMismatch, coreLocation, coreName, "return '" + method.ReturnType.ToDisplayString() + "'", method.Name),
            _ => Diagnostic.Create(
                Descriptors.GOPI0003_CoreMismatch, coreLocation, coreName, method.IsStatic ? "be static" : "be an instance method", method.Name),
        };

        Diagnostic Unsupported(string reason) => Diagnostic.Create(Descriptors.GOPI0004_UnsupportedMethod, location, method.Name, attributeName, reason);
    }

    private static bool HasBody(IMethodSymbol method, SymbolAnalysisContext context) =>
        method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken) is MethodDeclarationSyntax { Body: not null } or MethodDeclarationSyntax { ExpressionBody: not null };

    private static bool IsGenerated(IMethodSymbol implementation) =>
        implementation.Locations.Any(l => l.SourceTree?.FilePath.Contains("GopiAI.Toolkit.Generators") == true);
}
