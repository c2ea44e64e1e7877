using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Analyzers.Common;

/// <summary>The shape of a collection the growth rules track.</summary>
internal enum CollectionKind
{
    /// <summary>Not a tracked collection.</summary>
    None,

    /// <summary>A list, stack, queue, linked list or bag: it grows by count.</summary>
    Sequence,

    /// <summary>A set: it grows by distinct element.</summary>
    Set,

    /// <summary>A dictionary or concurrent dictionary: it grows by distinct key.</summary>
    Dictionary,

    /// <summary>A <c>ConcurrentQueue&lt;T&gt;</c>: a producer queue (GOPI2005).</summary>
    ProducerQueue,

    /// <summary>A <c>BlockingCollection&lt;T&gt;</c> or a <c>Channel&lt;T&gt;</c>: bounded or not at creation (GOPI2005).</summary>
    BoundedAtCreation,
}

/// <summary>The growth rules' part of <see cref="KnownTypes"/>: tracked collections, long-lived markers, finite keys.</summary>
internal sealed partial class KnownTypes
{
    private static readonly (string Name, CollectionKind Kind)[] TrackedCollections =
    [
        ("System.Collections.Generic.List`1", CollectionKind.Sequence),
        ("System.Collections.Generic.Queue`1", CollectionKind.Sequence),
        ("System.Collections.Generic.Stack`1", CollectionKind.Sequence),
        ("System.Collections.Generic.LinkedList`1", CollectionKind.Sequence),
        ("System.Collections.Generic.PriorityQueue`2", CollectionKind.Sequence),
        ("System.Collections.Concurrent.ConcurrentBag`1", CollectionKind.Sequence),
        ("System.Collections.Concurrent.ConcurrentStack`1", CollectionKind.Sequence),
        ("System.Collections.ArrayList", CollectionKind.Sequence),
        ("System.Collections.Generic.HashSet`1", CollectionKind.Set),
        ("System.Collections.Generic.SortedSet`1", CollectionKind.Set),
        ("System.Collections.Generic.Dictionary`2", CollectionKind.Dictionary),
        ("System.Collections.Generic.SortedDictionary`2", CollectionKind.Dictionary),
        ("System.Collections.Generic.SortedList`2", CollectionKind.Dictionary),
        ("System.Collections.Concurrent.ConcurrentDictionary`2", CollectionKind.Dictionary),
        ("System.Collections.Hashtable", CollectionKind.Dictionary),
        ("System.Collections.Concurrent.ConcurrentQueue`1", CollectionKind.ProducerQueue),
        ("System.Collections.Concurrent.BlockingCollection`1", CollectionKind.BoundedAtCreation),
        ("System.Threading.Channels.Channel`1", CollectionKind.BoundedAtCreation),
        ("System.Threading.Channels.Channel`2", CollectionKind.BoundedAtCreation),
    ];

    private readonly Dictionary<INamedTypeSymbol, CollectionKind> _collections;
    private readonly ImmutableArray<INamedTypeSymbol> _finiteKeyBases;

    /// <summary><c>GopiAI.Toolkit.LazyStartupAttribute</c>: its components live as long as the app.</summary>
    public INamedTypeSymbol? LazyStartupAttribute { get; }

    /// <summary><c>Microsoft.Extensions.Hosting.IHostedService</c>: hosted services are always singletons.</summary>
    public INamedTypeSymbol? HostedService { get; }

    /// <summary>The static class <c>System.Threading.Channels.Channel</c>.</summary>
    public INamedTypeSymbol? Channel { get; }

    /// <summary><c>BlockingCollection&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? BlockingCollection { get; }

    /// <summary><c>System.Linq.Enumerable</c>.</summary>
    public INamedTypeSymbol? Enumerable { get; }

    /// <summary><c>System.Runtime.InteropServices.CollectionsMarshal</c>.</summary>
    public INamedTypeSymbol? CollectionsMarshal { get; }

    /// <summary>Classifies the type of a field or property.</summary>
    public CollectionKind Classify(ITypeSymbol? type) =>
        type is INamedTypeSymbol named && _collections.TryGetValue(named.OriginalDefinition, out var kind) ? kind : CollectionKind.None;

    /// <summary>
    /// Whether a set or dictionary of <paramref name="keyType"/> is bounded by the program itself: enums, bools, and
    /// reflection objects (a per-<c>Type</c> cache holds at most one entry per type the program has).
    /// </summary>
    public bool IsFiniteKey(ITypeSymbol keyType)
    {
        if (keyType.TypeKind == TypeKind.Enum || keyType.SpecialType is SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte)
        {
            return true;
        }

        for (var current = keyType; current is not null; current = current.BaseType)
        {
            foreach (var finite in _finiteKeyBases)
            {
                if (SymbolEqualityComparer.Default.Equals(current, finite))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether the items of a collection must be disposed: a disposable element type that is not a bare type parameter.</summary>
    public bool IsDisposableElement(ITypeSymbol? type) => type is not null && type.TypeKind != TypeKind.TypeParameter && IsDisposable(type);

    /// <summary>The element type whose values the collection holds: the value type of a dictionary, else the item type.</summary>
    public static ITypeSymbol? ElementType(ITypeSymbol type, CollectionKind kind) =>
        type is not INamedTypeSymbol { TypeArguments.Length: > 0 } named
            ? null
            : kind == CollectionKind.Dictionary && named.TypeArguments.Length == 2 ? named.TypeArguments[1] : named.TypeArguments[0];

    /// <summary>The key type of a dictionary or the element type of a set; null for other shapes.</summary>
    public static ITypeSymbol? KeyType(ITypeSymbol type, CollectionKind kind) =>
        kind is CollectionKind.Dictionary or CollectionKind.Set && type is INamedTypeSymbol { TypeArguments.Length: > 0 } named
            ? named.TypeArguments[0]
            : null;

    private static Dictionary<INamedTypeSymbol, CollectionKind> CollectionKinds(Compilation compilation)
    {
        var collections = new Dictionary<INamedTypeSymbol, CollectionKind>(SymbolEqualityComparer.Default);
        foreach (var (name, kind) in TrackedCollections)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                collections[type] = kind;
            }
        }

        return collections;
    }

    private static ImmutableArray<INamedTypeSymbol> FiniteKeyBases(Compilation compilation)
    {
        var finite = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        foreach (var name in new[] { "System.Type", "System.Reflection.MemberInfo", "System.Reflection.Assembly", "System.Reflection.Module", "System.Reflection.ParameterInfo" })
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                finite.Add(type);
            }
        }

        return finite.ToImmutable();
    }
}
