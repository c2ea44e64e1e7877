using System;
using System.Globalization;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;
using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Generators.Cached;

/// <summary>Reads <c>[Cached]</c> options; the method itself is parsed by <see cref="PartialMethodParser"/>.</summary>
internal static class CachedParser
{
    /// <summary>The options, or <see langword="null"/> when they are invalid (TTL ≤ 0 or unparsable, negative size, blank cache name).</summary>
    public static CacheModel? ParseOptions(AttributeData attribute)
    {
        long ttlTicks = 0;
        if (attribute.ConstructorArguments.Length == 1)
        {
            if (attribute.ConstructorArguments[0].Value is not int seconds || seconds <= 0)
            {
                return null;
            }

            ttlTicks = TimeSpan.FromSeconds(seconds).Ticks;
        }

        if (SymbolHelpers.HasNamedArgument(attribute, "Ttl"))
        {
            var text = SymbolHelpers.NamedArgument<string>(attribute, "Ttl");
            if (!TryParseTtl(text, out var ttl))
            {
                return null;
            }

            ttlTicks = ttl.Ticks;
        }

        var maxSize = SymbolHelpers.NamedArgument<int>(attribute, "MaxSize");
        var cacheName = SymbolHelpers.NamedArgument<string>(attribute, "Cache");
        if (maxSize < 0 || (SymbolHelpers.HasNamedArgument(attribute, "Cache") && string.IsNullOrWhiteSpace(cacheName)))
        {
            return null;
        }

        return new CacheModel(
            ttlTicks,
            SymbolHelpers.NamedArgument<bool>(attribute, "Sliding"),
            maxSize == 0 ? 1000 : maxSize,
            cacheName,
            SymbolHelpers.NamedArgument<bool>(attribute, "CacheNull"));
    }

    /// <summary>Parses a <c>Ttl</c> string the way the generator does: an invariant <see cref="TimeSpan"/> greater than zero.</summary>
    public static bool TryParseTtl(string? text, out TimeSpan ttl) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out ttl) && ttl > TimeSpan.Zero;

    /// <summary>Whether a <c>[Cached]</c> method has a shape the generator implements.</summary>
    public static bool IsSupported(IMethodSymbol method, ReturnKind returnKind) =>
        returnKind is ReturnKind.Value or ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT &&
        (method.IsStatic || method.ContainingType.TypeKind == TypeKind.Class);
}
