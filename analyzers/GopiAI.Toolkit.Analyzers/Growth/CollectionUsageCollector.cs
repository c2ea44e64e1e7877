using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// Gathers <see cref="CollectionFieldFacts"/> for collection fields from their references and hands them to a report
/// callback once every use has been seen. Facts local to a type — a private field of a type without nested types (and,
/// for the rules about long-lived collections, one that is long-lived by its declaration alone) — are gathered per type
/// with symbol-start/end actions, so their diagnostics appear live in the editor; everything else (members other types
/// can reach, instance fields of types whose lifetime depends on a singleton registration elsewhere) is decided at
/// compilation end. This file holds the registration and who touches a field; what a call does is in
/// <c>CollectionUsageCollector.Calls.cs</c>, whether items are disposed in <c>CollectionUsageCollector.ItemDisposal.cs</c>,
/// and the key and bound heuristics in <see cref="CollectionKeys"/>. The state belongs to one analysis and is dropped with it.
/// </summary>
internal sealed partial class CollectionUsageCollector
{
    private readonly ConcurrentDictionary<ISymbol, CollectionFieldFacts> _facts = new(SymbolEqualityComparer.Default);

    private readonly Func<CollectionKind, ITypeSymbol, bool> _tracks;
    private readonly Func<ISymbol, bool> _inScope;

    private CollectionUsageCollector(KnownTypes types, LongLivedTypes longLived, Func<CollectionKind, ITypeSymbol, bool> tracks, Func<ISymbol, bool> inScope)
    {
        Types = types;
        LongLived = longLived;
        _tracks = tracks;
        _inScope = inScope;
    }

    /// <summary>Gets the compilation's well-known types.</summary>
    public KnownTypes Types { get; }

    /// <summary>Gets the compilation's long-lived types (complete at compilation end).</summary>
    public LongLivedTypes LongLived { get; }

    /// <summary>Gets the facts gathered so far.</summary>
    public ICollection<CollectionFieldFacts> Facts => _facts.Values;

    /// <summary>
    /// Registers the collecting actions: per type for facts local to a type, compilation-wide for the rest. Only
    /// collections for which <paramref name="tracks"/> (given the collection's shape and declared type) returns true
    /// are followed. <paramref name="needsLongLived"/> says whether the rule only reports long-lived collections:
    /// then singleton registrations are observed, and only fields long-lived by declaration are decided per type.
    /// <paramref name="report"/> receives the collector, whether it runs at compilation end, and where to report.
    /// </summary>
    public static void Register(
        AnalysisContext context,
        Func<KnownTypes, CollectionKind, ITypeSymbol, bool> tracks,
        bool needsLongLived,
        Action<CollectionUsageCollector, bool, Action<Diagnostic>> report)
    {
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownTypes.TryCreate(start.Compilation) is not { } types)
            {
                return;
            }

            var longLived = new LongLivedTypes(types);
            bool IsLocal(ISymbol member) => IsTypeLocal(member, types, needsLongLived);
            bool Tracks(CollectionKind kind, ITypeSymbol type) => tracks(types, kind, type);

            var whole = new CollectionUsageCollector(types, longLived, Tracks, member => !IsLocal(member));
            if (needsLongLived && types.IServiceCollection is not null)
            {
                start.RegisterOperationAction(c => longLived.Observe((IInvocationOperation)c.Operation), OperationKind.Invocation);
            }

            start.RegisterOperationAction(whole.OnReference, OperationKind.FieldReference, OperationKind.PropertyReference);
            start.RegisterOperationAction(whole.OnInitializer, OperationKind.FieldInitializer, OperationKind.PropertyInitializer);
            start.RegisterCompilationEndAction(end => report(whole, true, end.ReportDiagnostic));

            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    var type = (INamedTypeSymbol)symbolStart.Symbol;
                    if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) ||
                        !type.GetMembers().Any(m => m is IFieldSymbol or IPropertySymbol && types.Classify(MemberType(m)) != CollectionKind.None && IsLocal(m)))
                    {
                        return;
                    }

                    var local = new CollectionUsageCollector(types, longLived, Tracks, member => IsLocal(member) && SymbolEqualityComparer.Default.Equals(member.ContainingType, type));
                    symbolStart.RegisterOperationAction(local.OnReference, OperationKind.FieldReference, OperationKind.PropertyReference);
                    symbolStart.RegisterOperationAction(local.OnInitializer, OperationKind.FieldInitializer, OperationKind.PropertyInitializer);
                    symbolStart.RegisterSymbolEndAction(end => report(local, false, end.ReportDiagnostic));
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>
    /// Whether every fact about <paramref name="member"/> lies inside its own type: it is private, the type declares no
    /// nested types (whose code could reach it outside the type's own analysis) and, when the rule is about long-lived
    /// collections, the member is static or its type is long-lived by declaration (no singleton registration needed).
    /// </summary>
    private static bool IsTypeLocal(ISymbol member, KnownTypes types, bool needsLongLived) =>
        member.DeclaredAccessibility == Accessibility.Private &&
        member.ContainingType is { } type && type.GetTypeMembers().IsEmpty &&
        (!needsLongLived || member.IsStatic || LongLivedTypes.IsLongLivedByDeclaration(type, types));

    private static ITypeSymbol? MemberType(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

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
                    facts.AddGrowth(invocation.Syntax.GetLocation(), CollectionKeys.DerivesFromParameter(invocation.Arguments[1].Value));
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
            || !_inScope(member)
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
}
