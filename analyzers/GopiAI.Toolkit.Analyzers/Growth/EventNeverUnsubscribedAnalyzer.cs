using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// GOPI2003: an instance subscribes with <c>+=</c> to an event of a longer-lived object — a static event, an object
/// injected through its constructor, a field it does not own — with a handler that keeps it alive, and its type never
/// removes that handler with <c>-=</c>. Subscribers that are long-lived by declaration (static, <c>[LazyStartup]</c>,
/// hosted services) are not reported: they outlive nothing. Type-scoped (SymbolStart/End), so the diagnostics are local.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EventNeverUnsubscribedAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property holding the <c>-=</c> statement the code fix adds to <c>Dispose</c>.</summary>
    internal const string UnsubscribeProperty = "Unsubscribe";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.GOPI2003_EventNeverUnsubscribed];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var types = KnownTypes.TryCreate(start.Compilation)!;

            // Everything the rule needs lives inside the subscriber's type, so the diagnostics are local (live in the
            // editor, fixable from the light bulb).
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    var type = (INamedTypeSymbol)symbolStart.Symbol;
                    if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || LongLivedTypes.IsLongLivedByDeclaration(type, types))
                    {
                        return;
                    }

                    var state = new State(type);
                    symbolStart.RegisterOperationAction(state.OnEventAssignment, OperationKind.EventAssignment);
                    symbolStart.RegisterOperationAction(state.OnAssignment, OperationKind.SimpleAssignment, OperationKind.CoalesceAssignment);
                    symbolStart.RegisterOperationAction(state.OnInitializer, OperationKind.FieldInitializer, OperationKind.PropertyInitializer);
                    symbolStart.RegisterSymbolEndAction(state.Report);
                },
                SymbolKind.NamedType);
        });
    }

    private sealed class State(INamedTypeSymbol type)
    {
        private readonly ConcurrentBag<Subscription> _subscriptions = [];
        private readonly ConcurrentDictionary<(ISymbol Event, ISymbol Handler), byte> _unsubscriptions = new(KeyComparer.Instance);
        private readonly ConcurrentDictionary<ISymbol, byte> _ownedMembers = new(SymbolEqualityComparer.Default);

        public void OnInitializer(OperationAnalysisContext context)
        {
            var (members, value) = context.Operation switch
            {
                IFieldInitializerOperation field => ((IEnumerable<ISymbol>)field.InitializedFields, field.Value),
                IPropertyInitializerOperation property => (property.InitializedProperties, property.Value),
                _ => ([], null!),
            };

            if (Operations.WithoutConversions(value) is IObjectCreationOperation)
            {
                foreach (var member in members)
                {
                    _ownedMembers.TryAdd(member.OriginalDefinition, 0);
                }
            }
        }

        public void OnAssignment(OperationAnalysisContext context)
        {
            var assignment = (IAssignmentOperation)context.Operation;
            if (assignment.Target is IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol } target && Operations.WithoutConversions(assignment.Value) is IObjectCreationOperation)
            {
                _ownedMembers.TryAdd(target.Member.OriginalDefinition, 0);
            }
        }

        public void OnEventAssignment(OperationAnalysisContext context)
        {
            var assignment = (IEventAssignmentOperation)context.Operation;
            if (!SymbolEqualityComparer.Default.Equals(context.ContainingSymbol?.ContainingType, type)
                || assignment.EventReference is not IEventReferenceOperation eventReference)
            {
                return;
            }

            var eventSymbol = eventReference.Event.OriginalDefinition;
            var handler = HandlerKey(assignment.HandlerValue);
            if (!assignment.Adds)
            {
                if (handler is not null)
                {
                    _unsubscriptions.TryAdd((eventSymbol, handler), 0);
                }

                return;
            }

            if (!KeepsThisAlive(assignment.HandlerValue))
            {
                return;
            }

            string? receiverText;
            ISymbol? receiverMember = null;
            if (eventReference.Event.IsStatic)
            {
                receiverText = eventReference.Syntax is MemberAccessExpressionSyntax access ? access.Expression.ToString() : null;
            }
            else
            {
                switch (Operations.WithoutConversions(eventReference.Instance!))
                {
                    case IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } constructor } parameter:
                        receiverText = ReceiverForParameter(assignment, parameter, constructor);
                        break;
                    case IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol } member when member.Member.IsStatic:
                        receiverText = member.Syntax.ToString();
                        break;
                    case IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol, Instance: IInstanceReferenceOperation } member:
                        receiverText = member.Syntax.ToString();
                        receiverMember = member.Member.OriginalDefinition;
                        break;
                    default:
                        return;
                }
            }

            string? unsubscribe = null;
            if (handler is IMethodSymbol && assignment.HandlerValue.Syntax is { } handlerSyntax && assignment.Syntax is AssignmentExpressionSyntax)
            {
                var eventText = receiverText is null ? eventReference.Event.Name : receiverText + "." + eventReference.Event.Name;
                unsubscribe = eventReference.Event.IsStatic && receiverText is null && eventReference.Syntax is IdentifierNameSyntax
                    ? eventReference.Event.Name + " -= " + handlerSyntax
                    : receiverText is null ? null : eventText + " -= " + handlerSyntax;
            }

            _subscriptions.Add(new Subscription(eventSymbol, handler, receiverMember, assignment.Syntax.GetLocation(), unsubscribe));
        }

        public void Report(SymbolAnalysisContext context)
        {
            foreach (var subscription in _subscriptions)
            {
                if ((subscription.Handler is not null && _unsubscriptions.ContainsKey((subscription.Event, subscription.Handler)))
                    || (subscription.ReceiverMember is not null && _ownedMembers.ContainsKey(subscription.ReceiverMember)))
                {
                    continue;
                }

                var properties = subscription.Unsubscribe is null
                    ? ImmutableDictionary<string, string?>.Empty
                    : ImmutableDictionary<string, string?>.Empty.Add(UnsubscribeProperty, subscription.Unsubscribe);
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.GOPI2003_EventNeverUnsubscribed,
                    subscription.Location,
                    properties,
                    type.Name,
                    subscription.Event.Name));
            }
        }

        private static string? ReceiverForParameter(IOperation operation, IParameterReferenceOperation parameter, IMethodSymbol constructor)
        {
            // A primary-constructor parameter stays in scope for every member; a classic one must have been stored.
            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is TypeDeclarationSyntax)
                {
                    return parameter.Parameter.Name;
                }
            }

            var root = operation;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            foreach (var descendant in root.Descendants())
            {
                if (descendant is ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol, Instance: IInstanceReferenceOperation } target } assignment
                    && Operations.WithoutConversions(assignment.Value) is IParameterReferenceOperation stored
                    && SymbolEqualityComparer.Default.Equals(stored.Parameter, parameter.Parameter))
                {
                    return target.Member.Name;
                }
            }

            return null;
        }

        private static ISymbol? HandlerKey(IOperation handler)
        {
            var value = Operations.WithoutConversions(handler);
            if (value is IDelegateCreationOperation creation)
            {
                value = creation.Target;
            }

            return value switch
            {
                IMethodReferenceOperation method => method.Method.OriginalDefinition,
                IMemberReferenceOperation member => member.Member.OriginalDefinition,
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
        }

        private static bool KeepsThisAlive(IOperation handler)
        {
            var value = Operations.WithoutConversions(handler);
            if (value is IDelegateCreationOperation creation)
            {
                value = creation.Target;
            }

            switch (value)
            {
                case IMethodReferenceOperation method:
                    return !method.Method.IsStatic && method.Instance is IInstanceReferenceOperation;
                case IAnonymousFunctionOperation lambda:
                    foreach (var descendant in lambda.Body.Descendants())
                    {
                        if (descendant is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
                        {
                            return true;
                        }
                    }

                    return false;
                case IMemberReferenceOperation { Member.IsStatic: false }:
                    return true;
                default:
                    return false;
            }
        }
    }

    private sealed class Subscription(ISymbol @event, ISymbol? handler, ISymbol? receiverMember, Location location, string? unsubscribe)
    {
        public ISymbol Event { get; } = @event;

        public ISymbol? Handler { get; } = handler;

        public ISymbol? ReceiverMember { get; } = receiverMember;

        public Location Location { get; } = location;

        public string? Unsubscribe { get; } = unsubscribe;
    }

    private sealed class KeyComparer : IEqualityComparer<(ISymbol Event, ISymbol Handler)>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals((ISymbol Event, ISymbol Handler) x, (ISymbol Event, ISymbol Handler) y) =>
            SymbolEqualityComparer.Default.Equals(x.Event, y.Event) && SymbolEqualityComparer.Default.Equals(x.Handler, y.Handler);

        public int GetHashCode((ISymbol Event, ISymbol Handler) obj) =>
            SymbolEqualityComparer.Default.GetHashCode(obj.Event) * 31 + SymbolEqualityComparer.Default.GetHashCode(obj.Handler);
    }
}
