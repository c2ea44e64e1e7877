using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GopiAI.Toolkit.Analyzers.Usage;

/// <summary>The toolkit's attribute types, resolved once per compilation; <see langword="null"/> when the toolkit is not referenced.</summary>
internal sealed class UsageTypes
{
    private UsageTypes(Compilation compilation)
    {
        Cached = compilation.GetTypeByMetadataName("GopiAI.Toolkit.CachedAttribute");
        NotCacheKey = compilation.GetTypeByMetadataName("GopiAI.Toolkit.NotCacheKeyAttribute");
        Pooled = compilation.GetTypeByMetadataName("GopiAI.Toolkit.PooledAttribute");
        LazyStartup = compilation.GetTypeByMetadataName("GopiAI.Toolkit.LazyStartupAttribute");
        Monitored = compilation.GetTypeByMetadataName("GopiAI.Toolkit.MonitoredAttribute");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Logger = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.ILogger");
        Resettable = compilation.GetTypeByMetadataName("Microsoft.Extensions.ObjectPool.IResettable");
    }

    public INamedTypeSymbol? Cached { get; }

    public INamedTypeSymbol? NotCacheKey { get; }

    public INamedTypeSymbol? Pooled { get; }

    public INamedTypeSymbol? LazyStartup { get; }

    public INamedTypeSymbol? Monitored { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Logger { get; }

    public INamedTypeSymbol? Resettable { get; }

    public static UsageTypes? Create(Compilation compilation)
    {
        var types = new UsageTypes(compilation);
        return types.Cached is null && types.Pooled is null && types.LazyStartup is null && types.Monitored is null ? null : types;
    }

    public static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attributeType)
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

    public bool IsTask(ITypeSymbol type, out bool hasResult)
    {
        var definition = type.OriginalDefinition;
        hasResult = SymbolEqualityComparer.Default.Equals(definition, TaskOfT) || SymbolEqualityComparer.Default.Equals(definition, ValueTaskOfT);
        return hasResult || SymbolEqualityComparer.Default.Equals(definition, Task) || SymbolEqualityComparer.Default.Equals(definition, ValueTask);
    }

    public bool IsLogger(ITypeSymbol type) =>
        Logger is not null &&
        (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, Logger) || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, Logger)));
}

/// <summary>Syntax facts shared by the usage analyzers and the code fixes.</summary>
internal static class UsageSyntax
{
    /// <summary>Properties key telling the GOPI0001 fix what to change.</summary>
    public const string FixKind = "GopiFixKind";

    public const string FixMethodToPartial = "MethodToPartial";

    public const string FixTypesPartial = "TypesPartial";

    public static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));

    /// <summary>The first type in the chain (the type itself, then its containers) that is not partial.</summary>
    public static INamedTypeSymbol? FirstNonPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (!IsPartial(current, cancellationToken))
            {
                return current;
            }
        }

        return null;
    }

    public static ImmutableDictionary<string, string?> Properties(string fixKind) =>
        ImmutableDictionary<string, string?>.Empty.Add(FixKind, fixKind);

    /// <summary>Parses a <c>Ttl</c> string exactly like the generator: an invariant <see cref="TimeSpan"/> greater than zero.</summary>
    public static bool TryParseTtl(string? text, out TimeSpan ttl) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out ttl) && ttl > TimeSpan.Zero;
}
