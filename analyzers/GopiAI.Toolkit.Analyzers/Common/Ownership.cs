using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Common;

/// <summary>
/// The ownership model shared by the disposal and growth analyzers: which expressions create a disposable the
/// current code owns, and where ownership goes next. Precision first: anything the model cannot prove to be a leak
/// counts as a transfer of ownership.
/// </summary>
internal static class Ownership
{
    /// <summary>
    /// True when <paramref name="operation"/> creates a disposable that the calling code owns: <c>new T(...)</c> of a
    /// disposable type; a static factory on the type it returns (<c>SHA256.Create()</c>, <c>JsonDocument.Parse</c>,
    /// <c>CancellationTokenSource.CreateLinkedTokenSource</c>); a <c>[Pooled]</c> type's <c>RentScoped()</c> lease; <c>File.Open*</c>/<c>ZipFile.Open*</c>;
    /// <c>FileInfo.Open*</c>; <c>DbConnection.CreateCommand</c>/<c>DbCommand.ExecuteReader</c>; an awaited
    /// <c>HttpClient.SendAsync</c>/<c>GetAsync</c>... response. Values from factories that keep ownership
    /// (<c>IHttpClientFactory</c>, <c>IServiceProvider</c>, <c>IMeterFactory</c>), parameters, fields and properties are
    /// never creations. Exemptions from .editorconfig are the caller's business.
    /// </summary>
    public static bool IsCreation(IOperation operation, KnownTypes known, out ITypeSymbol createdType)
    {
        createdType = null!;
        switch (operation)
        {
            case IObjectCreationOperation { Type: { } type } when known.IsDisposable(type):
                createdType = type;
                return true;

            case IInvocationOperation invocation when IsFactoryCall(invocation.TargetMethod, invocation.Instance, invocation.Type, known):
                createdType = invocation.Type!;
                return true;

            case IAwaitOperation { Operation: IInvocationOperation awaited, Type: { } result }
                when known.IsDisposable(result) && IsFactoryCall(UnwrapCarriers(awaited, known), result, known):
                createdType = result;
                return true;

            default:
                return false;
        }
    }

    // await client.GetAsync(url).ConfigureAwait(false): the factory call is under the ConfigureAwait that carries its task.
    private static IInvocationOperation UnwrapCarriers(IInvocationOperation awaited, KnownTypes known)
    {
        while (awaited.Instance?.WithoutConversions() is IInvocationOperation inner && CarriesReceiver(inner.Type, awaited.Type, known))
        {
            awaited = inner;
        }

        return awaited;
    }

    private static bool IsFactoryCall(IInvocationOperation call, ITypeSymbol? resultType, KnownTypes known) =>
        IsFactoryCall(call.TargetMethod, call.Instance, resultType, known);

    private static bool IsFactoryCall(IMethodSymbol method, IOperation? instance, ITypeSymbol? resultType, KnownTypes known)
    {
        if (!known.IsDisposable(resultType))
        {
            return false;
        }

        var containing = method.ContainingType;
        if (method.IsStatic)
        {
            if (method.IsExtensionMethod)
            {
                return false;
            }

            // [Pooled] T.RentScoped(): the lease must be disposed to give the object back.
            if (known.PooledLease is not null && SymbolEqualityComparer.Default.Equals(resultType?.OriginalDefinition, known.PooledLease))
            {
                return true;
            }

            // A static factory on the type it produces, e.g. SHA256.Create(), JsonDocument.Parse(...).
            if (KnownTypes.IsAssignableTo(resultType, containing) && !known.IsTaskLike(containing))
            {
                return true;
            }

            return SymbolEqualityComparer.Default.Equals(containing, known.File) ||
                   SymbolEqualityComparer.Default.Equals(containing, known.ZipFile);
        }

        var receiverType = instance?.Type ?? containing;
        if (KnownTypes.IsAssignableTo(receiverType, known.FileInfo))
        {
            return true;
        }

        if (KnownTypes.IsAssignableTo(receiverType, known.HttpMessageInvoker))
        {
            // SendAsync/GetAsync/PostAsync...: the response belongs to the caller.
            return true;
        }

        if (KnownTypes.IsAssignableTo(receiverType, known.DbConnection))
        {
            return method.Name is "CreateCommand" or "BeginTransaction";
        }

        if (KnownTypes.IsAssignableTo(receiverType, known.DbCommand))
        {
            return method.Name is "ExecuteReader";
        }

        return false;
    }

    /// <summary>
    /// Follows <paramref name="value"/> upwards through conversions, conditionals, awaits and null-coalescing to the
    /// operation that consumes it, and classifies what that consumer does with ownership.
    /// </summary>
    public static ValueUse FollowValue(IOperation value, KnownTypes known) => FollowValue(value, known, depth: 0);

    // Following a carrier through a local can lead back to the same local (x = Wrap(x)): depth bounds the search.
    private static ValueUse FollowValue(IOperation value, KnownTypes known, int depth)
    {
        var current = value;
        while (true)
        {
            var parent = current.Parent;
            switch (parent)
            {
                case null:
                    return new ValueUse(ValueUseKind.Released, current);

                case IConversionOperation:
                case IParenthesizedOperation:
                case IConditionalOperation conditional when !ReferenceEquals(conditional.Condition, current):
                case ICoalesceOperation coalesce when ReferenceEquals(coalesce.Value, current) || ReferenceEquals(coalesce.WhenNull, current):
                case ISwitchExpressionArmOperation arm when ReferenceEquals(arm.Value, current):
                case ISwitchExpressionOperation switchExpression when !ReferenceEquals(switchExpression.Value, current):
                    current = parent;
                    continue;

                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return IsUsingDeclarator(declarator)
                        ? new ValueUse(ValueUseKind.Released, declarator)
                        : declarator.Symbol.RefKind == RefKind.None
                            ? new ValueUse(ValueUseKind.StoredInLocal, declarator, declarator.Symbol)
                            : new ValueUse(ValueUseKind.Released, declarator);

                case IVariableInitializerOperation initializer:
                    // Field, property or parameter default initializer: stored in a member.
                    return new ValueUse(ValueUseKind.Released, initializer);

                case IAssignmentOperation assignment when ReferenceEquals(assignment.Value, current):
                    var stored = ClassifyAssignmentTarget(assignment);

                    // "using (s = Open())", "return _f = Open()", "s = _f = Open()": the assignment is itself a value,
                    // and what consumes it decides as well.
                    if (stored.Kind == ValueUseKind.StoredInLocal && assignment.Parent is not IExpressionStatementOperation &&
                        FollowValue(assignment, known, depth) is { Kind: ValueUseKind.Released } alias)
                    {
                        return alias;
                    }

                    return stored;

                case IReturnOperation:
                    return new ValueUse(ValueUseKind.Released, parent);

                case IArgumentOperation argument:
                    return ArgumentTransfersOwnership(argument, known, depth)
                        ? new ValueUse(ValueUseKind.Released, argument)
                        : new ValueUse(ValueUseKind.Used, argument);

                case IExpressionStatementOperation:
                    return new ValueUse(ValueUseKind.Discarded, parent);

                case IUsingOperation:
                    return new ValueUse(ValueUseKind.Released, parent);

                case IInvocationOperation invocation when ReferenceEquals(invocation.Instance, current):
                    if (Operations.IsDisposeMethod(invocation.TargetMethod))
                    {
                        return new ValueUse(ValueUseKind.Released, invocation);
                    }

                    if (CarriesReceiver(current.Type, invocation.Type, known))
                    {
                        current = invocation;
                        continue;
                    }

                    // builder.Build() on a disposable struct: a copy-by-value builder hands what it holds to the caller.
                    return current.Type is { IsValueType: true } && known.IsDisposable(current.Type) && known.IsDisposable(invocation.Type)
                        ? new ValueUse(ValueUseKind.Released, invocation)
                        : new ValueUse(ValueUseKind.Used, invocation);

                case IPropertyReferenceOperation property when ReferenceEquals(property.Instance, current) &&
                                                               CarriesReceiver(current.Type, property.Type, known):
                    // task.Result: the same value, unwrapped.
                    current = property;
                    continue;

                case IMemberReferenceOperation member when ReferenceEquals(member.Instance, current):
                    // A method group (token.Register(cts.Dispose)) may dispose it later; reading a property does not.
                    return member is IMethodReferenceOperation
                        ? new ValueUse(ValueUseKind.Released, member)
                        : new ValueUse(ValueUseKind.Used, member);

                case IArrayElementReferenceOperation element when ReferenceEquals(element.ArrayReference, current):
                    return new ValueUse(ValueUseKind.Used, element);

                case IForEachLoopOperation loop when ReferenceEquals(loop.Collection, current):
                    return new ValueUse(ValueUseKind.Used, loop);

                case IConditionalAccessOperation conditionalAccess when ReferenceEquals(conditionalAccess.Operation, current):
                    return conditionalAccess.WhenNotNull is IInvocationOperation { Instance: IConditionalAccessInstanceOperation } call &&
                           Operations.IsDisposeMethod(call.TargetMethod)
                        ? new ValueUse(ValueUseKind.Released, conditionalAccess)
                        : new ValueUse(ValueUseKind.Used, conditionalAccess);

                case IIsPatternOperation pattern when DeclaresVariable(pattern.Pattern):
                    // "Create() is { } created ? ... : ...": the value lives on in a pattern variable.
                    return new ValueUse(ValueUseKind.Released, parent);

                case IBinaryOperation:
                case IIsPatternOperation:
                case IIsTypeOperation:
                case IInterpolationOperation:
                case ILockOperation:
                case INameOfOperation:
                    return new ValueUse(ValueUseKind.Used, parent);

                default:
                    // Array and collection initializers, tuples, anonymous objects, lambdas returning it, patterns...:
                    // ownership leaves our sight, so precision says "transferred".
                    return new ValueUse(ValueUseKind.Released, parent);
            }
        }
    }

    /// <summary>
    /// True when a member of a value of type <paramref name="receiver"/> that returns <paramref name="result"/> hands
    /// back the same object, so following the result is following the value: a fluent call (<c>new X().Configure()</c>
    /// returns an <c>X</c>), or unwrapping a task, awaitable or awaiter of a disposable <c>D</c> into <c>D</c> or into
    /// another wrapper of <c>D</c> (<c>Task&lt;D&gt;.ConfigureAwait</c>, <c>.Result</c>, <c>.GetAwaiter().GetResult()</c>).
    /// </summary>
    private static bool CarriesReceiver(ITypeSymbol? receiver, ITypeSymbol? result, KnownTypes known)
    {
        if (receiver is null || result is null || result.SpecialType != SpecialType.None)
        {
            return false;
        }

        if (known.IsDisposable(result) && KnownTypes.IsAssignableTo(receiver, result as INamedTypeSymbol))
        {
            return true;
        }

        var carried = CarriedDisposable(receiver, known);
        return carried is not null &&
               (SymbolEqualityComparer.Default.Equals(result, carried) || SymbolEqualityComparer.Default.Equals(CarriedDisposable(result, known), carried));
    }

    // The disposable type argument of a generic wrapper (Task<D>, ConfiguredTaskAwaitable<D>, its nested awaiter).
    private static ITypeSymbol? CarriedDisposable(ITypeSymbol type, KnownTypes known)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.ContainingType)
        {
            foreach (var argument in current.TypeArguments)
            {
                if (known.IsDisposable(argument))
                {
                    return argument;
                }
            }
        }

        return null;
    }

    private static bool DeclaresVariable(IPatternOperation pattern)
    {
        foreach (var operation in pattern.DescendantsAndSelf())
        {
            if (operation is IDeclarationPatternOperation { DeclaredSymbol: not null } or IRecursivePatternOperation { DeclaredSymbol: not null })
            {
                return true;
            }
        }

        return false;
    }

    private static ValueUse ClassifyAssignmentTarget(IAssignmentOperation assignment)
    {
        var target = assignment.Target;
        while (target is IConversionOperation conversion)
        {
            target = conversion.Operand;
        }

        return target switch
        {
            IDiscardOperation => new ValueUse(ValueUseKind.Discarded, assignment),
            ILocalReferenceOperation local when local.Local.RefKind == RefKind.None && !local.Local.IsUsing =>
                new ValueUse(ValueUseKind.StoredInLocal, assignment, local.Local),
            _ => new ValueUse(ValueUseKind.Released, assignment),
        };
    }

    private static bool IsUsingDeclarator(IVariableDeclaratorOperation declarator) =>
        declarator.Symbol.IsUsing ||
        declarator.Parent?.Parent is { } group && group.Parent is IUsingOperation or IUsingDeclarationOperation;

    /// <summary>
    /// True when passing a value as <paramref name="argument"/> hands ownership over: constructor arguments (wrappers
    /// such as <c>new StreamReader(stream)</c>) unless <c>leaveOpen: true</c>/<c>disposeHandler: false</c> is passed;
    /// <c>ref</c>/<c>out</c> arguments; collections and containers (<c>list.Add(x)</c>, parameters typed exactly
    /// <c>IDisposable</c>); DI registrations on <c>IServiceCollection</c>; wrapper factories that return a disposable.
    /// </summary>
    public static bool ArgumentTransfersOwnership(IArgumentOperation argument, KnownTypes known) => ArgumentTransfersOwnership(argument, known, depth: 0);

    private static bool ArgumentTransfersOwnership(IArgumentOperation argument, KnownTypes known, int depth)
    {
        var parameter = argument.Parameter;
        if (parameter is null || parameter.RefKind is RefKind.Ref or RefKind.Out)
        {
            return true;
        }

        switch (argument.Parent)
        {
            case IObjectCreationOperation creation:
                return !KeepsArgumentsOpen(creation.Arguments);

            case IInvocationOperation { TargetMethod.MethodKind: MethodKind.Constructor } baseCall:
                // ": base(new FileStream(...))" hands the value to the object under construction, like "new".
                return !KeepsArgumentsOpen(baseCall.Arguments);

            case IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke }:
                // addSink(writer): a delegate is code the caller handed in; what it receives is handed over too.
                return true;

            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                if (HasOwnershipFlag(invocation.Arguments) || StoresThroughRef(invocation.Arguments) ||
                    CalleeKeepsParameter(method, parameter))
                {
                    return true;
                }

                if (IsExactly(parameter.Type, known.IDisposable) || IsExactly(parameter.Type, known.IAsyncDisposable))
                {
                    return true;
                }

                if (known.IServiceCollection is not null &&
                    (KnownTypes.IsAssignableTo(invocation.Instance?.Type, known.IServiceCollection) ||
                     (method.IsExtensionMethod && method.Parameters.Length > 0 &&
                      KnownTypes.IsAssignableTo(method.Parameters[0].Type, known.IServiceCollection))))
                {
                    return true;
                }

                if (invocation.Instance is { } instance && known.IsCollection(instance.Type))
                {
                    return true;
                }

                if (method.IsExtensionMethod && method.Parameters.Length > 0 && !ReferenceEquals(method.Parameters[0], parameter) &&
                    known.IsCollection(method.Parameters[0].Type) && invocation.Arguments.Length > 0 &&
                    known.IsCollection(invocation.Arguments[0].Value.Type))
                {
                    return true;
                }

                // Wrapper factories: Stream.Synchronized(s), TextWriter.Synchronized(w).
                if (known.IsDisposable(method.ReturnType) && known.IsDisposable(parameter.Type) && !known.IsTaskLike(method.ReturnType))
                {
                    return true;
                }

                // The result carries the argument out: return Task.FromResult(stream); return File(stream, "text/csv");
                // _result = Wrap(stream). Only results that can hold an object count (not int, string, bool...).
                return (CanCarry(method.ReturnType) || known.HasDisposePattern(method.ReturnType)) && CarrierIsReleased(invocation, known, depth + 1);

            default:
                // Delegate invocations, indexers, attributes, dynamic: unknown, so transferred.
                return true;
        }
    }

    // The result that carries the argument is released, directly or through the local it is stored in
    // (var t = Task.FromResult(stream); using var s = await t;).
    private static bool CarrierIsReleased(IInvocationOperation carrier, KnownTypes known, int depth)
    {
        if (depth > MaxCarrierDepth)
        {
            return true; // out of sight: precision says "transferred".
        }

        var use = FollowValue(carrier, known, depth);
        if (use.Kind == ValueUseKind.Released)
        {
            return true;
        }

        if (use.Kind != ValueUseKind.StoredInLocal || use.Local is not { } local)
        {
            return false;
        }

        foreach (var operation in carrier.Root().Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) &&
                !reference.IsAssignmentTarget() && FollowValue(reference, known, depth).Kind == ValueUseKind.Released)
            {
                return true;
            }
        }

        return false;
    }

    private const int MaxCarrierDepth = 4;

    private static bool CanCarry(ITypeSymbol type) =>
        type.SpecialType == SpecialType.None &&
        (type.IsReferenceType || type is INamedTypeSymbol { IsGenericType: true } || type.TypeKind == TypeKind.TypeParameter);

    // OpenCoreAsync(config, generator, ownsGenerator: true), new Wrapper(inner, disposeInner: true).
    private static bool HasOwnershipFlag(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var other in arguments)
        {
            if (other.Parameter is { Type.SpecialType: SpecialType.System_Boolean } flag &&
                other.Value.ConstantValue is { HasValue: true, Value: true } &&
                (flag.Name.StartsWith("owns", System.StringComparison.Ordinal) || flag.Name.StartsWith("dispose", System.StringComparison.Ordinal) ||
                 flag.Name.StartsWith("transferOwnership", System.StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    // Interlocked.Exchange(ref _field, value), Volatile.Write(ref _field, value): the value lands in a member.
    private static bool StoresThroughRef(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var other in arguments)
        {
            if (other.Parameter?.RefKind == RefKind.Ref && other.Value.WithoutConversions() is IMemberReferenceOperation or IArrayElementReferenceOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// For a method declared in source, true when its body does more with <paramref name="parameter"/> than read its
    /// members: stores, returns, passes on, captures or disposes it (<c>ReplaceIndex(built)</c> that swaps a field).
    /// Reads the callee's syntax only (no semantic model); methods without a body in source keep the default: not a transfer.
    /// </summary>
    public static bool CalleeKeepsParameter(IMethodSymbol method, IParameterSymbol parameter)
    {
        var definition = method.PartialImplementationPart ?? method.OriginalDefinition;
        var name = parameter.Name;
        foreach (var reference in definition.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            SyntaxNode? body = declaration switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax m => (SyntaxNode?)m.Body ?? m.ExpressionBody,
                Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax f => (SyntaxNode?)f.Body ?? f.ExpressionBody,
                _ => null,
            };

            if (body is null)
            {
                continue;
            }

            foreach (var node in body.DescendantNodes())
            {
                if (node is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax identifier &&
                    identifier.Identifier.ValueText == name && !IsMemberRead(identifier))
                {
                    return true;
                }
            }

        }

        return false;
    }

    private static bool IsMemberRead(Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax identifier)
    {
        switch (identifier.Parent)
        {
            case Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access when access.Expression == identifier:
                return !Operations.IsDisposeName(access.Name.Identifier.ValueText);
            case Microsoft.CodeAnalysis.CSharp.Syntax.ConditionalAccessExpressionSyntax conditional when conditional.Expression == identifier:
                return !(conditional.WhenNotNull is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax
                {
                    Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberBindingExpressionSyntax binding,
                } && Operations.IsDisposeName(binding.Name.Identifier.ValueText));
            case Microsoft.CodeAnalysis.CSharp.Syntax.ArgumentSyntax
            {
                Parent.Parent: Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax { Parent: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax } guard,
            } when guard.Expression.ToString().Contains("Throw"):
                return true; // ArgumentNullException.ThrowIfNull(x); Throw.IfNull(x);
            case Microsoft.CodeAnalysis.CSharp.Syntax.BinaryExpressionSyntax:
            case Microsoft.CodeAnalysis.CSharp.Syntax.IsPatternExpressionSyntax:
            case Microsoft.CodeAnalysis.CSharp.Syntax.ArgumentSyntax { Parent.Parent: Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax { Identifier.ValueText: "nameof" } } }:
                return true;
            default:
                return false;
        }
    }

    private static bool KeepsArgumentsOpen(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var other in arguments)
        {
            if (other.Parameter is not { Type.SpecialType: SpecialType.System_Boolean } flag ||
                other.Value.ConstantValue is not { HasValue: true, Value: bool value })
            {
                continue;
            }

            switch (flag.Name)
            {
                case "leaveOpen" or "leaveInnerStreamOpen" when value:
                case "disposeHandler" or "ownsHandle" when !value:
                    return true;
            }
        }

        return false;
    }

    private static bool IsExactly(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
