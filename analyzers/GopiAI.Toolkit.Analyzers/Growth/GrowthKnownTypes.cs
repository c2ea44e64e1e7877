using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Analyzers.Growth;

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

/// <summary>
/// Well-known types of the growth rules, resolved once per compilation in <c>RegisterCompilationStartAction</c>.
/// Holds no state beyond the compilation it was built for.
/// </summary>
internal sealed class GrowthKnownTypes
{
    private readonly Dictionary<INamedTypeSymbol, CollectionKind> _collections;
    private readonly ImmutableArray<INamedTypeSymbol> _finiteKeyBases;

    private GrowthKnownTypes(Compilation compilation)
    {
        IDisposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
        IAsyncDisposable = compilation.GetTypeByMetadataName("System.IAsyncDisposable");
        LazyStartupAttribute = compilation.GetTypeByMetadataName("GopiAI.Toolkit.LazyStartupAttribute");
        HostedService = compilation.GetTypeByMetadataName("Microsoft.Extensions.Hosting.IHostedService");
        ServiceCollection = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IServiceCollection");
        Channel = compilation.GetTypeByMetadataName("System.Threading.Channels.Channel");
        BlockingCollection = compilation.GetTypeByMetadataName("System.Collections.Concurrent.BlockingCollection`1");
        Enumerable = compilation.GetTypeByMetadataName("System.Linq.Enumerable");
        CollectionsMarshal = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.CollectionsMarshal");

        _collections = new Dictionary<INamedTypeSymbol, CollectionKind>(SymbolEqualityComparer.Default);
        Add(compilation, "System.Collections.Generic.List`1", CollectionKind.Sequence);
        Add(compilation, "System.Collections.Generic.Queue`1", CollectionKind.Sequence);
        Add(compilation, "System.Collections.Generic.Stack`1", CollectionKind.Sequence);
        Add(compilation, "System.Collections.Generic.LinkedList`1", CollectionKind.Sequence);
        Add(compilation, "System.Collections.Generic.PriorityQueue`2", CollectionKind.Sequence);
        Add(compilation, "System.Collections.Concurrent.ConcurrentBag`1", CollectionKind.Sequence);
        Add(compilation, "System.Collections.Concurrent.ConcurrentStack`1", CollectionKind.Sequence);
        Add(compilation, "System.Collections.ArrayList", CollectionKind.Sequence);
        Add(compilation, "System.Collections.Generic.HashSet`1", CollectionKind.Set);
        Add(compilation, "System.Collections.Generic.SortedSet`1", CollectionKind.Set);
        Add(compilation, "System.Collections.Generic.Dictionary`2", CollectionKind.Dictionary);
        Add(compilation, "System.Collections.Generic.SortedDictionary`2", CollectionKind.Dictionary);
        Add(compilation, "System.Collections.Generic.SortedList`2", CollectionKind.Dictionary);
        Add(compilation, "System.Collections.Concurrent.ConcurrentDictionary`2", CollectionKind.Dictionary);
        Add(compilation, "System.Collections.Hashtable", CollectionKind.Dictionary);
        Add(compilation, "System.Collections.Concurrent.ConcurrentQueue`1", CollectionKind.ProducerQueue);
        Add(compilation, "System.Collections.Concurrent.BlockingCollection`1", CollectionKind.BoundedAtCreation);
        Add(compilation, "System.Threading.Channels.Channel`1", CollectionKind.BoundedAtCreation);
        Add(compilation, "System.Threading.Channels.Channel`2", CollectionKind.BoundedAtCreation);

        var finite = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        foreach (var name in new[] { "System.Type", "System.Reflection.MemberInfo", "System.Reflection.Assembly", "System.Reflection.Module", "System.Reflection.ParameterInfo" })
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                finite.Add(type);
            }
        }

        _finiteKeyBases = finite.ToImmutable();
    }

    /// <summary>Gets <c>System.IDisposable</c>.</summary>
    public INamedTypeSymbol IDisposable { get; }

    /// <summary>Gets <c>System.IAsyncDisposable</c>, when the target framework has it.</summary>
    public INamedTypeSymbol? IAsyncDisposable { get; }

    /// <summary>Gets <c>GopiAI.Toolkit.LazyStartupAttribute</c>, when the toolkit is referenced.</summary>
    public INamedTypeSymbol? LazyStartupAttribute { get; }

    /// <summary>Gets <c>Microsoft.Extensions.Hosting.IHostedService</c>: hosted services are always singletons.</summary>
    public INamedTypeSymbol? HostedService { get; }

    /// <summary>Gets <c>IServiceCollection</c>: without it the compilation registers no singletons.</summary>
    public INamedTypeSymbol? ServiceCollection { get; }

    /// <summary>Gets the static class <c>System.Threading.Channels.Channel</c>.</summary>
    public INamedTypeSymbol? Channel { get; }

    /// <summary>Gets <c>BlockingCollection&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? BlockingCollection { get; }

    /// <summary>Gets <c>System.Linq.Enumerable</c>.</summary>
    public INamedTypeSymbol? Enumerable { get; }

    /// <summary>Gets <c>System.Runtime.InteropServices.CollectionsMarshal</c>.</summary>
    public INamedTypeSymbol? CollectionsMarshal { get; }

    /// <summary>Resolves the types of <paramref name="compilation"/>.</summary>
    public static GrowthKnownTypes Create(Compilation compilation) => new(compilation);

    /// <summary>Classifies the type of a field or property.</summary>
    public CollectionKind Classify(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return CollectionKind.None;
        }

        return _collections.TryGetValue(named.OriginalDefinition, out var kind) ? kind : CollectionKind.None;
    }

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

    /// <summary>Whether values of <paramref name="type"/> must be disposed.</summary>
    public bool IsDisposable(ITypeSymbol? type)
    {
        if (type is null || type.SpecialType == SpecialType.System_Object || type.TypeKind == TypeKind.TypeParameter)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type, IDisposable) || SymbolEqualityComparer.Default.Equals(type, IAsyncDisposable))
        {
            return true;
        }

        foreach (var candidate in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate, IDisposable) || SymbolEqualityComparer.Default.Equals(candidate, IAsyncDisposable))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The element type whose values the collection holds: the value type of a dictionary, else the item type.</summary>
    public static ITypeSymbol? ElementType(ITypeSymbol type, CollectionKind kind)
    {
        if (type is not INamedTypeSymbol { TypeArguments.Length: > 0 } named)
        {
            return null;
        }

        return kind == CollectionKind.Dictionary && named.TypeArguments.Length == 2 ? named.TypeArguments[1] : named.TypeArguments[0];
    }

    /// <summary>The key type of a dictionary or the element type of a set; null for other shapes.</summary>
    public static ITypeSymbol? KeyType(ITypeSymbol type, CollectionKind kind) =>
        kind is CollectionKind.Dictionary or CollectionKind.Set && type is INamedTypeSymbol { TypeArguments.Length: > 0 } named
            ? named.TypeArguments[0]
            : null;

    private void Add(Compilation compilation, string metadataName, CollectionKind kind)
    {
        if (compilation.GetTypeByMetadataName(metadataName) is { } type)
        {
            _collections[type] = kind;
        }
    }
}
