using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Common;

/// <summary>One assignment to an instance field or auto-property of the analysed type.</summary>
internal sealed class MemberAssignment
{
    /// <summary>Creates the record.</summary>
    public MemberAssignment(ISymbol member, MemberValueKind kind, IOperation operation, ISymbol? containingMember, bool isConstruction, bool isGuarded, bool inLoop)
    {
        Member = member;
        Kind = kind;
        Operation = operation;
        ContainingMember = containingMember;
        IsConstruction = isConstruction;
        IsGuarded = isGuarded;
        InLoop = inLoop;
    }

    /// <summary>The field or property assigned.</summary>
    public ISymbol Member { get; }

    /// <summary>What was assigned.</summary>
    public MemberValueKind Kind { get; }

    /// <summary>The assignment or initializer operation.</summary>
    public IOperation Operation { get; }

    /// <summary>The method, accessor or constructor that contains the assignment (null for initializers).</summary>
    public ISymbol? ContainingMember { get; }

    /// <summary>True in a constructor or a member initializer.</summary>
    public bool IsConstruction { get; }

    /// <summary>True for <c>??=</c> or an assignment inside <c>if (_f == null)</c>.</summary>
    public bool IsGuarded { get; }

    /// <summary>True inside a loop body.</summary>
    public bool InLoop { get; }
}

/// <summary>What an assignment stores into a member.</summary>
internal enum MemberValueKind
{
    /// <summary><c>null</c> or <c>default</c>.</summary>
    Null,

    /// <summary>A disposable the type created (see <see cref="Ownership.IsCreation"/>).</summary>
    Creation,

    /// <summary>Anything else: a parameter, an injected service, another object's member. Not owned.</summary>
    Other,
}

/// <summary>A member the type owns, with what the type does to release it.</summary>
internal sealed class OwnedMember
{
    /// <summary>Creates the record.</summary>
    public OwnedMember(ISymbol member, ImmutableArray<MemberAssignment> creations, bool isDisposed)
    {
        Member = member;
        Creations = creations;
        IsDisposed = isDisposed;
    }

    /// <summary>The owned field or auto-property.</summary>
    public ISymbol Member { get; }

    /// <summary>Every assignment of a created value.</summary>
    public ImmutableArray<MemberAssignment> Creations { get; }

    /// <summary>True when the type disposes it somewhere (Dispose call, using, handed to a container or helper in Dispose).</summary>
    public bool IsDisposed { get; }
}

/// <summary>
/// Collects, for one named type inside a <c>SymbolStart</c> action, which disposable instance members it owns
/// (every non-null value assigned is a creation), and where it disposes or lets go of them. Used by GOPI1003,
/// GOPI1004 and GOPI1005; read-only for other analyzers.
/// </summary>
internal sealed class OwnedMemberCollector
{
    private readonly INamedTypeSymbol _type;
    private readonly KnownTypes _known;
    private readonly DisposalOptions _options;
    private readonly ConcurrentQueue<MemberAssignment> _assignments = new();
    private readonly ConcurrentDictionary<ISymbol, bool> _disposed = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(ISymbol Member, ISymbol Method), bool> _releasedIn = new();

    private OwnedMemberCollector(INamedTypeSymbol type, KnownTypes known, DisposalOptions options)
    {
        _type = type;
        _known = known;
        _options = options;
    }

    /// <summary>The analysed type.</summary>
    public INamedTypeSymbol Type => _type;

    /// <summary>
    /// Registers the collecting actions on <paramref name="context"/> and returns the collector; read it in a
    /// symbol-end action registered after this call. Returns null for types that cannot own members (interfaces, enums, delegates, static classes).
    /// </summary>
    public static OwnedMemberCollector? Register(SymbolStartAnalysisContext context, KnownTypes known, DisposalOptions options)
    {
        if (context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsStatic: false } type ||
            !type.GetMembers().Any(m => m is IFieldSymbol { IsStatic: false, IsConst: false } f && known.IsDisposable(f.Type)))
        {
            return null;
        }

        var collector = new OwnedMemberCollector(type, known, options);
        context.RegisterOperationAction(collector.OnAssignment, OperationKind.SimpleAssignment, OperationKind.CoalesceAssignment);
        context.RegisterOperationAction(collector.OnInitializer, OperationKind.FieldInitializer, OperationKind.PropertyInitializer);
        context.RegisterOperationAction(collector.OnReference, OperationKind.FieldReference, OperationKind.PropertyReference);
        return collector;
    }

    /// <summary>
    /// The scaffold shared by GOPI1003, GOPI1004 and GOPI1005: once per compilation resolves the well-known types and
    /// the options, then for every named type that can own members registers a collector and, when
    /// <paramref name="analyzeType"/> accepts the type, asks <paramref name="report"/> for its diagnostics after the
    /// whole type is analysed.
    /// </summary>
    /// <param name="context">The analyzer's context.</param>
    /// <param name="analyzeType">Whether the rule looks at the type at all (cheap, checked at symbol start).</param>
    /// <param name="report">
    /// Builds the diagnostics for the type from its owned members; the flag says whether it runs at compilation end,
    /// so the rule picks its descriptor with the <c>CompilationEnd</c> tag.
    /// </param>
    /// <param name="ownersElsewhere">
    /// When true, a type whose owned members include one that other types can reach (not private) is decided at
    /// compilation end, and such a member is dropped when another type disposes it (a registry disposing
    /// <c>pipeline.Handle</c> manages that handle's lifetime). Types with only private owned members stay live.
    /// </param>
    public static void RegisterPerType(
        AnalysisContext context,
        Func<OwnedMemberCollector, bool> analyzeType,
        Func<OwnedMemberCollector, ImmutableArray<OwnedMember>, bool, IEnumerable<Diagnostic>> report,
        bool ownersElsewhere)
    {
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownTypes.TryCreate(start.Compilation) is not { } known)
            {
                return;
            }

            var options = new DisposalOptions(known);
            var elsewhere = ownersElsewhere ? new ReleasedElsewhere(known) : null;
            if (elsewhere is not null)
            {
                start.RegisterOperationAction(elsewhere.OnReference, OperationKind.FieldReference, OperationKind.PropertyReference);
                start.RegisterCompilationEndAction(end => elsewhere.ReportDeferred(end, report));
            }

            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    if (Register(symbolStart, known, options) is not { } collector || !analyzeType(collector))
                    {
                        return;
                    }

                    symbolStart.RegisterSymbolEndAction(end =>
                    {
                        var owned = collector.OwnedMembers();
                        if (owned.IsEmpty)
                        {
                            return;
                        }

                        if (elsewhere is not null && owned.Any(m => m.Member.DeclaredAccessibility != Accessibility.Private))
                        {
                            elsewhere.Defer(collector, owned);
                            return;
                        }

                        foreach (var diagnostic in report(collector, owned, false))
                        {
                            end.ReportDiagnostic(diagnostic);
                        }
                    });
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>
    /// Members that code outside their own type disposes (<c>await pipeline.Handle.DisposeAsync()</c>), and the
    /// owners waiting for that fact until compilation end. State of one compilation's analysis.
    /// </summary>
    private sealed class ReleasedElsewhere(KnownTypes known)
    {
        private readonly ConcurrentDictionary<ISymbol, byte> _released = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentQueue<(OwnedMemberCollector Collector, ImmutableArray<OwnedMember> Owned)> _deferred = new();

        public void OnReference(OperationAnalysisContext context)
        {
            var reference = (IMemberReferenceOperation)context.Operation;
            if (reference.Instance is null or IInstanceReferenceOperation || reference.IsAssignmentTarget() ||
                reference.Member.IsStatic || reference.Member.Locations.Length == 0 || !reference.Member.Locations[0].IsInSource)
            {
                return;
            }

            var member = reference.Member is IFieldSymbol { AssociatedSymbol: { } associated } ? associated : reference.Member;
            var type = member switch
            {
                IFieldSymbol field => field.Type,
                IPropertySymbol property => property.Type,
                _ => null,
            };

            // Disposed from another type, or driven from another type's Dispose (registry.DisposeAsync() calling
            // pipeline.Handle.ForceDisposeAsync()): that type manages the member's lifetime.
            var use = Ownership.FollowValue(reference, known);
            if (known.IsDisposable(type) &&
                (Disposes(use, known) ||
                 (use.Consumer is IInvocationOperation && context.ContainingSymbol is IMethodSymbol method && IsDisposeLike(method))))
            {
                _released.TryAdd(member.OriginalDefinition, 0);
            }
        }

        public void Defer(OwnedMemberCollector collector, ImmutableArray<OwnedMember> owned) => _deferred.Enqueue((collector, owned));

        public void ReportDeferred(
            CompilationAnalysisContext context,
            Func<OwnedMemberCollector, ImmutableArray<OwnedMember>, bool, IEnumerable<Diagnostic>> report)
        {
            foreach (var (collector, owned) in _deferred)
            {
                var remaining = owned.Where(m => !_released.ContainsKey(m.Member.OriginalDefinition)).ToImmutableArray();
                if (remaining.IsEmpty)
                {
                    continue;
                }

                foreach (var diagnostic in report(collector, remaining, true))
                {
                    context.ReportDiagnostic(diagnostic);
                }
            }
        }
    }

    /// <summary>All recorded assignments.</summary>
    public IEnumerable<MemberAssignment> Assignments => _assignments;

    /// <summary>The owned members: disposable, not exempt, assigned at least one creation and nothing but creations or null.</summary>
    public ImmutableArray<OwnedMember> OwnedMembers()
    {
        var result = ImmutableArray.CreateBuilder<OwnedMember>();
        foreach (var group in _assignments.GroupBy(a => a.Member, SymbolEqualityComparer.Default))
        {
            if (group.Any(a => a.Kind == MemberValueKind.Other) || !group.Any(a => a.Kind == MemberValueKind.Creation))
            {
                continue;
            }

            var member = group.Key!;
            result.Add(new OwnedMember(
                member,
                group.Where(a => a.Kind == MemberValueKind.Creation).OrderBy(a => a.Operation.Syntax.SpanStart).ToImmutableArray(),
                _disposed.ContainsKey(member)));
        }

        return result.OrderBy(m => m.Member.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0).ToImmutableArray();
    }

    /// <summary>True when <paramref name="method"/> disposes, hands off or reads <paramref name="member"/> into a local.</summary>
    public bool IsReleasedIn(ISymbol member, ISymbol? method) => method is not null && _releasedIn.ContainsKey((member, method));

    /// <summary>True when <paramref name="type"/> implements IDisposable or IAsyncDisposable.</summary>
    public bool TypeIsDisposable => KnownTypes.IsAssignableTo(_type, _known.IDisposable) || KnownTypes.IsAssignableTo(_type, _known.IAsyncDisposable);

    private ISymbol? CandidateMember(IOperation target)
    {
        ISymbol? member = target.WithoutConversions() switch
        {
            IFieldReferenceOperation { Field: { IsStatic: false } field } => field.AssociatedSymbol ?? field,
            IPropertyReferenceOperation { Property: { IsStatic: false, IsIndexer: false } property } when IsAutoProperty(property) => property,
            _ => null,
        };

        if (member is null || !SymbolEqualityComparer.Default.Equals(member.ContainingType, _type))
        {
            return null;
        }

        var memberType = member is IFieldSymbol f ? f.Type : ((IPropertySymbol)member).Type;
        return _known.IsDisposable(memberType) ? member : null;
    }

    private bool IsAutoProperty(IPropertySymbol property) =>
        SymbolEqualityComparer.Default.Equals(property.ContainingType, _type) &&
        _type.GetMembers().Any(m => m is IFieldSymbol field && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property));

    private void OnAssignment(OperationAnalysisContext context)
    {
        var assignment = (IAssignmentOperation)context.Operation;
        if (CandidateMember(assignment.Target) is not { } member)
        {
            return;
        }

        var kind = Classify(assignment.Value, context);
        if (kind == MemberValueKind.Creation && IsReleasedThroughAlias(assignment))
        {
            _disposed.TryAdd(member, true);
        }

        var isConstruction = context.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor };
        _assignments.Enqueue(new MemberAssignment(
            member,
            kind,
            assignment,
            context.ContainingSymbol,
            isConstruction,
            assignment is ICoalesceAssignmentOperation || IsGuardedByNullCheck(assignment, member),
            IsInLoop(assignment)));
    }

    private void OnInitializer(OperationAnalysisContext context)
    {
        var initializer = (ISymbolInitializerOperation)context.Operation;
        var members = initializer switch
        {
            IFieldInitializerOperation field => field.InitializedFields.Select(f => (ISymbol)(f.AssociatedSymbol ?? f)),
            IPropertyInitializerOperation property => property.InitializedProperties,
            _ => Enumerable.Empty<ISymbol>(),
        };

        foreach (var member in members)
        {
            if (member.IsStatic || !SymbolEqualityComparer.Default.Equals(member.ContainingType, _type))
            {
                continue;
            }

            var memberType = member is IFieldSymbol f ? f.Type : ((IPropertySymbol)member).Type;
            if (_known.IsDisposable(memberType))
            {
                _assignments.Enqueue(new MemberAssignment(member, Classify(initializer.Value, context), initializer, null, true, false, false));
            }
        }
    }

    private MemberValueKind Classify(IOperation value, OperationAnalysisContext context)
    {
        value = value.WithoutConversions();
        if (value.ConstantValue is { HasValue: true, Value: null } || value is IDefaultValueOperation)
        {
            return MemberValueKind.Null;
        }

        if (Ownership.IsCreation(value, _known, out var created))
        {
            return _options.IsExemptCreation(value, created, context.Options) ? MemberValueKind.Null : MemberValueKind.Creation;
        }

        // "var t = new Timer(...); t.Elapsed += ...; _timer = t;": the local holds only creations.
        if (value is ILocalReferenceOperation local && LocalHoldsOnlyCreations(local, context))
        {
            return MemberValueKind.Creation;
        }

        return MemberValueKind.Other;
    }

    private bool LocalHoldsOnlyCreations(ILocalReferenceOperation reference, OperationAnalysisContext context)
    {
        var found = false;
        foreach (var operation in reference.Root().Descendants())
        {
            IOperation? stored = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, reference.Local) =>
                    declarator.Initializer?.Value ?? declarator.GetVariableInitializer()?.Value,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    when SymbolEqualityComparer.Default.Equals(target.Local, reference.Local) => assignment.Value,
                _ => null,
            };

            if (stored is null)
            {
                continue;
            }

            stored = stored.WithoutConversions();
            if (!Ownership.IsCreation(stored, _known, out var created) || _options.IsExemptCreation(stored, created, context.Options))
            {
                return false;
            }

            found = true;
        }

        return found;
    }

    private void OnReference(OperationAnalysisContext context)
    {
        var reference = context.Operation;
        if (reference.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference))
        {
            return;
        }

        if (reference is IFieldReferenceOperation { Field.AssociatedSymbol: not null } ||
            CandidateMember(reference) is not { } member)
        {
            return;
        }

        var use = Ownership.FollowValue(reference, _known);
        var containing = context.ContainingSymbol;
        var inDispose = containing is IMethodSymbol method && IsDisposeLike(method);
        var disposes = Disposes(use, _known) ||
                       (inDispose && use.Consumer is IVariableDeclaratorOperation or IArgumentOperation) || // var x = _f; Release(_f); in Dispose
                       (inDispose && use.Kind == ValueUseKind.StoredInLocal);

        if (disposes)
        {
            _disposed.TryAdd(member, true);
        }

        if (disposes || use.Kind == ValueUseKind.StoredInLocal || use.Consumer is IArgumentOperation)
        {
            _releasedIn.TryAdd((member, containing), true);
        }
    }

    /// <summary>
    /// True when <paramref name="use"/> of a member's value disposes it or hands it to an owner: a release call, a
    /// <c>using</c>, a method group, a ref argument, an argument an invocation takes over, or a wrapper that is itself
    /// stored (<c>_reader = new StreamReader(_stream)</c>: the stored wrapper owns the member now).
    /// </summary>
    private static bool Disposes(ValueUse use, KnownTypes known) => use.Consumer switch
    {
        IInvocationOperation or IConditionalAccessOperation or IUsingOperation or IMethodReferenceOperation or IVariableDeclaratorOperation =>
            use.Kind == ValueUseKind.Released,
        IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref ||
                                       (use.Kind == ValueUseKind.Released && argument.Parent is IInvocationOperation) ||
                                       (use.Kind == ValueUseKind.Released && argument.Parent is IObjectCreationOperation wrapper &&
                                        Ownership.FollowValue(wrapper, known).Kind == ValueUseKind.Released),
        _ => false,
    };

    /// <summary>
    /// True when the value an assignment stores in a member is also kept by a local alias that hands it to an owner:
    /// <c>Stream s = _file = File.OpenWrite(p); ... _output = new StreamWriter(s);</c> (the stored writer owns it).
    /// </summary>
    private bool IsReleasedThroughAlias(IAssignmentOperation assignment)
    {
        if (assignment.Parent is IExpressionStatementOperation)
        {
            return false;
        }

        var use = Ownership.FollowValue(assignment, _known);
        if (use.Kind != ValueUseKind.StoredInLocal || use.Local is not { } local)
        {
            return Disposes(use, _known);
        }

        foreach (var operation in assignment.Root().Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) &&
                !reference.IsAssignmentTarget() && Disposes(Ownership.FollowValue(reference, _known), _known))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for Dispose(), DisposeAsync(), Dispose(bool), DisposeAsyncCore() and explicit implementations.</summary>
    public static bool IsDisposeLike(IMethodSymbol method)
    {
        if (method.MethodKind is MethodKind.LambdaMethod or MethodKind.LocalFunction && method.ContainingSymbol is IMethodSymbol outer)
        {
            return IsDisposeLike(outer);
        }

        return method.Name switch
        {
            "Dispose" => method.Parameters.Length == 0 || (method.Parameters.Length == 1 && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean),
            "DisposeAsync" or "DisposeAsyncCore" or "Close" => method.Parameters.Length == 0,
            _ => method.ExplicitInterfaceImplementations.Any(i => i.Name is "Dispose" or "DisposeAsync"),
        };
    }

    private static bool IsGuardedByNullCheck(IOperation assignment, ISymbol member)
    {
        for (var current = assignment.Parent; current is not null; current = current.Parent)
        {
            if (current is IConditionalOperation { Condition: { } condition } conditional &&
                !ReferenceEquals(condition, assignment) && MentionsNullTestOf(condition, member))
            {
                return true;
            }

            if (current is IMethodBodyOperation or IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }
        }

        return false;
    }

    private static bool MentionsNullTestOf(IOperation condition, ISymbol member)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            IOperation? tested = operation switch
            {
                IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                    when binary.RightOperand.WithoutConversions().ConstantValue is { HasValue: true, Value: null } => binary.LeftOperand,
                IIsPatternOperation pattern => pattern.Value,
                _ => null,
            };

            if (tested?.WithoutConversions() is IMemberReferenceOperation reference &&
                (SymbolEqualityComparer.Default.Equals(reference.Member, member) ||
                 reference.Member is IFieldSymbol { AssociatedSymbol: { } associated } && SymbolEqualityComparer.Default.Equals(associated, member)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInLoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation)
            {
                return true;
            }

            if (current is IMethodBodyOperation or IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }
}
