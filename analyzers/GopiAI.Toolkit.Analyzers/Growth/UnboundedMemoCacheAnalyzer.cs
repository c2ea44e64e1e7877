using System;
using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// GOPI2002: a <c>Dictionary</c> or <c>ConcurrentDictionary</c> in a long-lived field memoises results keyed by
/// method arguments (<c>GetOrAdd</c>, <c>TryAdd</c>, indexer set) and nothing ever evicts from it. Live for private
/// fields of types long-lived by declaration; at compilation end otherwise.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedMemoCacheAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [Descriptors.GOPI2002_UnboundedMemoCache, Descriptors.GOPI2002_UnboundedMemoCacheAtCompilationEnd];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        CollectionUsageCollector.Register(context, static (_, kind, _) => kind == CollectionKind.Dictionary, needsLongLived: true, Report);
    }

    private static void Report(CollectionUsageCollector collector, bool atCompilationEnd, Action<Diagnostic> report)
    {
        foreach (var facts in collector.Facts)
        {
            if (facts.Kind != CollectionKind.Dictionary
                || !facts.MemoGrowth
                || !facts.OnlyGrows()
                || GrowthRules.IsBoundedByKey(collector.Types, facts)
                || !collector.IsLongLived(facts))
            {
                continue;
            }

            report(Diagnostic.Create(
                atCompilationEnd ? Descriptors.GOPI2002_UnboundedMemoCacheAtCompilationEnd : Descriptors.GOPI2002_UnboundedMemoCache,
                facts.Storage.Locations[0],
                additionalLocations: facts.Growth,
                facts.Storage.Name));
        }
    }
}
