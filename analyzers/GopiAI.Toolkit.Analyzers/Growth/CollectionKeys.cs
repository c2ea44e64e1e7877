using System;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// The key and bound heuristics of the growth rules: memo caches (values computed under caller keys), keys from a
/// finite or mirrored domain, and count comparisons that bound a collection.
/// </summary>
internal static class CollectionKeys
{
    /// <summary>
    /// A memo cache stores a value it computed under a key that comes from the caller: <c>GetOrAdd</c>/<c>TryAdd</c>
    /// with a non-constant key, or an indexer set / <c>Add</c> keyed by a method argument. Storing a value exactly as
    /// the caller passed it in is a registry, not a cache (GOPI2001 territory).
    /// </summary>
    internal static bool IsMemo(string method, IOperation key, IOperation? value)
    {
        if (value is not null && Operations.WithoutConversions(value) is IParameterReferenceOperation)
        {
            return false;
        }

        return method is "GetOrAdd" or "TryAdd" or "AddOrUpdate" ? !key.ConstantValue.HasValue : DerivesFromParameter(key);
    }

    /// <summary>
    /// Whether a set or dictionary key cannot make the collection grow without limit: a constant or <c>typeof(…)</c>
    /// (one entry per literal in the source), or a key taken from another collection it mirrors.
    /// </summary>
    internal static bool IsBoundedKey(IOperation key) =>
        key.ConstantValue.HasValue || Operations.WithoutConversions(key) is ITypeOfOperation || IsKeyedByAnotherCollection(key);

    /// <summary>
    /// Whether the key comes from enumerating another field's collection (<c>foreach (var p in _pools) _seen[p.Key] = …</c>):
    /// such a shadow holds at most one entry per entry of that collection, which is tracked on its own.
    /// </summary>
    internal static bool IsKeyedByAnotherCollection(IOperation key)
    {
        foreach (var operation in key.DescendantsAndSelf())
        {
            if (operation is not ILocalReferenceOperation local)
            {
                continue;
            }

            for (var current = key.Parent; current is not null; current = current.Parent)
            {
                if (current is IForEachLoopOperation loop && loop.Locals.Contains(local.Local, SymbolEqualityComparer.Default))
                {
                    foreach (var source in loop.Collection.DescendantsAndSelf())
                    {
                        if (source is IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol })
                        {
                            return true;
                        }
                    }

                    break;
                }
            }
        }

        return false;
    }

    internal static bool DerivesFromParameter(IOperation key)
    {
        if (key.ConstantValue.HasValue)
        {
            return false;
        }

        foreach (var operation in key.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IParameterReferenceOperation:
                    return true;
                case ILocalReferenceOperation local when FindLocalInitializer(local) is { } initializer:
                    foreach (var inner in initializer.DescendantsAndSelf())
                    {
                        if (inner is IParameterReferenceOperation)
                        {
                            return true;
                        }
                    }

                    break;
            }
        }

        return false;
    }

    internal static IOperation? FindLocalInitializer(ILocalReferenceOperation local)
    {
        foreach (var operation in local.Root().Descendants())
        {
            if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local))
            {
                return declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
            }
        }

        return null;
    }

    internal static bool IsBoundComparison(IBinaryOperation binary, IOperation count)
    {
        if (binary.OperatorKind is not (BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan
            or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals))
        {
            return false;
        }

        // Count == 0 or Count > 0 is an emptiness test, not a bound.
        var other = binary.LeftOperand == count ? binary.RightOperand : binary.LeftOperand;
        return other.ConstantValue is not { HasValue: true, Value: 0 or 0L };
    }
}
