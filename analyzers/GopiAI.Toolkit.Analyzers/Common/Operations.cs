using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Common;

/// <summary>
/// The operation helpers every analyzer shares: stripping conversions, walking to the root or the enclosing function,
/// and recognising a release call. The set of release methods (<c>Dispose</c>, <c>DisposeAsync</c>, <c>Close</c>) is
/// spelled here and nowhere else.
/// </summary>
internal static class Operations
{
    /// <summary>True for the name of a method that releases its receiver: <c>Dispose</c>, <c>DisposeAsync</c> or <c>Close</c>.</summary>
    public static bool IsDisposeName(string name) => name is "Dispose" or "DisposeAsync" or "Close";

    /// <summary>True for <c>x.Dispose()</c>, <c>x.DisposeAsync()</c> and <c>x.Close()</c> (Close disposes streams, readers, writers, connections).</summary>
    public static bool IsDisposeMethod(IMethodSymbol method) =>
        !method.IsStatic && method.Parameters.Length == 0 && IsDisposeName(method.Name);

    /// <summary>True when <paramref name="operation"/> is a call of a release method (see <see cref="IsDisposeMethod"/>).</summary>
    public static bool IsDisposeCall(this IOperation operation) =>
        operation is IInvocationOperation invocation && IsDisposeMethod(invocation.TargetMethod);

    /// <summary>True when <paramref name="operation"/> or anything inside it calls a release method.</summary>
    public static bool ContainsDisposeCall(this IOperation operation)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant.IsDisposeCall())
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the value <paramref name="element"/> produces is released right there: <c>element.Dispose()</c>,
    /// <c>element?.Dispose()</c> (through conversions).
    /// </summary>
    public static bool IsDisposedRightAway(this IOperation element)
    {
        var parent = element.Parent;
        while (parent is IConversionOperation)
        {
            element = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            IInvocationOperation call => ReferenceEquals(call.Instance, element) && IsDisposeMethod(call.TargetMethod),
            IConditionalAccessOperation conditional => ReferenceEquals(conditional.Operation, element) && conditional.WhenNotNull.IsDisposeCall(),
            _ => false,
        };
    }

    /// <summary>Strips implicit and explicit conversions.</summary>
    public static IOperation WithoutConversions(this IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The outermost operation of the block that contains <paramref name="operation"/>.</summary>
    public static IOperation Root(this IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }

    /// <summary>The innermost lambda or local function around <paramref name="operation"/>, or null for the member body.</summary>
    public static IOperation? EnclosingFunction(this IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>The innermost loop around <paramref name="operation"/> inside its own function, or null.</summary>
    public static ILoopOperation? EnclosingLoop(this IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation loop:
                    return loop;
                case IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="operation"/> is the target of the assignment that contains it.</summary>
    public static bool IsAssignmentTarget(this IOperation operation) =>
        operation.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, operation);
}
