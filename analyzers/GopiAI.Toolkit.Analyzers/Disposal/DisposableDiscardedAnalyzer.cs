using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Disposal;

/// <summary>GOPI1002: a created disposable is discarded (<c>File.OpenRead(p);</c>, <c>_ = new Timer(...)</c>).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DisposableDiscardedAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.GOPI1002_DisposableDiscarded);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownTypes.TryCreate(start.Compilation) is not { } known)
            {
                return;
            }

            var options = new DisposalOptions(known);
            start.RegisterOperationAction(
                c =>
                {
                    var operation = c.Operation;
                    if (Ownership.IsCreation(operation, known, out var type) &&
                        !options.IsExemptCreation(operation, type, c.Options) &&
                        Ownership.FollowValue(operation, known).Kind == ValueUseKind.Discarded)
                    {
                        c.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.GOPI1002_DisposableDiscarded,
                            operation.Syntax.GetLocation(),
                            type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
                    }
                },
                OperationKind.ObjectCreation,
                OperationKind.Invocation,
                OperationKind.Await);
        });
    }
}
