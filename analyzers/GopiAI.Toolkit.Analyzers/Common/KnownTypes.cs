using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Analyzers.Common;

/// <summary>
/// The well-known types every analyzer needs, resolved once per compilation in <c>RegisterCompilationStartAction</c>:
/// the disposal model here, the growth rules' collections in <c>KnownTypes.Growth.cs</c>, the toolkit's attributes in
/// <c>KnownTypes.Usage.cs</c>. Every member is null when the compilation does not reference the type. Holds no state
/// beyond the compilation it was built for.
/// </summary>
internal sealed partial class KnownTypes
{
    private KnownTypes(Compilation compilation, INamedTypeSymbol disposable)
    {
        Compilation = compilation;
        IDisposable = disposable;
        IAsyncDisposable = compilation.GetTypeByMetadataName("System.IAsyncDisposable");
        IEnumerable = compilation.GetTypeByMetadataName("System.Collections.IEnumerable");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        Stream = compilation.GetTypeByMetadataName("System.IO.Stream");
        TextReader = compilation.GetTypeByMetadataName("System.IO.TextReader");
        TextWriter = compilation.GetTypeByMetadataName("System.IO.TextWriter");
        MemoryStream = compilation.GetTypeByMetadataName("System.IO.MemoryStream");
        StringReader = compilation.GetTypeByMetadataName("System.IO.StringReader");
        StringWriter = compilation.GetTypeByMetadataName("System.IO.StringWriter");
        File = compilation.GetTypeByMetadataName("System.IO.File");
        FileInfo = compilation.GetTypeByMetadataName("System.IO.FileInfo");
        ZipFile = compilation.GetTypeByMetadataName("System.IO.Compression.ZipFile");
        HttpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
        HttpMessageInvoker = compilation.GetTypeByMetadataName("System.Net.Http.HttpMessageInvoker");
        DbConnection = compilation.GetTypeByMetadataName("System.Data.Common.DbConnection");
        DbCommand = compilation.GetTypeByMetadataName("System.Data.Common.DbCommand");
        IHttpClientFactory = compilation.GetTypeByMetadataName("System.Net.Http.IHttpClientFactory");
        IServiceProvider = compilation.GetTypeByMetadataName("System.IServiceProvider");
        IServiceCollection = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IServiceCollection");
        IMeterFactory = compilation.GetTypeByMetadataName("System.Diagnostics.Metrics.IMeterFactory");
        ArrayPool = compilation.GetTypeByMetadataName("System.Buffers.ArrayPool`1");
        ObjectPool = compilation.GetTypeByMetadataName("Microsoft.Extensions.ObjectPool.ObjectPool`1");
        PooledAttribute = compilation.GetTypeByMetadataName("GopiAI.Toolkit.PooledAttribute");
        PooledLease = compilation.GetTypeByMetadataName("GopiAI.Toolkit.Pooling.PooledLease`1");
        DefaultExemptTypes = ImmutableHashSet.CreateRange<ITypeSymbol>(
            SymbolEqualityComparer.Default,
            new ITypeSymbol?[] { MemoryStream, StringReader, StringWriter }.Where(t => t is not null)!);
        _collections = CollectionKinds(compilation);
        _finiteKeyBases = FiniteKeyBases(compilation);
        LazyStartupAttribute = compilation.GetTypeByMetadataName("GopiAI.Toolkit.LazyStartupAttribute");
        HostedService = compilation.GetTypeByMetadataName("Microsoft.Extensions.Hosting.IHostedService");
        Channel = compilation.GetTypeByMetadataName("System.Threading.Channels.Channel");
        BlockingCollection = compilation.GetTypeByMetadataName("System.Collections.Concurrent.BlockingCollection`1");
        Enumerable = compilation.GetTypeByMetadataName("System.Linq.Enumerable");
        CollectionsMarshal = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.CollectionsMarshal");
        CachedAttribute = compilation.GetTypeByMetadataName("GopiAI.Toolkit.CachedAttribute");
        NotCacheKeyAttribute = compilation.GetTypeByMetadataName("GopiAI.Toolkit.NotCacheKeyAttribute");
        MonitoredAttribute = compilation.GetTypeByMetadataName("GopiAI.Toolkit.MonitoredAttribute");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Logger = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.ILogger");
        Resettable = compilation.GetTypeByMetadataName("Microsoft.Extensions.ObjectPool.IResettable");
    }

    /// <summary>The compilation the types were resolved from.</summary>
    public Compilation Compilation { get; }

    /// <summary><c>System.IDisposable</c> (never null: <see cref="TryCreate"/> fails without it).</summary>
    public INamedTypeSymbol IDisposable { get; }

    /// <summary><c>System.IAsyncDisposable</c>.</summary>
    public INamedTypeSymbol? IAsyncDisposable { get; }

    /// <summary><c>System.Collections.IEnumerable</c>.</summary>
    public INamedTypeSymbol? IEnumerable { get; }

    /// <summary><c>System.Threading.Tasks.Task</c>.</summary>
    public INamedTypeSymbol? Task { get; }

    /// <summary><c>System.Threading.Tasks.Task&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? TaskOfT { get; }

    /// <summary><c>System.Threading.Tasks.ValueTask</c>.</summary>
    public INamedTypeSymbol? ValueTask { get; }

    /// <summary><c>System.Threading.Tasks.ValueTask&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? ValueTaskOfT { get; }

    /// <summary><c>System.IO.Stream</c>.</summary>
    public INamedTypeSymbol? Stream { get; }

    /// <summary><c>System.IO.TextReader</c>.</summary>
    public INamedTypeSymbol? TextReader { get; }

    /// <summary><c>System.IO.TextWriter</c>.</summary>
    public INamedTypeSymbol? TextWriter { get; }

    /// <summary><c>System.IO.MemoryStream</c>.</summary>
    public INamedTypeSymbol? MemoryStream { get; }

    /// <summary><c>System.IO.StringReader</c>.</summary>
    public INamedTypeSymbol? StringReader { get; }

    /// <summary><c>System.IO.StringWriter</c>.</summary>
    public INamedTypeSymbol? StringWriter { get; }

    /// <summary><c>System.IO.File</c>.</summary>
    public INamedTypeSymbol? File { get; }

    /// <summary><c>System.IO.FileInfo</c>.</summary>
    public INamedTypeSymbol? FileInfo { get; }

    /// <summary><c>System.IO.Compression.ZipFile</c>.</summary>
    public INamedTypeSymbol? ZipFile { get; }

    /// <summary><c>System.Net.Http.HttpClient</c>.</summary>
    public INamedTypeSymbol? HttpClient { get; }

    /// <summary><c>System.Net.Http.HttpMessageInvoker</c>.</summary>
    public INamedTypeSymbol? HttpMessageInvoker { get; }

    /// <summary><c>System.Data.Common.DbConnection</c>.</summary>
    public INamedTypeSymbol? DbConnection { get; }

    /// <summary><c>System.Data.Common.DbCommand</c>.</summary>
    public INamedTypeSymbol? DbCommand { get; }

    /// <summary><c>System.Net.Http.IHttpClientFactory</c> (keeps ownership of what it creates).</summary>
    public INamedTypeSymbol? IHttpClientFactory { get; }

    /// <summary><c>System.IServiceProvider</c> (keeps ownership of what it resolves).</summary>
    public INamedTypeSymbol? IServiceProvider { get; }

    /// <summary><c>Microsoft.Extensions.DependencyInjection.IServiceCollection</c> (takes ownership of registered instances).</summary>
    public INamedTypeSymbol? IServiceCollection { get; }

    /// <summary><c>System.Diagnostics.Metrics.IMeterFactory</c> (keeps ownership of the meters it creates).</summary>
    public INamedTypeSymbol? IMeterFactory { get; }

    /// <summary><c>System.Buffers.ArrayPool&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? ArrayPool { get; }

    /// <summary><c>Microsoft.Extensions.ObjectPool.ObjectPool&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? ObjectPool { get; }

    /// <summary><c>GopiAI.Toolkit.PooledAttribute</c>.</summary>
    public INamedTypeSymbol? PooledAttribute { get; }

    /// <summary><c>GopiAI.Toolkit.Pooling.PooledLease&lt;T&gt;</c>, the scoped lease of a <c>[Pooled]</c> type.</summary>
    public INamedTypeSymbol? PooledLease { get; }

    /// <summary>Types exempt from the disposal rules unless .editorconfig says otherwise: MemoryStream, StringReader, StringWriter.</summary>
    public ImmutableHashSet<ITypeSymbol> DefaultExemptTypes { get; }

    /// <summary>Resolves the types; returns null (and the analyzer should bail out) when <c>System.IDisposable</c> is missing.</summary>
    public static KnownTypes? TryCreate(Compilation compilation)
    {
        var disposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
        return disposable.TypeKind == TypeKind.Error ? null : new KnownTypes(compilation, disposable);
    }

    /// <summary>True when <paramref name="type"/> is, implements or derives from <paramref name="baseOrInterface"/>.</summary>
    public static bool IsAssignableTo(ITypeSymbol? type, INamedTypeSymbol? baseOrInterface)
    {
        if (type is null || baseOrInterface is null)
        {
            return false;
        }

        var target = baseOrInterface.OriginalDefinition;
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, target))
            {
                return true;
            }
        }

        if (target.TypeKind == TypeKind.Interface)
        {
            foreach (var i in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, target))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True for <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> and <c>ValueTask&lt;T&gt;</c>: never treated as owned disposables.</summary>
    public bool IsTaskLike(ITypeSymbol? type) =>
        type is not null &&
        (IsAssignableTo(type, Task) || IsAssignableTo(type, ValueTask) || IsAssignableTo(type, ValueTaskOfT));

    /// <summary>
    /// True when <paramref name="type"/> implements IDisposable or IAsyncDisposable (or is a ref struct with a
    /// public parameterless Dispose), and is not a task.
    /// </summary>
    public bool IsDisposable(ITypeSymbol? type)
    {
        if (type is null || type.SpecialType != SpecialType.None || type.TypeKind == TypeKind.Error || IsTaskLike(type))
        {
            return false;
        }

        if (IsAssignableTo(type, IDisposable) || IsAssignableTo(type, IAsyncDisposable))
        {
            return true;
        }

        if (type.IsRefLikeType)
        {
            foreach (var member in type.GetMembers("Dispose"))
            {
                if (member is IMethodSymbol { Parameters.Length: 0, IsStatic: false, DeclaredAccessibility: Accessibility.Public })
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="type"/> has a public parameterless instance <c>Dispose</c> or <c>DisposeAsync</c>, the
    /// pattern <c>using</c>/<c>await using</c> accept (e.g. <c>ConfiguredAsyncDisposable</c>).
    /// </summary>
    public bool HasDisposePattern(ITypeSymbol? type)
    {
        if (IsDisposable(type))
        {
            return true;
        }

        if (type is null)
        {
            return false;
        }

        foreach (var name in new[] { "Dispose", "DisposeAsync" })
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is IMethodSymbol { Parameters.Length: 0, IsStatic: false, DeclaredAccessibility: Accessibility.Public })
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="type"/> is a collection (implements <c>IEnumerable</c>) other than a string.</summary>
    public bool IsCollection(ITypeSymbol? type) =>
        type is not null && type.SpecialType != SpecialType.System_String && IsAssignableTo(type, IEnumerable);
}
