using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// GOPI2005 (info): a long-lived type holds an unbounded producer queue — a <c>Channel.CreateUnbounded</c> channel, a
/// <c>BlockingCollection</c> without a bounded capacity, or a <c>ConcurrentQueue</c> that is only ever enqueued to.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedProducerQueueAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.GOPI2005_UnboundedProducerQueue];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start => CollectionUsageCollector.Register(
            start,
            static (_, kind, _) => kind is CollectionKind.ProducerQueue or CollectionKind.BoundedAtCreation,
            needsSingletons: true,
            Report));
    }

    private static void Report(CollectionUsageCollector collector, CompilationAnalysisContext context)
    {
        foreach (var facts in collector.Facts)
        {
            if (facts.Kind == CollectionKind.BoundedAtCreation)
            {
                if (facts.Reset || facts.UnboundedCreations.IsEmpty || !collector.IsLongLived(facts))
                {
                    continue;
                }

                foreach (var creation in facts.UnboundedCreations)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI2005_UnboundedProducerQueue, creation, facts.Storage.Name));
                }
            }
            else if (facts.Kind == CollectionKind.ProducerQueue && facts.OnlyGrows() && collector.IsLongLived(facts))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.GOPI2005_UnboundedProducerQueue,
                    facts.Storage.Locations[0],
                    additionalLocations: facts.Growth,
                    facts.Storage.Name));
            }
        }
    }
}
