using System;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>What a call or property use does to a tracked collection: grows it, shrinks it, bounds it or creates it.</summary>
internal sealed partial class CollectionUsageCollector
{
    private void OnMethodCall(CollectionFieldFacts facts, IInvocationOperation invocation, bool inConstructor)
    {
        var name = invocation.TargetMethod.Name;
        switch (name)
        {
            case "Add" or "AddRange" or "Insert" or "InsertRange" or "Push" or "PushRange" or "Enqueue" or "TryAdd" or "GetOrAdd"
                or "AddOrUpdate" or "AddFirst" or "AddLast" or "AddBefore" or "AddAfter" or "UnionWith" or "EnqueueRange":
                OnAdd(facts, invocation, name, inConstructor);
                break;
            case "Remove" or "RemoveAt" or "RemoveAll" or "RemoveRange" or "RemoveWhere" or "RemoveFirst" or "RemoveLast" or "Clear"
                or "TryRemove" or "ExceptWith" or "IntersectWith" or "SymmetricExceptWith":
                facts.MarkRemoved();
                if (!inConstructor && IsDisposableElement(facts) && !BodyDisposesElement(invocation, facts))
                {
                    facts.AddUndisposedRemoval(invocation.Syntax.GetLocation());
                }

                break;
            case "TryDequeue" or "Dequeue" or "TryPop" or "Pop" or "TryPopRange" or "TryTake" or "Take" or "GetConsumingEnumerable"
                or "DequeueEnqueue" or "EnqueueDequeue":
                facts.MarkRemoved();

                // while (_items.TryDequeue(out var item)) item.Dispose(); drains and disposes every item.
                if (invocation.EnclosingLoop() is { } drain && ContainsDisposeCall(drain.Body))
                {
                    facts.MarkItemsDisposed();
                }

                break;
            case "ForEach":
                foreach (var argument in invocation.Arguments)
                {
                    if (ContainsDisposeCall(argument.Value))
                    {
                        facts.MarkItemsDisposed();
                    }
                }

                break;
            default:
                CheckLoop(facts, invocation);
                break;
        }
    }

    private void OnAdd(CollectionFieldFacts facts, IInvocationOperation invocation, string name, bool inConstructor)
    {
        var arguments = invocation.Arguments;
        if (arguments.Length == 0)
        {
            return;
        }

        IOperation? item = facts.Kind == CollectionKind.Dictionary
            ? arguments.Length > 1 ? arguments[1].Value : null
            : arguments[arguments.Length - 1].Value;
        if (item is not null && IsCreatedValue(item))
        {
            facts.MarkHoldsCreatedItems();
        }

        if (inConstructor)
        {
            return;
        }

        if (facts.Kind is CollectionKind.Dictionary or CollectionKind.Set && CollectionKeys.IsBoundedKey(arguments[0].Value))
        {
            return;
        }

        var memo = facts.Kind == CollectionKind.Dictionary && CollectionKeys.IsMemo(name, arguments[0].Value, item);
        facts.AddGrowth(invocation.Syntax.GetLocation(), memo);
    }

    private void OnPropertyUse(CollectionFieldFacts facts, IPropertyReferenceOperation property, bool inConstructor)
    {
        if (property.Property.IsIndexer)
        {
            var parent = property.Parent;
            if (facts.Kind == CollectionKind.Dictionary && parent is ISimpleAssignmentOperation assignment && assignment.Target == property)
            {
                if (IsCreatedValue(assignment.Value))
                {
                    facts.MarkHoldsCreatedItems();
                }

                if (!inConstructor && property.Arguments.Length > 0 && !CollectionKeys.IsBoundedKey(property.Arguments[0].Value))
                {
                    facts.AddGrowth(assignment.Syntax.GetLocation(), CollectionKeys.IsMemo("this[]", property.Arguments[0].Value, assignment.Value));
                }
            }
            else if (IsDisposeCallOn(property))
            {
                facts.MarkItemsDisposed();
            }

            return;
        }

        switch (property.Property.Name)
        {
            case "Count" or "LongCount" or "Length":
                IOperation current = property;
                while (current.Parent is IConversionOperation)
                {
                    current = current.Parent;
                }

                if (current.Parent is IBinaryOperation binary && CollectionKeys.IsBoundComparison(binary, current))
                {
                    facts.MarkCapacityChecked();
                }

                break;
            default:
                CheckLoop(facts, property);
                break;
        }
    }

    private void OnCreation(CollectionFieldFacts facts, IOperation value)
    {
        value = Operations.WithoutConversions(value);
        if (value is IParameterReferenceOperation or IMemberReferenceOperation or ILiteralOperation or IDefaultValueOperation)
        {
            return;
        }

        facts.MarkCreated();
        if (IsUnboundedCreation(value))
        {
            facts.AddUnboundedCreation(value.Syntax.GetLocation());
        }
    }

    private bool IsUnboundedCreation(IOperation value)
    {
        switch (value)
        {
            case IInvocationOperation invocation:
                return invocation.TargetMethod.Name.StartsWith("CreateUnbounded", StringComparison.Ordinal)
                    && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, Types.Channel);
            case IObjectCreationOperation { Constructor: { } constructor }
                when SymbolEqualityComparer.Default.Equals(constructor.ContainingType.OriginalDefinition, Types.BlockingCollection):
                foreach (var parameter in constructor.Parameters)
                {
                    if (parameter.Name == "boundedCapacity")
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }
}
