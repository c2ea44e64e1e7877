using System;
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
            if (!Rules.PartialMethodRules.TryParseTtl(text, out var ttl))
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
}
