using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Disposal;

/// <summary>
/// GOPI1001: a disposable created in a method is not disposed on every path, not returned, not stored in a field or
/// collection, and not handed to an owner.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DisposableNotDisposedAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.GOPI1001_DisposableNotDisposed);

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
                c => Analyze(c, known, options),
                OperationKind.ObjectCreation,
                OperationKind.Invocation,
                OperationKind.Await);
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownTypes known, DisposalOptions options)
    {
        var operation = context.Operation;
        if (!Ownership.IsCreation(operation, known, out var type) ||
            options.IsExemptCreation(operation, type, context.Options))
        {
            return;
        }

        var use = Ownership.FollowValue(operation, known);
        var leaks = use.Kind switch
        {
            ValueUseKind.Used => true,
            ValueUseKind.StoredInLocal => LocalLifetime.MayLeak(
                operation,
                use.Local!,
                context.GetControlFlowGraph(),
                reference => Classify(reference, known),
                context.CancellationToken),
            _ => false,
        };

        if (leaks)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.GOPI1001_DisposableNotDisposed,
                operation.Syntax.GetLocation(),
                type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
        }
    }

    /// <summary>How a later reference to the local affects ownership.</summary>
    internal static LocalLifetime.ReferenceEffect Classify(ILocalReferenceOperation reference, KnownTypes known) =>
        Ownership.FollowValue(reference, known).Kind switch
        {
            ValueUseKind.Released => LocalLifetime.ReferenceEffect.Release,
            ValueUseKind.StoredInLocal => LocalLifetime.ReferenceEffect.Escape,
            _ => LocalLifetime.ReferenceEffect.Neutral,
        };
}
