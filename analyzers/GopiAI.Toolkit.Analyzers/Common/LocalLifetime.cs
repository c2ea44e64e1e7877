using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace GopiAI.Toolkit.Analyzers.Common;

/// <summary>
/// Decides, on the control flow graph, whether a value bound to a local can reach the end of the method on a normal
/// path without being released. Exceptional paths (a throw, a catch) are not leaks: precision first, and the GC still
/// finalizes what an exception strands. Paths on which the local was checked to be null end there.
/// </summary>
internal static class LocalLifetime
{
    /// <summary>How one reference to the tracked local affects its lifetime.</summary>
    internal enum ReferenceEffect
    {
        /// <summary>The value is used and stays owned.</summary>
        Neutral,

        /// <summary>The value is disposed, returned, stored or handed to an owner.</summary>
        Release,

        /// <summary>The local escapes the analysis (captured by a lambda, aliased): give up silently.</summary>
        Escape,
    }

    /// <summary>
    /// True when some normal path from <paramref name="creation"/> reaches the exit of its function, or overwrites
    /// <paramref name="local"/>, without a reference that <paramref name="classify"/> calls a release.
    /// </summary>
    /// <param name="creation">The operation in the original tree that produced the value.</param>
    /// <param name="local">The local the value is stored in.</param>
    /// <param name="rootGraph">The control flow graph of the whole member (nested graphs are searched).</param>
    /// <param name="classify">Classifies a reference to <paramref name="local"/> in the original tree.</param>
    /// <param name="cancellationToken">Cancels the analysis.</param>
    public static bool MayLeak(
        IOperation creation,
        ILocalSymbol local,
        ControlFlowGraph rootGraph,
        Func<ILocalReferenceOperation, ReferenceEffect> classify,
        System.Threading.CancellationToken cancellationToken)
    {
        // Phase 1: classify every reference in the original operation tree; the CFG keeps the same syntax.
        var creationFunction = creation.EnclosingFunction();
        var releases = new HashSet<TextSpan>();
        foreach (var descendant in creation.Root().Descendants())
        {
            if (descendant is not ILocalReferenceOperation reference ||
                !SymbolEqualityComparer.Default.Equals(reference.Local, local) ||
                reference.IsAssignmentTarget())
            {
                continue;
            }

            if (!ReferenceEquals(reference.EnclosingFunction(), creationFunction))
            {
                return false; // captured by a lambda or local function: ownership leaves our sight.
            }

            switch (classify(reference))
            {
                case ReferenceEffect.Release:
                    releases.Add(reference.Syntax.Span);
                    break;
                case ReferenceEffect.Escape:
                    return false;
            }
        }

        // Phase 2: find the graph and the block that hold the creation, then search for a leaking path.
        var graph = FindGraph(rootGraph, creation.Syntax.Span, cancellationToken, out var startBlock, out var startIndex);
        if (graph is null)
        {
            return false;
        }

        var walker = new Walker(graph, local, releases, creation.Syntax.Span);
        return walker.MayLeak(startBlock, startIndex);
    }

    private static ControlFlowGraph? FindGraph(
        ControlFlowGraph graph,
        TextSpan creationSpan,
        System.Threading.CancellationToken cancellationToken,
        out int block,
        out int index)
    {
        var nested = new List<ControlFlowGraph>();
        foreach (var basicBlock in graph.Blocks)
        {
            var operations = OperationsOf(basicBlock);
            for (var i = 0; i < operations.Count; i++)
            {
                foreach (var operation in Self(operations[i]))
                {
                    if (operation.Syntax.Span == creationSpan && operation.Kind is OperationKind.ObjectCreation or OperationKind.Invocation or OperationKind.Await)
                    {
                        block = basicBlock.Ordinal;
                        index = i;
                        return graph;
                    }

                    if (operation is IFlowAnonymousFunctionOperation lambda && lambda.Syntax.Span.Contains(creationSpan))
                    {
                        nested.Add(graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken));
                    }
                }
            }
        }

        foreach (var localFunction in graph.LocalFunctions)
        {
            var localGraph = graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken);
            if (localGraph.OriginalOperation.Syntax.Span.Contains(creationSpan))
            {
                nested.Add(localGraph);
            }
        }

        foreach (var candidate in nested)
        {
            if (FindGraph(candidate, creationSpan, cancellationToken, out block, out index) is { } found)
            {
                return found;
            }
        }

        block = -1;
        index = -1;
        return null;
    }

    private static IReadOnlyList<IOperation> OperationsOf(BasicBlock block)
    {
        if (block.BranchValue is null)
        {
            return block.Operations;
        }

        var all = new List<IOperation>(block.Operations.Length + 1);
        all.AddRange(block.Operations);
        all.Add(block.BranchValue);
        return all;
    }

    private static IEnumerable<IOperation> Self(IOperation operation)
    {
        yield return operation;
        foreach (var descendant in operation.Descendants())
        {
            yield return descendant;
        }
    }

    private sealed class Walker
    {
        private readonly ControlFlowGraph _graph;
        private readonly ILocalSymbol _local;
        private readonly HashSet<TextSpan> _releases;
        private readonly TextSpan _creationSpan;
        private readonly HashSet<(int Block, bool Bound)> _visited = new();

        public Walker(ControlFlowGraph graph, ILocalSymbol local, HashSet<TextSpan> releases, TextSpan creationSpan)
        {
            _graph = graph;
            _local = local;
            _releases = releases;
            _creationSpan = creationSpan;
        }

        public bool MayLeak(int startBlock, int startIndex)
        {
            var stack = new Stack<(int Block, int Index, bool Bound)>();
            stack.Push((startBlock, startIndex, false));
            while (stack.Count > 0)
            {
                var (ordinal, index, bound) = stack.Pop();
                var block = _graph.Blocks[ordinal];
                if (block.Kind == BasicBlockKind.Exit)
                {
                    if (bound)
                    {
                        return true;
                    }

                    continue;
                }

                var wasBound = bound;
                var outcome = Scan(block, index, ref bound, out var boundAt);
                if (outcome == Outcome.Released)
                {
                    continue;
                }

                if (outcome == Outcome.Overwritten)
                {
                    return true;
                }

                // An exception can only strand the value when something may throw after it is bound: in
                // "try { w = new StreamWriter(p); } catch { return ...; }" the catch never sees a bound value.
                if (bound && OperationsOf(block).Count > (wasBound ? index : boundAt + 1))
                {
                    // An exception inside a try can land in a catch that swallows it: that path continues normally.
                    foreach (var handler in CatchHandlersAround(block))
                    {
                        if (_visited.Add((handler, true)))
                        {
                            stack.Push((handler, 0, true));
                        }
                    }
                }

                var nullBranch = bound ? NullCheckedSuccessor(block) : null;
                foreach (var branch in new[] { block.FallThroughSuccessor, block.ConditionalSuccessor })
                {
                    if (branch is null || ReferenceEquals(branch, nullBranch))
                    {
                        continue;
                    }

                    if (branch.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow
                        or ControlFlowBranchSemantics.StructuredExceptionHandling or ControlFlowBranchSemantics.Error
                        or ControlFlowBranchSemantics.ProgramTermination)
                    {
                        continue;
                    }

                    if (bound && ReleasedInFinally(branch))
                    {
                        continue;
                    }

                    if (branch.Destination is { } destination && _visited.Add((destination.Ordinal, bound)))
                    {
                        stack.Push((destination.Ordinal, 0, bound));
                    }
                }
            }

            return false;
        }

        private static IEnumerable<int> CatchHandlersAround(BasicBlock block)
        {
            for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { Kind: ControlFlowRegionKind.TryAndCatch } tryAndCatch)
                {
                    continue;
                }

                foreach (var nested in tryAndCatch.NestedRegions)
                {
                    if (nested.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.FilterAndHandler)
                    {
                        yield return nested.FirstBlockOrdinal;
                    }
                }
            }
        }

        private enum Outcome
        {
            Continue,
            Released,
            Overwritten,
        }

        private Outcome Scan(BasicBlock block, int start, ref bool bound, out int boundAt)
        {
            boundAt = -1;
            var operations = OperationsOf(block);
            for (var i = start; i < operations.Count; i++)
            {
                var released = false;
                var assigned = false;
                var containsCreation = false;
                foreach (var operation in Self(operations[i]))
                {
                    switch (operation)
                    {
                        case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, _local):
                            if (reference.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference))
                            {
                                assigned = true;
                            }
                            else if (_releases.Contains(reference.Syntax.Span))
                            {
                                released = true;
                            }

                            break;
                        case IObjectCreationOperation or IInvocationOperation or IAwaitOperation when operation.Syntax.Span == _creationSpan:
                            containsCreation = true;
                            break;
                    }
                }

                if (!bound)
                {
                    // The first assignment after the creation binds the value to the local (possibly through flow captures).
                    if (assigned)
                    {
                        bound = true;
                        boundAt = i;
                    }

                    continue;
                }

                if (released)
                {
                    return Outcome.Released;
                }

                if (assigned || containsCreation)
                {
                    return Outcome.Overwritten;
                }
            }

            return Outcome.Continue;
        }

        private bool ReleasedInFinally(ControlFlowBranch branch)
        {
            foreach (var region in branch.FinallyRegions)
            {
                for (var ordinal = region.FirstBlockOrdinal; ordinal <= region.LastBlockOrdinal; ordinal++)
                {
                    var scratch = true;
                    if (Scan(_graph.Blocks[ordinal], 0, ref scratch, out _) == Outcome.Released)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        // For "if (x != null)", "x is null", "x?.M()": the successor taken when the local is null. On that path the
        // value is gone, so nothing is left to leak.
        private ControlFlowBranch? NullCheckedSuccessor(BasicBlock block)
        {
            if (block.BranchValue is not { } condition || block.ConditionKind == ControlFlowConditionKind.None ||
                !IsNullTest(condition, out var trueWhenNull))
            {
                return null;
            }

            // ConditionalSuccessor is taken when the condition equals ConditionKind.
            var conditionalTakenWhenNull = trueWhenNull == (block.ConditionKind == ControlFlowConditionKind.WhenTrue);
            return conditionalTakenWhenNull ? block.ConditionalSuccessor : block.FallThroughSuccessor;
        }

        private bool IsNullTest(IOperation condition, out bool trueWhenNull)
        {
            trueWhenNull = false;
            switch (condition)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                    when (IsLocal(binary.LeftOperand) && IsNull(binary.RightOperand)) || (IsLocal(binary.RightOperand) && IsNull(binary.LeftOperand)):
                    trueWhenNull = binary.OperatorKind == BinaryOperatorKind.Equals;
                    return true;
                case IIsNullOperation isNull when IsLocal(isNull.Operand):
                    trueWhenNull = true;
                    return true;
                case IIsPatternOperation pattern when IsLocal(pattern.Value):
                    return IsNullPattern(pattern.Pattern, out trueWhenNull);
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not when IsNullTest(not.Operand, out var inner):
                    trueWhenNull = !inner;
                    return true;
                default:
                    return false;
            }
        }

        private static bool IsNullPattern(IPatternOperation pattern, out bool trueWhenNull)
        {
            switch (pattern)
            {
                case IConstantPatternOperation constant when IsNull(constant.Value):
                    trueWhenNull = true;
                    return true;
                case INegatedPatternOperation negated when IsNullPattern(negated.Pattern, out var inner):
                    trueWhenNull = !inner;
                    return true;
                case IDeclarationPatternOperation or IRecursivePatternOperation or ITypePatternOperation:
                    trueWhenNull = false; // "x is T t" / "x is { }" are false for null.
                    return true;
                default:
                    trueWhenNull = false;
                    return false;
            }
        }

        private bool IsLocal(IOperation operation)
        {
            operation = operation.WithoutConversions();
            if (operation is ILocalReferenceOperation reference)
            {
                return SymbolEqualityComparer.Default.Equals(reference.Local, _local);
            }

            // "x?.Dispose()" and "x ?? y" test a flow capture of the local; the capture keeps the local's syntax.
            return operation is IFlowCaptureReferenceOperation capture && IsCaptureOfLocal(capture);
        }

        private bool IsCaptureOfLocal(IFlowCaptureReferenceOperation capture)
        {
            foreach (var block in _graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    if (operation is IFlowCaptureOperation flowCapture && flowCapture.Id.Equals(capture.Id) &&
                        flowCapture.Value.WithoutConversions() is ILocalReferenceOperation reference &&
                        SymbolEqualityComparer.Default.Equals(reference.Local, _local))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool IsNull(IOperation operation) =>
            operation.WithoutConversions().ConstantValue is { HasValue: true, Value: null };
    }
}
