using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Disposal;

/// <summary>
/// GOPI1006: an object rented from <c>ArrayPool&lt;T&gt;.Rent</c>, <c>ObjectPool&lt;T&gt;.Get</c> or a <c>[Pooled]</c>
/// type's static <c>Rent()</c> is not returned on every normal path.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RentedNotReturnedAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.GOPI1006_RentedNotReturned);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownTypes.TryCreate(start.Compilation) is not { } known ||
                (known.ArrayPool is null && known.ObjectPool is null && known.PooledAttribute is null))
            {
                return;
            }

            start.RegisterOperationAction(c => Analyze(c, known), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownTypes known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!Pools.IsRent(invocation.TargetMethod, known))
        {
            return;
        }

        var use = Ownership.FollowValue(invocation, known);
        var leaks = use.Kind switch
        {
            ValueUseKind.StoredInLocal => LocalLifetime.MayLeak(
                invocation,
                use.Local!,
                context.GetControlFlowGraph(),
                reference => Classify(reference, known),
                context.CancellationToken),
            _ when use.Consumer is IArgumentOperation argument => !ReleasesRental(argument, known),
            ValueUseKind.Released => false,
            _ => true,
        };

        if (leaks)
        {
            var method = invocation.TargetMethod;
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.GOPI1006_RentedNotReturned,
                invocation.Syntax.GetLocation(),
                method.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "." + method.Name));
        }
    }

    private static LocalLifetime.ReferenceEffect Classify(ILocalReferenceOperation reference, KnownTypes known)
    {
        var use = Ownership.FollowValue(reference, known);
        return use.Kind switch
        {
            _ when use.Consumer is IArgumentOperation argument =>
                ReleasesRental(argument, known) ? LocalLifetime.ReferenceEffect.Release : LocalLifetime.ReferenceEffect.Neutral,
            ValueUseKind.Released => LocalLifetime.ReferenceEffect.Release,
            ValueUseKind.StoredInLocal => LocalLifetime.ReferenceEffect.Escape,
            _ => LocalLifetime.ReferenceEffect.Neutral,
        };
    }

    // Buffers are passed to Read/Write/new MemoryStream(buffer) all the time: only Return, ref/out and collections release.
    private static bool ReleasesRental(IArgumentOperation argument, KnownTypes known) =>
        argument.Parameter is null ||
        argument.Parameter.RefKind is RefKind.Ref or RefKind.Out ||
        argument.Parent is IInvocationOperation invocation &&
        (Pools.IsReturn(invocation.TargetMethod, known) || known.IsCollection(invocation.Instance?.Type));
}
