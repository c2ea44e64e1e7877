using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// GOPI2001: a collection held by a static field or by a long-lived type (static class, singleton registration,
/// <c>[LazyStartup]</c> component) is added to but never removed from, cleared, reset or capacity-checked anywhere in
/// the compilation. Dictionaries used as memo caches are GOPI2002; producer queues are GOPI2005.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CollectionOnlyGrowsAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.GOPI2001_CollectionOnlyGrows];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start => CollectionUsageCollector.Register(
            start,
            static (_, kind, _) => kind is CollectionKind.Sequence or CollectionKind.Set or CollectionKind.Dictionary,
            needsSingletons: true,
            Report));
    }

    private static void Report(CollectionUsageCollector collector, CompilationAnalysisContext context)
    {
        foreach (var facts in collector.Facts)
        {
            if (facts.Kind is not (CollectionKind.Sequence or CollectionKind.Set or CollectionKind.Dictionary)
                || !facts.OnlyGrows()
                || GrowthRules.IsBoundedByKey(collector.Types, facts)
                || (facts.Kind == CollectionKind.Dictionary && facts.MemoGrowth)
                || !collector.IsLongLived(facts))
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.GOPI2001_CollectionOnlyGrows,
                facts.Storage.Locations[0],
                additionalLocations: facts.Growth,
                facts.Storage.Name));
        }
    }
}
