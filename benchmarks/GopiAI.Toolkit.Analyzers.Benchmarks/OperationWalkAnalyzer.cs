using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Benchmarks;

/// <summary>
/// The benchmark's floor: an analyzer that asks for every operation of every body and does nothing with it, so the
/// driver binds the whole corpus and builds its IOperation trees — the cost every operation-based analyzer shares.
/// </summary>
#pragma warning disable RS1001, RS1025, RS1026, RS1036, RS1038, RS1041, RS2008 // benchmark-only analyzer, never shipped
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class OperationWalkAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("BENCH0001", "Floor", "Floor", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(static _ => { }, OperationKind.Invocation, OperationKind.FieldReference, OperationKind.PropertyReference, OperationKind.ObjectCreation);
    }
}
#pragma warning restore RS1001, RS1025, RS1026, RS1036, RS1038, RS1041, RS2008
