using System;
using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// GOPI2004: a collection field holds disposables its type created, and they are dropped without being disposed —
/// removed or cleared without a dispose in the same method, or never disposed by a loop when the owner goes away.
/// Live for private fields; at compilation end for fields other types can reach.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DisposablesInCollectionAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property that marks the diagnostic on the field (not on a removal site), which the code fix handles.</summary>
    internal const string OnFieldProperty = "OnField";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [Descriptors.GOPI2004_DisposablesInCollectionNotDisposed, Descriptors.GOPI2004_DisposablesInCollectionNotDisposedAtCompilationEnd];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        CollectionUsageCollector.Register(
            context,
            static (types, kind, type) => kind != CollectionKind.BoundedAtCreation && types.IsDisposableElement(KnownTypes.ElementType(type, kind)),
            needsLongLived: false,
            Report);
    }

    private static void Report(CollectionUsageCollector collector, bool atCompilationEnd, Action<Diagnostic> report)
    {
        var descriptor = atCompilationEnd ? Descriptors.GOPI2004_DisposablesInCollectionNotDisposedAtCompilationEnd : Descriptors.GOPI2004_DisposablesInCollectionNotDisposed;
        foreach (var facts in collector.Facts)
        {
            if (facts.Kind == CollectionKind.BoundedAtCreation
                || !facts.Created
                || !facts.HoldsCreatedItems
                || facts.Escapes
                || !collector.Types.IsDisposableElement(KnownTypes.ElementType(facts.Type, facts.Kind)))
            {
                continue;
            }

            foreach (var removal in facts.UndisposedRemovals)
            {
                report(Diagnostic.Create(descriptor, removal, facts.Storage.Name));
            }

            if (!facts.ItemsDisposed)
            {
                report(Diagnostic.Create(
                    descriptor,
                    facts.Storage.Locations[0],
                    ImmutableDictionary<string, string?>.Empty.Add(OnFieldProperty, "true"),
                    facts.Storage.Name));
            }
        }
    }
}
