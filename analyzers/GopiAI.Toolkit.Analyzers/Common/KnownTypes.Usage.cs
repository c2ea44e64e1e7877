using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Analyzers.Common;

/// <summary>The usage rules' part of <see cref="KnownTypes"/>: the toolkit's attributes and what their rules look for.</summary>
internal sealed partial class KnownTypes
{
    /// <summary><c>GopiAI.Toolkit.CachedAttribute</c>.</summary>
    public INamedTypeSymbol? CachedAttribute { get; }

    /// <summary><c>GopiAI.Toolkit.NotCacheKeyAttribute</c>.</summary>
    public INamedTypeSymbol? NotCacheKeyAttribute { get; }

    /// <summary><c>GopiAI.Toolkit.MonitoredAttribute</c>.</summary>
    public INamedTypeSymbol? MonitoredAttribute { get; }

    /// <summary><c>System.Threading.CancellationToken</c>.</summary>
    public INamedTypeSymbol? CancellationToken { get; }

    /// <summary><c>Microsoft.Extensions.Logging.ILogger</c>.</summary>
    public INamedTypeSymbol? Logger { get; }

    /// <summary><c>Microsoft.Extensions.ObjectPool.IResettable</c>.</summary>
    public INamedTypeSymbol? Resettable { get; }

    /// <summary>True when the compilation references any of the toolkit's four attributes (else the usage rules bail out).</summary>
    public bool HasToolkitAttributes =>
        CachedAttribute is not null || PooledAttribute is not null || LazyStartupAttribute is not null || MonitoredAttribute is not null;

    /// <summary>The attribute of type <paramref name="attributeType"/> on <paramref name="symbol"/>, or null.</summary>
    public static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return null;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>True for Task, Task&lt;T&gt;, ValueTask and ValueTask&lt;T&gt; exactly; <paramref name="hasResult"/> for the generic two.</summary>
    public bool IsTask(ITypeSymbol type, out bool hasResult)
    {
        var definition = type.OriginalDefinition;
        hasResult = SymbolEqualityComparer.Default.Equals(definition, TaskOfT) || SymbolEqualityComparer.Default.Equals(definition, ValueTaskOfT);
        return hasResult || SymbolEqualityComparer.Default.Equals(definition, Task) || SymbolEqualityComparer.Default.Equals(definition, ValueTask);
    }

    /// <summary>True when <paramref name="type"/> is or implements <c>ILogger</c>.</summary>
    public bool IsLogger(ITypeSymbol type) => Logger is not null && IsAssignableTo(type, Logger);
}
