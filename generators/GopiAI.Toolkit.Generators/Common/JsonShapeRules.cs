// Shared source: compiled into GopiAI.Toolkit.Generators (which writes JSON metadata for the return type of a
// [Cached(Distributed = true)] method) and linked into GopiAI.Toolkit.Analyzers (which reports GOPI0011 when the type
// cannot be described). One walker, so the generator skips exactly what the analyzer reports.
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Rules;

/// <summary>How a type is (de)serialized by the metadata the generator writes.</summary>
internal enum JsonShapeKind
{
    /// <summary>A type with a built-in converter (<c>JsonMetadataServices.{Converter}</c>).</summary>
    Value,

    /// <summary>An enum (<c>GetEnumConverter</c>).</summary>
    Enum,

    /// <summary><c>Nullable&lt;T&gt;</c> (<c>GetNullableConverter</c>).</summary>
    Nullable,

    /// <summary><c>T[]</c>.</summary>
    Array,

    /// <summary><c>List&lt;T&gt;</c>.</summary>
    List,

    /// <summary><c>IEnumerable&lt;T&gt;</c>, <c>IReadOnlyList&lt;T&gt;</c>, <c>IReadOnlyCollection&lt;T&gt;</c>, <c>IList&lt;T&gt;</c>, <c>ICollection&lt;T&gt;</c> (read back as a list).</summary>
    Enumerable,

    /// <summary><c>Dictionary&lt;string, T&gt;</c>.</summary>
    Dictionary,

    /// <summary>A class, record or struct with public properties.</summary>
    Object,
}

/// <summary>A property of an <see cref="JsonShapeKind.Object"/> shape.</summary>
internal sealed class JsonPropertyShape
{
    public JsonPropertyShape(string name, string type, bool hasSetter)
    {
        Name = name;
        Type = type;
        HasSetter = hasSetter;
    }

    /// <summary>The property name (escaped if a keyword).</summary>
    public string Name { get; }

    /// <summary>The fully qualified type, without nullable reference annotations.</summary>
    public string Type { get; }

    /// <summary>Whether the property has a public <c>set</c> accessor (not <c>init</c>).</summary>
    public bool HasSetter { get; }
}

/// <summary>One type in the closure of a distributed method's return type.</summary>
internal sealed class JsonTypeShape
{
    public JsonTypeShape(string type, JsonShapeKind kind, string? converter, string? element, bool isValueType, IReadOnlyList<JsonPropertyShape> properties, IReadOnlyList<string> constructorParameters)
    {
        Type = type;
        Kind = kind;
        Converter = converter;
        Element = element;
        IsValueType = isValueType;
        Properties = properties;
        ConstructorParameters = constructorParameters;
    }

    /// <summary>The fully qualified type, without nullable reference annotations.</summary>
    public string Type { get; }

    public JsonShapeKind Kind { get; }

    /// <summary>The <c>JsonMetadataServices</c> converter property for <see cref="JsonShapeKind.Value"/>.</summary>
    public string? Converter { get; }

    /// <summary>The element type (arrays, lists, dictionaries' values) or underlying type (nullable).</summary>
    public string? Element { get; }

    public bool IsValueType { get; }

    public IReadOnlyList<JsonPropertyShape> Properties { get; }

    /// <summary>Property names passed, in order, to the constructor; empty for a parameterless constructor.</summary>
    public IReadOnlyList<string> ConstructorParameters { get; }
}

/// <summary>Describes the JSON shape of a type and everything it contains, or says why it cannot.</summary>
internal static class JsonShapeRules
{
    /// <summary>Fully qualified names without nullable reference annotations (usable in <c>typeof</c>).</summary>
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    private static readonly Dictionary<string, string> s_converters = new()
    {
        ["System.Boolean"] = "BooleanConverter",
        ["System.Byte"] = "ByteConverter",
        ["System.SByte"] = "SByteConverter",
        ["System.Char"] = "CharConverter",
        ["System.Int16"] = "Int16Converter",
        ["System.Int32"] = "Int32Converter",
        ["System.Int64"] = "Int64Converter",
        ["System.UInt16"] = "UInt16Converter",
        ["System.UInt32"] = "UInt32Converter",
        ["System.UInt64"] = "UInt64Converter",
        ["System.Int128"] = "Int128Converter",
        ["System.UInt128"] = "UInt128Converter",
        ["System.Half"] = "HalfConverter",
        ["System.Single"] = "SingleConverter",
        ["System.Double"] = "DoubleConverter",
        ["System.Decimal"] = "DecimalConverter",
        ["System.String"] = "StringConverter",
        ["System.Guid"] = "GuidConverter",
        ["System.DateTime"] = "DateTimeConverter",
        ["System.DateTimeOffset"] = "DateTimeOffsetConverter",
        ["System.TimeSpan"] = "TimeSpanConverter",
        ["System.DateOnly"] = "DateOnlyConverter",
        ["System.TimeOnly"] = "TimeOnlyConverter",
        ["System.Uri"] = "UriConverter",
        ["System.Version"] = "VersionConverter",
        ["System.Text.Json.JsonElement"] = "JsonElementConverter",
    };

    /// <summary>
    /// Describes <paramref name="root"/> and every type reachable from it into <paramref name="shapes"/> (root first).
    /// Returns <see langword="null"/> on success, otherwise the reason the type cannot be serialized without reflection.
    /// </summary>
    public static string? Describe(ITypeSymbol root, List<JsonTypeShape> shapes)
    {
        var seen = new HashSet<string>();
        var pending = new Queue<ITypeSymbol>();
        pending.Enqueue(root);
        while (pending.Count > 0)
        {
            var type = pending.Dequeue();
            var name = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
            if (!seen.Add(name))
            {
                continue;
            }

            var problem = DescribeOne(type, name, shapes, pending);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? DescribeOne(ITypeSymbol type, string name, List<JsonTypeShape> shapes, Queue<ITypeSymbol> pending)
    {
        var none = System.Array.Empty<JsonPropertyShape>();
        var noParameters = System.Array.Empty<string>();
        if (type is IArrayTypeSymbol array)
        {
            if (array.Rank != 1)
            {
                return $"'{name}' is a multi-dimensional array";
            }

            if (array.ElementType.SpecialType == SpecialType.System_Byte)
            {
                shapes.Add(new JsonTypeShape(name, JsonShapeKind.Value, "ByteArrayConverter", null, false, none, noParameters));
                return null;
            }

            pending.Enqueue(array.ElementType);
            shapes.Add(new JsonTypeShape(name, JsonShapeKind.Array, null, Name(array.ElementType), false, none, noParameters));
            return null;
        }

        if (type is not INamedTypeSymbol named || type.TypeKind is TypeKind.Error or TypeKind.Dynamic or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.TypeParameter)
        {
            return $"'{name}' has no JSON contract (type parameters, dynamic and pointers cannot be serialized)";
        }

        var metadataName = MetadataName(named);
        if (s_converters.TryGetValue(metadataName, out var converter))
        {
            shapes.Add(new JsonTypeShape(name, JsonShapeKind.Value, converter, null, type.IsValueType, none, noParameters));
            return null;
        }

        if (named.TypeKind == TypeKind.Enum)
        {
            shapes.Add(new JsonTypeShape(name, JsonShapeKind.Enum, null, null, true, none, noParameters));
            return null;
        }

        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            pending.Enqueue(named.TypeArguments[0]);
            shapes.Add(new JsonTypeShape(name, JsonShapeKind.Nullable, null, Name(named.TypeArguments[0]), true, none, noParameters));
            return null;
        }

        if (named.IsGenericType)
        {
            var arguments = named.TypeArguments;
            switch (named.ConstructedFrom.ToDisplayString())
            {
                case "System.Collections.Generic.List<T>":
                    pending.Enqueue(arguments[0]);
                    shapes.Add(new JsonTypeShape(name, JsonShapeKind.List, null, Name(arguments[0]), false, none, noParameters));
                    return null;
                case "System.Collections.Generic.IEnumerable<T>":
                case "System.Collections.Generic.IReadOnlyList<T>":
                case "System.Collections.Generic.IReadOnlyCollection<T>":
                case "System.Collections.Generic.IList<T>":
                case "System.Collections.Generic.ICollection<T>":
                    pending.Enqueue(arguments[0]);
                    shapes.Add(new JsonTypeShape(name, JsonShapeKind.Enumerable, null, Name(arguments[0]), false, none, noParameters));
                    return null;
                case "System.Collections.Generic.Dictionary<TKey, TValue>":
                    if (arguments[0].SpecialType != SpecialType.System_String)
                    {
                        return $"'{name}' has non-string keys (only Dictionary<string, T> is supported)";
                    }

                    pending.Enqueue(arguments[0]);
                    pending.Enqueue(arguments[1]);
                    shapes.Add(new JsonTypeShape(name, JsonShapeKind.Dictionary, null, Name(arguments[1]), false, none, noParameters));
                    return null;
            }
        }

        if (named.TypeKind is not (TypeKind.Class or TypeKind.Struct) || named.IsAbstract || named.SpecialType == SpecialType.System_Object ||
            named.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal) || named.IsTupleType ||
            named.AllInterfaces.Any(i => i.ToDisplayString() is "System.Collections.IEnumerable") ||
            metadataName.StartsWith("System.", System.StringComparison.Ordinal))
        {
            return $"'{name}' is not a supported JSON type (use primitives, strings, enums, nullable values, arrays, List<T>, " +
                   "IReadOnlyList<T>, Dictionary<string, T> and non-abstract classes, records or structs with public properties)";
        }

        var properties = new List<JsonPropertyShape>();
        foreach (var property in AllProperties(named))
        {
            var hasSetter = property.SetMethod is { DeclaredAccessibility: Accessibility.Public, IsInitOnly: false };
            pending.Enqueue(property.Type);
            properties.Add(new JsonPropertyShape(property.Name, Name(property.Type), hasSetter));
        }

        var constructors = named.InstanceConstructors
            .Where(c => c.DeclaredAccessibility == Accessibility.Public &&
                        !(c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, named)))
            .ToList();
        var parameterless = constructors.Any(c => c.Parameters.Length == 0) || named.IsValueType;
        if (parameterless && properties.All(p => p.HasSetter))
        {
            shapes.Add(new JsonTypeShape(name, JsonShapeKind.Object, null, null, named.IsValueType, properties, noParameters));
            return null;
        }

        foreach (var constructor in constructors.Where(c => c.Parameters.Length > 0))
        {
            var mapped = new List<string>();
            foreach (var parameter in constructor.Parameters)
            {
                var match = properties.FirstOrDefault(p => string.Equals(p.Name, parameter.Name, System.StringComparison.OrdinalIgnoreCase) &&
                    p.Type == Name(parameter.Type));
                if (match is null)
                {
                    break;
                }

                mapped.Add(match.Name);
            }

            if (mapped.Count == constructor.Parameters.Length &&
                properties.All(p => p.HasSetter || mapped.Contains(p.Name)))
            {
                shapes.Add(new JsonTypeShape(name, JsonShapeKind.Object, null, null, named.IsValueType, properties, mapped));
                return null;
            }
        }

        var unset = properties.FirstOrDefault(p => !p.HasSetter);
        return $"'{name}' cannot be read back: property '{unset?.Name}' has no public setter and no public constructor parameter of the same name and type";
    }

    private static IEnumerable<IPropertySymbol> AllProperties(INamedTypeSymbol type)
    {
        var names = new HashSet<string>();
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
        {
            foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public ||
                    property.GetMethod is not { DeclaredAccessibility: Accessibility.Public } || property.Name == "EqualityContract" ||
                    !names.Add(property.Name))
                {
                    continue;
                }

                yield return property;
            }
        }
    }

    private static string Name(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);

    private static string MetadataName(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.MetadataName : type.MetadataName;
}
