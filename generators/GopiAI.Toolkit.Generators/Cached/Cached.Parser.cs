using System;
using System.Collections.Generic;
using System.Linq;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Rules;
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

        var distributed = SymbolHelpers.NamedArgument<bool>(attribute, "Distributed");
        var tags = ReadTags(attribute);
        if (distributed && cacheName is not null)
        {
            // A distributed method has a cache of its own (its name is its key prefix); GOPI0012 reports the mix.
            return null;
        }

        return new CacheModel(
            ttlTicks,
            SymbolHelpers.NamedArgument<bool>(attribute, "Sliding"),
            maxSize == 0 ? 1000 : maxSize,
            cacheName,
            SymbolHelpers.NamedArgument<bool>(attribute, "CacheNull"),
            distributed,
            SymbolHelpers.NamedArgument<bool>(attribute, "Sensitive"),
            tags.ToEquatableArray(),
            EquatableArray<JsonTypeModel>.Empty);
    }

    /// <summary>The <c>Tags</c> array of the attribute (empty when absent).</summary>
    public static string[] ReadTags(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "Tags" && !argument.Value.IsNull && argument.Value.Kind == TypedConstantKind.Array)
            {
                return argument.Value.Values.Select(v => v.Value as string ?? string.Empty).ToArray();
            }
        }

        return Array.Empty<string>();
    }

    /// <summary>The JSON shapes of <paramref name="resultType"/>, or <see langword="null"/> when it cannot be serialized without reflection (GOPI0011).</summary>
    public static EquatableArray<JsonTypeModel>? ParseJson(ITypeSymbol resultType)
    {
        var shapes = new List<JsonTypeShape>();
        if (JsonShapeRules.Describe(resultType, shapes) is not null)
        {
            return null;
        }

        return shapes.Select(s => new JsonTypeModel(
            s.Type,
            s.Kind,
            s.Converter,
            s.Element,
            s.IsValueType,
            s.Properties.Select(p => new JsonPropertyModel(SymbolHelpers.EscapeIdentifier(p.Name), p.Type, p.HasSetter)).ToEquatableArray(),
            s.ConstructorParameters.ToEquatableArray())).ToEquatableArray();
    }
}
