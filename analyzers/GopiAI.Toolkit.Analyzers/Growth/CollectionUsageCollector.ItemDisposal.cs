using System;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>Whether the items of a collection of disposables are disposed: loops, drains, element disposal, removal sites.</summary>
internal sealed partial class CollectionUsageCollector
{
    private bool IsDisposableElement(CollectionFieldFacts facts) =>
        Types.IsDisposableElement(KnownTypes.ElementType(facts.Type, facts.Kind));

    private static void CheckLoop(CollectionFieldFacts facts, IOperation source)
    {
        // Follow _items, _items.Values, _items.ToArray(), _items.Values.ToList() up to the loop that enumerates them.
        var current = source;
        while (true)
        {
            var parent = current.Parent;
            if (parent is IConversionOperation
                || (parent is IInvocationOperation call && call.Instance == current)
                || (parent is IPropertyReferenceOperation { Property.IsIndexer: false } property && property.Instance == current))
            {
                current = parent;
            }
            else if (parent is IArgumentOperation { Parent: IInvocationOperation { Instance: null } extension })
            {
                current = extension;
            }
            else
            {
                break;
            }
        }

        if (current.Parent is IForEachLoopOperation loop && loop.Collection == current && LoopDisposes(loop))
        {
            facts.MarkItemsDisposed();
        }
    }

    private static bool LoopDisposes(IForEachLoopOperation loop) => ContainsDisposeCall(loop.Body);

    private static bool ContainsDisposeCall(IOperation operation)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation call && Operations.IsDisposeName(call.TargetMethod.Name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDisposeCallOn(IOperation element)
    {
        var parent = element.Parent;
        while (parent is IConversionOperation)
        {
            element = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            IInvocationOperation call => call.Instance == element && Operations.IsDisposeName(call.TargetMethod.Name),
            IConditionalAccessOperation conditional => conditional.Operation == element && conditional.WhenNotNull is IInvocationOperation inner && Operations.IsDisposeName(inner.TargetMethod.Name),
            _ => false,
        };
    }

    private bool BodyDisposesElement(IOperation operation, CollectionFieldFacts facts)
    {
        var element = KnownTypes.ElementType(facts.Type, facts.Kind);
        foreach (var descendant in operation.Root().Descendants())
        {
            if (descendant is IInvocationOperation { Instance: { } instance } disposeCall && Operations.IsDisposeName(disposeCall.TargetMethod.Name))
            {
                var instanceType = Operations.WithoutConversions(instance).Type;
                if (instanceType is null || element is null)
                {
                    continue;
                }

                if (Types.IsDisposableElement(instanceType) && (IsAssignableTo(instanceType, element) || IsAssignableTo(element, instanceType)))
                {
                    return true;
                }
            }
            else if (descendant is IUsingOperation or IUsingDeclarationOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAssignableTo(ITypeSymbol type, ITypeSymbol target)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, target))
            {
                return true;
            }
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, target))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="value"/> was created by the code that stores it (not handed in).</summary>
    private static bool IsCreatedValue(IOperation value)
    {
        value = Operations.WithoutConversions(value);
        switch (value)
        {
            case IObjectCreationOperation:
                return true;
            case IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }:
                foreach (var descendant in lambda.Body.Descendants())
                {
                    if (descendant is IReturnOperation { ReturnedValue: { } returned } && Operations.WithoutConversions(returned) is IObjectCreationOperation)
                    {
                        return true;
                    }
                }

                return false;
            case ILocalReferenceOperation local:
                return CollectionKeys.FindLocalInitializer(local) is { } initializer && Operations.WithoutConversions(initializer) is IObjectCreationOperation;
            default:
                return false;
        }
    }
}
