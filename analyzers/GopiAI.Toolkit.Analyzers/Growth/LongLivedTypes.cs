using System.Collections.Concurrent;
using GopiAI.Toolkit.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Growth;

/// <summary>
/// Which types of a compilation live as long as the application: static classes, <c>[LazyStartup]</c> components,
/// and types registered as singletons (<c>AddSingleton</c>, <c>TryAddSingleton</c>, <c>AddHostedService</c>) anywhere in
/// the compilation. One instance per compilation; it lives and dies with the compilation's analysis.
/// </summary>
internal sealed class LongLivedTypes
{
    private readonly KnownTypes _types;
    private readonly ConcurrentDictionary<ITypeSymbol, byte> _singletons = new(SymbolEqualityComparer.Default);

    public LongLivedTypes(KnownTypes types)
    {
        _types = types;
    }

    /// <summary>
    /// Records the singleton registration <paramref name="invocation"/> makes, if it is one. Cheap for other calls:
    /// the method name is checked first.
    /// </summary>
    public void Observe(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name is not ("AddSingleton" or "TryAddSingleton" or "AddHostedService" or "AddKeyedSingleton" or "TryAddKeyedSingleton")
            || method.ContainingNamespace?.ToDisplayString() is not ("Microsoft.Extensions.DependencyInjection" or "Microsoft.Extensions.DependencyInjection.Extensions"))
        {
            return;
        }

        // AddSingleton<TService, TImplementation>() registers the last type argument; AddSingleton<T>() registers T.
        if (method.TypeArguments.Length > 0)
        {
            _singletons.TryAdd(method.TypeArguments[method.TypeArguments.Length - 1].OriginalDefinition, 0);
        }

        foreach (var argument in invocation.Arguments)
        {
            var value = Operations.WithoutConversions(argument.Value);
            switch (value)
            {
                // AddSingleton(typeof(IService), typeof(Implementation))
                case ITypeOfOperation typeOf:
                    _singletons.TryAdd(typeOf.TypeOperand.OriginalDefinition, 0);
                    break;

                // AddSingleton<IService>(new Implementation()) or an instance of another type
                case IObjectCreationOperation creation when creation.Type is not null:
                    _singletons.TryAdd(creation.Type.OriginalDefinition, 0);
                    break;

                // AddSingleton<IService>(sp => new Implementation(...))
                case IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }:
                    foreach (var returned in lambda.Body.Descendants())
                    {
                        if (returned is IReturnOperation { ReturnedValue: { } returnedValue } && Operations.WithoutConversions(returnedValue) is IObjectCreationOperation { Type: { } created })
                        {
                            _singletons.TryAdd(created.OriginalDefinition, 0);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Whether instances of <paramref name="type"/> live as long as the application. Complete only at compilation
    /// end, when every registration has been observed.
    /// </summary>
    public bool IsLongLived(INamedTypeSymbol type)
    {
        // Only the type itself: instances of a class nested in a static class live no longer than any other object.
        return _singletons.ContainsKey(type.OriginalDefinition) || IsLongLivedByDeclaration(type, _types);
    }

    /// <summary>
    /// Whether the declaration of <paramref name="type"/> alone makes it long-lived: a static class, a
    /// <c>[LazyStartup]</c> component, or a hosted service. Needs no compilation-wide facts.
    /// </summary>
    public static bool IsLongLivedByDeclaration(INamedTypeSymbol type, KnownTypes types)
    {
        if (type.IsStatic)
        {
            return true;
        }

        if (types.LazyStartupAttribute is not null)
        {
            foreach (var attribute in type.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, types.LazyStartupAttribute))
                {
                    return true;
                }
            }
        }

        if (types.HostedService is not null)
        {
            foreach (var implemented in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented, types.HostedService))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
