using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// GOPI2004: a collection field holds disposables its type created, and they are dropped without being disposed —
/// removed or cleared without a dispose in the same method, or never disposed by a loop when the owner goes away.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DisposablesInCollectionAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.GOPI2004_DisposablesInCollectionNotDisposed];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start => CollectionUsageCollector.Register(
            start,
            static (types, kind, type) => kind != CollectionKind.BoundedAtCreation && types.IsDisposable(GrowthKnownTypes.ElementType(type, kind)),
            needsSingletons: false,
            Report));
    }

    private static void Report(CollectionUsageCollector collector, CompilationAnalysisContext context)
    {
        foreach (var facts in collector.Facts)
        {
            if (facts.Kind == CollectionKind.BoundedAtCreation
                || !facts.Created
                || !facts.HoldsCreatedItems
                || facts.Escapes
                || !collector.Types.IsDisposable(GrowthKnownTypes.ElementType(facts.Type, facts.Kind)))
            {
                continue;
            }

            foreach (var removal in facts.UndisposedRemovals)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI2004_DisposablesInCollectionNotDisposed, removal, facts.Storage.Name));
            }

            if (!facts.ItemsDisposed)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.GOPI2004_DisposablesInCollectionNotDisposed, facts.Storage.Locations[0], facts.Storage.Name));
            }
        }
    }
}
