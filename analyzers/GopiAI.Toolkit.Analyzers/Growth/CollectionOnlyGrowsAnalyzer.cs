using System;
using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// GOPI2001: a collection held by a static field or by a long-lived type (static class, singleton registration,
/// <c>[LazyStartup]</c> component) is added to but never removed from, cleared, reset or capacity-checked anywhere in
/// the compilation. Dictionaries used as memo caches are GOPI2002; producer queues are GOPI2005. Live for private
/// fields of types long-lived by declaration; at compilation end otherwise.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CollectionOnlyGrowsAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [Descriptors.GOPI2001_CollectionOnlyGrows, Descriptors.GOPI2001_CollectionOnlyGrowsAtCompilationEnd];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        CollectionUsageCollector.Register(
            context,
            static (_, kind, _) => kind is CollectionKind.Sequence or CollectionKind.Set or CollectionKind.Dictionary,
            needsLongLived: true,
            Report);
    }

    private static void Report(CollectionUsageCollector collector, bool atCompilationEnd, Action<Diagnostic> report)
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

            report(Diagnostic.Create(
                atCompilationEnd ? Descriptors.GOPI2001_CollectionOnlyGrowsAtCompilationEnd : Descriptors.GOPI2001_CollectionOnlyGrows,
                facts.Storage.Locations[0],
                additionalLocations: facts.Growth,
                GrowthRules.Properties(facts),
                facts.Storage.Name));
        }
    }
}
