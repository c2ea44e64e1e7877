using System;
using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// GOPI2005 (info): a long-lived type holds an unbounded producer queue — a <c>Channel.CreateUnbounded</c> channel, a
/// <c>BlockingCollection</c> without a bounded capacity, or a <c>ConcurrentQueue</c> that is only ever enqueued to.
/// Live for private fields of types long-lived by declaration; at compilation end otherwise.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedProducerQueueAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property set on a diagnostic at an unbounded creation (<c>Channel.CreateUnbounded</c>, <c>new BlockingCollection</c>), which the code fix bounds.</summary>
    internal const string CreationProperty = "Creation";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [Descriptors.GOPI2005_UnboundedProducerQueue, Descriptors.GOPI2005_UnboundedProducerQueueAtCompilationEnd];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        CollectionUsageCollector.Register(
            context,
            static (_, kind, _) => kind is CollectionKind.ProducerQueue or CollectionKind.BoundedAtCreation,
            needsLongLived: true,
            Report);
    }

    private static void Report(CollectionUsageCollector collector, bool atCompilationEnd, Action<Diagnostic> report)
    {
        var descriptor = atCompilationEnd ? Descriptors.GOPI2005_UnboundedProducerQueueAtCompilationEnd : Descriptors.GOPI2005_UnboundedProducerQueue;
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
                    report(Diagnostic.Create(descriptor, creation, ImmutableDictionary<string, string?>.Empty.Add(CreationProperty, "true"), facts.Storage.Name));
                }
            }
            else if (facts.Kind == CollectionKind.ProducerQueue && facts.OnlyGrows() && collector.IsLongLived(facts))
            {
                report(Diagnostic.Create(descriptor, facts.Storage.Locations[0], additionalLocations: facts.Growth, facts.Storage.Name));
            }
        }
    }
}
