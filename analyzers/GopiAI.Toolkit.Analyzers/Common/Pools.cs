using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Analyzers.Common;

/// <summary>Recognises rent and return calls of <c>ArrayPool&lt;T&gt;</c>, <c>ObjectPool&lt;T&gt;</c> and <c>[Pooled]</c> types.</summary>
internal static class Pools
{
    /// <summary>True for <c>ArrayPool&lt;T&gt;.Rent</c>, <c>ObjectPool&lt;T&gt;.Get</c> and a <c>[Pooled]</c> type's static <c>Rent()</c>.</summary>
    public static bool IsRent(IMethodSymbol method, KnownTypes known) =>
        method.Name switch
        {
            "Rent" when !method.IsStatic => KnownTypes.IsAssignableTo(method.ContainingType, known.ArrayPool),
            "Rent" => method.Parameters.Length == 0 && IsPooledType(method.ContainingType, known),
            "Get" => !method.IsStatic && KnownTypes.IsAssignableTo(method.ContainingType, known.ObjectPool),
            _ => false,
        };

    /// <summary>True for the matching <c>Return</c> of any of the pools above.</summary>
    public static bool IsReturn(IMethodSymbol method, KnownTypes known) =>
        method.Name == "Return" &&
        (KnownTypes.IsAssignableTo(method.ContainingType, known.ArrayPool) ||
         KnownTypes.IsAssignableTo(method.ContainingType, known.ObjectPool) ||
         (method.IsStatic && IsPooledType(method.ContainingType, known)));

    /// <summary>True when <paramref name="type"/> carries <c>[Pooled]</c>.</summary>
    public static bool IsPooledType(INamedTypeSymbol? type, KnownTypes known)
    {
        if (type is null || known.PooledAttribute is null)
        {
            return false;
        }

        foreach (var attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.PooledAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
