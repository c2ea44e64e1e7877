using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// Gathers <see cref="CollectionFieldFacts"/> for every collection field of a compilation from its references, and
/// hands them to a report callback at compilation end, once every use has been seen. The state belongs to one
/// compilation's analysis and is dropped with it.
/// </summary>
internal sealed class CollectionUsageCollector
{
    private readonly ConcurrentDictionary<ISymbol, CollectionFieldFacts> _facts = new(SymbolEqualityComparer.Default);

    private readonly Func<CollectionKind, ITypeSymbol, bool> _tracks;

    private CollectionUsageCollector(GrowthKnownTypes types, Func<CollectionKind, ITypeSymbol, bool> tracks)
    {
        Types = types;
        LongLived = new LongLivedTypes(types);
        _tracks = tracks;
    }

    /// <summary>Gets the compilation's well-known types.</summary>
    public GrowthKnownTypes Types { get; }

    /// <summary>Gets the compilation's long-lived types (complete at compilation end).</summary>
    public LongLivedTypes LongLived { get; }

    /// <summary>Gets the facts gathered so far.</summary>
    public ICollection<CollectionFieldFacts> Facts => _facts.Values;

    /// <summary>
    /// Registers the collecting actions and <paramref name="report"/> for the end of the compilation. Only collections
    /// for which <paramref name="tracks"/> (given the collection's shape and declared type) returns true are followed;
    /// singleton registrations are looked for only when <paramref name="needsSingletons"/> and the compilation
    /// references Microsoft.Extensions.DependencyInjection.
    /// </summary>
    public static void Register(
        CompilationStartAnalysisContext context,
        Func<GrowthKnownTypes, CollectionKind, ITypeSymbol, bool> tracks,
        bool needsSingletons,
        Action<CollectionUsageCollector, CompilationAnalysisContext> report)
    {
        var types = GrowthKnownTypes.Create(context.Compilation);
        var collector = new CollectionUsageCollector(types, (kind, type) => tracks(types, kind, type));
        if (needsSingletons && types.ServiceCollection is not null)
        {
            context.RegisterOperationAction(c => collector.LongLived.Observe((IInvocationOperation)c.Operation), OperationKind.Invocation);
        }

        context.RegisterOperationAction(collector.OnReference, OperationKind.FieldReference, OperationKind.PropertyReference);
        context.RegisterOperationAction(collector.OnInitializer, OperationKind.FieldInitializer, OperationKind.PropertyInitializer);
        context.RegisterCompilationEndAction(c => report(collector, c));
    }

    /// <summary>Whether the field holding <paramref name="facts"/> lives as long as the application.</summary>
    public bool IsLongLived(CollectionFieldFacts facts) =>
        facts.Storage.IsStatic || LongLived.IsLongLived(facts.Storage.ContainingType);

    private void OnInitializer(OperationAnalysisContext context)
    {
        var (members, value) = context.Operation switch
        {
            IFieldInitializerOperation field => ((IEnumerable<ISymbol>)field.InitializedFields, field.Value),
            IPropertyInitializerOperation property => (property.InitializedProperties, property.Value),
            _ => (Array.Empty<ISymbol>(), null!),
        };

        foreach (var member in members)
        {
            if (GetFacts(member) is { } facts)
            {
                OnCreation(facts, value);
            }
        }
    }

    private void OnReference(OperationAnalysisContext context)
    {
        var reference = (IMemberReferenceOperation)context.Operation;
        if (GetFacts(reference.Member) is not { } facts)
        {
            return;
        }

        IOperation current = reference;
        var parent = current.Parent;
        ITypeSymbol? convertedTo = null;
        while (parent is IConversionOperation conversion)
        {
            convertedTo = conversion.Type;
            current = parent;
            parent = parent.Parent;
        }

        if (IsReadOnlyView(convertedTo))
        {
            CheckLoop(facts, current);
            return;
        }

        var inConstructor = IsInConstructor(context.ContainingSymbol, facts.Storage, reference);
        switch (parent)
        {
            case IInvocationOperation invocation when invocation.Instance == current:
                OnMethodCall(facts, invocation, inConstructor);
                break;
            case IPropertyReferenceOperation property when property.Instance == current:
                OnPropertyUse(facts, property, inConstructor);
                break;
            case IConditionalAccessOperation conditional when conditional.Operation == current:
                if (conditional.WhenNotNull is IInvocationOperation { Instance: IConditionalAccessInstanceOperation } conditionalCall)
                {
                    OnMethodCall(facts, conditionalCall, inConstructor);
                }
                else if (conditional.WhenNotNull is IPropertyReferenceOperation { Instance: IConditionalAccessInstanceOperation } conditionalProperty)
                {
                    OnPropertyUse(facts, conditionalProperty, inConstructor);
                }

                break;
            case ISimpleAssignmentOperation assignment when assignment.Target == current:
                if (inConstructor)
                {
                    OnCreation(facts, assignment.Value);
                }
                else
                {
                    // A new collection (or null) outside the constructor drops the old contents: a reset bounds it.
                    facts.MarkReset();
                }

                break;
            case ICoalesceAssignmentOperation lazy when lazy.Target == current:
                OnCreation(facts, lazy.Value);
                break;
            case IAssignmentOperation or IDeconstructionAssignmentOperation:
                // Compound assignment, or the collection assigned to something else: it escapes or is replaced.
                facts.MarkReset();
                facts.MarkEscapes();
                break;
            case IForEachLoopOperation loop when loop.Collection == current:
                if (LoopDisposes(loop))
                {
                    facts.MarkItemsDisposed();
                }

                break;
            case IArgumentOperation argument:
                OnArgument(facts, argument);
                break;
            case IReturnOperation or IVariableInitializerOperation or IAnonymousObjectCreationOperation or ITupleOperation or IArrayInitializerOperation:
                facts.MarkEscapes();
                break;
            case IIsPatternOperation:
                facts.MarkCapacityChecked();
                break;
        }
    }

    private void OnArgument(CollectionFieldFacts facts, IArgumentOperation argument)
    {
        if (argument.Parameter is null || argument.Parameter.RefKind != RefKind.None)
        {
            // Interlocked.Exchange(ref _items, new()) and friends replace the collection.
            facts.MarkReset();
            return;
        }

        if (argument.Parent is IInvocationOperation invocation)
        {
            var containing = invocation.TargetMethod.ContainingType;
            if (SymbolEqualityComparer.Default.Equals(containing, Types.CollectionsMarshal))
            {
                if (invocation.TargetMethod.Name == "GetValueRefOrAddDefault" && invocation.Arguments.Length > 1)
                {
                    facts.AddGrowth(invocation.Syntax.GetLocation(), DerivesFromParameter(invocation.Arguments[1].Value));
                }

                return;
            }

            if (SymbolEqualityComparer.Default.Equals(containing, Types.Enumerable))
            {
                CheckLoop(facts, invocation);
                return;
            }
        }

        if (!IsReadOnlyView(argument.Parameter.Type))
        {
            facts.MarkEscapes();
        }
    }

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
                if (EnclosingLoop(invocation) is { } drain && ContainsDisposeCall(drain.Body))
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

        if (facts.Kind is CollectionKind.Dictionary or CollectionKind.Set && IsBoundedKey(arguments[0].Value))
        {
            return;
        }

        var memo = facts.Kind == CollectionKind.Dictionary && IsMemo(name, arguments[0].Value, item);
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

                if (!inConstructor && property.Arguments.Length > 0 && !IsBoundedKey(property.Arguments[0].Value))
                {
                    facts.AddGrowth(assignment.Syntax.GetLocation(), IsMemo("this[]", property.Arguments[0].Value, assignment.Value));
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

                if (current.Parent is IBinaryOperation binary && IsBoundComparison(binary, current))
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
        value = Strip(value);
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

    private CollectionFieldFacts? GetFacts(ISymbol member)
    {
        ITypeSymbol type;
        switch (member)
        {
            case IFieldSymbol { IsConst: false, IsImplicitlyDeclared: false } field:
                type = field.Type;
                break;
            case IPropertySymbol { IsIndexer: false } property:
                type = property.Type;
                break;
            default:
                return null;
        }

        // Cheapest checks first: most references are to fields that are no collection this rule tracks.
        var kind = Types.Classify(type);
        if (kind == CollectionKind.None
            || !_tracks(kind, type)
            || member.Locations.Length == 0
            || !member.Locations[0].IsInSource
            || (member is IPropertySymbol autoProperty && !IsAutoProperty(autoProperty)))
        {
            return null;
        }

        var key = member.OriginalDefinition;
        return _facts.TryGetValue(key, out var existing) ? existing : _facts.GetOrAdd(key, new CollectionFieldFacts(key, type, kind));
    }

    private static bool IsAutoProperty(IPropertySymbol property)
    {
        foreach (var member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol { IsImplicitlyDeclared: true } backing && SymbolEqualityComparer.Default.Equals(backing.AssociatedSymbol, property))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsDisposableElement(CollectionFieldFacts facts) =>
        Types.IsDisposable(GrowthKnownTypes.ElementType(facts.Type, facts.Kind));

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

    private static ILoopOperation? EnclosingLoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation loop:
                    return loop;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }

    private static bool ContainsDisposeCall(IOperation operation)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation { TargetMethod.Name: "Dispose" or "DisposeAsync" or "Close" })
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
            IInvocationOperation { TargetMethod.Name: "Dispose" or "DisposeAsync" or "Close" } call => call.Instance == element,
            IConditionalAccessOperation conditional => conditional.Operation == element && conditional.WhenNotNull is IInvocationOperation { TargetMethod.Name: "Dispose" or "DisposeAsync" or "Close" },
            _ => false,
        };
    }

    private bool BodyDisposesElement(IOperation operation, CollectionFieldFacts facts)
    {
        var element = GrowthKnownTypes.ElementType(facts.Type, facts.Kind);
        foreach (var descendant in Root(operation).Descendants())
        {
            if (descendant is IInvocationOperation { TargetMethod.Name: "Dispose" or "DisposeAsync" or "Close", Instance: { } instance })
            {
                var instanceType = Strip(instance).Type;
                if (instanceType is null || element is null)
                {
                    continue;
                }

                if (Types.IsDisposable(instanceType) && (IsAssignableTo(instanceType, element) || IsAssignableTo(element, instanceType)))
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
        value = Strip(value);
        switch (value)
        {
            case IObjectCreationOperation:
                return true;
            case IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }:
                foreach (var descendant in lambda.Body.Descendants())
                {
                    if (descendant is IReturnOperation { ReturnedValue: { } returned } && Strip(returned) is IObjectCreationOperation)
                    {
                        return true;
                    }
                }

                return false;
            case ILocalReferenceOperation local:
                return FindLocalInitializer(local) is { } initializer && Strip(initializer) is IObjectCreationOperation;
            default:
                return false;
        }
    }

    /// <summary>
    /// A memo cache stores a value it computed under a key that comes from the caller: <c>GetOrAdd</c>/<c>TryAdd</c>
    /// with a non-constant key, or an indexer set / <c>Add</c> keyed by a method argument. Storing a value exactly as
    /// the caller passed it in is a registry, not a cache (GOPI2001 territory).
    /// </summary>
    private static bool IsMemo(string method, IOperation key, IOperation? value)
    {
        if (value is not null && Strip(value) is IParameterReferenceOperation)
        {
            return false;
        }

        return method is "GetOrAdd" or "TryAdd" or "AddOrUpdate" ? !key.ConstantValue.HasValue : DerivesFromParameter(key);
    }

    /// <summary>
    /// Whether a set or dictionary key cannot make the collection grow without limit: a constant or <c>typeof(…)</c>
    /// (one entry per literal in the source), or a key taken from another collection it mirrors.
    /// </summary>
    private static bool IsBoundedKey(IOperation key) =>
        key.ConstantValue.HasValue || Strip(key) is ITypeOfOperation || IsKeyedByAnotherCollection(key);

    /// <summary>
    /// Whether the key comes from enumerating another field's collection (<c>foreach (var p in _pools) _seen[p.Key] = …</c>):
    /// such a shadow holds at most one entry per entry of that collection, which is tracked on its own.
    /// </summary>
    private static bool IsKeyedByAnotherCollection(IOperation key)
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

    private static bool DerivesFromParameter(IOperation key)
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

    private static IOperation? FindLocalInitializer(ILocalReferenceOperation local)
    {
        foreach (var operation in Root(local).Descendants())
        {
            if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local))
            {
                return declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
            }
        }

        return null;
    }

    private static bool IsBoundComparison(IBinaryOperation binary, IOperation count)
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

    private static bool IsInConstructor(ISymbol? containingSymbol, ISymbol storage, IOperation reference)
    {
        if (containingSymbol is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor
            || !SymbolEqualityComparer.Default.Equals(constructor.ContainingType.OriginalDefinition, storage.ContainingType.OriginalDefinition))
        {
            return false;
        }

        for (var current = reference.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsReadOnlyView(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Interface } named)
        {
            return false;
        }

        return named.OriginalDefinition.SpecialType is SpecialType.System_Collections_Generic_IEnumerable_T or SpecialType.System_Collections_IEnumerable
            or SpecialType.System_Collections_Generic_IReadOnlyCollection_T or SpecialType.System_Collections_Generic_IReadOnlyList_T
            || named.OriginalDefinition.Name is "IReadOnlyDictionary" or "IReadOnlySet";
    }

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    private static IOperation Strip(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
