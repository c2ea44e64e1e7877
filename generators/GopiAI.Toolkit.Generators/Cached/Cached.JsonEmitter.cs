using System.Globalization;
using System.Linq;
using GopiAI.Toolkit.Generators.Common;
using GopiAI.Toolkit.Generators.Common.Models;
using GopiAI.Toolkit.Rules;

namespace GopiAI.Toolkit.Generators.Cached;

/// <summary>
/// Writes the JSON metadata of a distributed method's result: an <c>IJsonTypeInfoResolver</c> that builds each type's
/// <c>JsonTypeInfo</c> through <c>JsonMetadataServices</c>, as System.Text.Json's own source generator does (its generator
/// cannot see types we generate, so we write the metadata ourselves). No reflection at run time.
/// </summary>
internal static class CachedJsonEmitter
{
    private const string Metadata = "global::System.Text.Json.Serialization.Metadata";
    private const string Services = Metadata + ".JsonMetadataServices";
    private const string Options = "global::System.Text.Json.JsonSerializerOptions";

    public static void WriteResolver(SourceWriter writer, string className, string resultType, EquatableArray<JsonTypeModel> shapes)
    {
        var root = shapes[0].Type;
        writer.Line("#nullable disable");
        writer.Line("/// <summary>Source-generated JSON metadata of the distributed cache's values (no reflection).</summary>");
        writer.Line(KnownTypeNames.GeneratedCodeAttributeLine);
        writer.Open("private sealed class " + className + " : " + Metadata + ".IJsonTypeInfoResolver");
        writer.Line("private static readonly " + Options + " s_options = new " + Options + " { TypeInfoResolver = new " + className + "() };");
        writer.Line();
        writer.Line("#nullable enable");
        writer.Line("public static " + Metadata + ".JsonTypeInfo<" + resultType + "> TypeInfo { get; } = (" + Metadata + ".JsonTypeInfo<" + resultType + ">)s_options.GetTypeInfo(typeof(" + root + "));");
        writer.Line("#nullable disable");
        writer.Line();
        writer.Open("public " + Metadata + ".JsonTypeInfo GetTypeInfo(global::System.Type type, " + Options + " options)");
        for (var i = 0; i < shapes.Count; i++)
        {
            writer.Open("if (type == typeof(" + shapes[i].Type + "))");
            writer.Line("return Create" + Index(i) + "(options);");
            writer.Close();
        }

        writer.Line("return null;");
        writer.Close();
        for (var i = 0; i < shapes.Count; i++)
        {
            writer.Line();
            WriteCreate(writer, shapes[i], i);
        }

        writer.Close();
        writer.Line("#nullable restore");
    }

    private static void WriteCreate(SourceWriter writer, JsonTypeModel shape, int index)
    {
        var type = shape.Type;
        writer.Open("private static " + Metadata + ".JsonTypeInfo<" + type + "> Create" + Index(index) + "(" + Options + " options)");
        var collection = "new " + Metadata + ".JsonCollectionInfoValues<" + type + ">";
        switch (shape.Kind)
        {
            case JsonShapeKind.Value:
                writer.Line("return " + Services + ".CreateValueInfo<" + type + ">(options, " + Services + "." + shape.Converter + ");");
                break;
            case JsonShapeKind.Enum:
                writer.Line("return " + Services + ".CreateValueInfo<" + type + ">(options, " + Services + ".GetEnumConverter<" + type + ">(options));");
                break;
            case JsonShapeKind.Nullable:
                writer.Line("return " + Services + ".CreateValueInfo<" + type + ">(options, " + Services + ".GetNullableConverter<" + shape.Element + ">(options));");
                break;
            case JsonShapeKind.Array:
                writer.Line("return " + Services + ".CreateArrayInfo<" + shape.Element + ">(options, " + collection + " { ObjectCreator = null });");
                break;
            case JsonShapeKind.List:
                writer.Line("return " + Services + ".CreateListInfo<" + type + ", " + shape.Element + ">(options, " + collection + " { ObjectCreator = static () => new " + type + "() });");
                break;
            case JsonShapeKind.Enumerable:
                // Read back as a List<T>, which every one of these interfaces accepts.
                writer.Line("return " + Services + ".CreateIEnumerableInfo<" + type + ", " + shape.Element + ">(options, " + collection + " { ObjectCreator = null });");
                break;
            case JsonShapeKind.Dictionary:
                writer.Line("return " + Services + ".CreateDictionaryInfo<" + type + ", string, " + shape.Element + ">(options, " + collection + " { ObjectCreator = static () => new " + type + "() });");
                break;
            case JsonShapeKind.Object:
                WriteObject(writer, shape);
                break;
        }

        writer.Close();
    }

    private static void WriteObject(SourceWriter writer, JsonTypeModel shape)
    {
        var type = shape.Type;
        writer.Line("var values = new " + Metadata + ".JsonObjectInfoValues<" + type + ">");
        writer.Open();
        if (shape.ConstructorParameters.Count == 0)
        {
            writer.Line("ObjectCreator = static () => new " + type + "(),");
        }
        else
        {
            var typesByName = shape.Properties.ToDictionary(p => p.Name, p => p.Type);
            var arguments = shape.ConstructorParameters.Select((name, i) => "(" + typesByName[name] + ")__args[" + i.ToString(CultureInfo.InvariantCulture) + "]");
            writer.Line("ObjectWithParameterizedConstructorCreator = static __args => new " + type + "(" + string.Join(", ", arguments) + "),");
            writer.Line("ConstructorParameterMetadataInitializer = static () => new " + Metadata + ".JsonParameterInfoValues[]");
            writer.Open();
            for (var i = 0; i < shape.ConstructorParameters.Count; i++)
            {
                var name = shape.ConstructorParameters[i];
                writer.Line("new " + Metadata + ".JsonParameterInfoValues { Name = " + FileEmitter.Literal(name.TrimStart('@')) + ", ParameterType = typeof(" + typesByName[name] +
                    "), Position = " + i.ToString(CultureInfo.InvariantCulture) + ", HasDefaultValue = false, DefaultValue = null },");
            }

            writer.Close(",");
        }

        writer.Line("PropertyMetadataInitializer = _ => Properties(options),");
        writer.Close(";");
        writer.Line("return " + Services + ".CreateObjectInfo<" + type + ">(options, values);");
        writer.Line();
        writer.Open("static " + Metadata + ".JsonPropertyInfo[] Properties(" + Options + " options)");
        writer.Line("var properties = new " + Metadata + ".JsonPropertyInfo[" + shape.Properties.Count.ToString(CultureInfo.InvariantCulture) + "];");
        for (var i = 0; i < shape.Properties.Count; i++)
        {
            var property = shape.Properties[i];
            string setter;
            if (!property.HasSetter)
            {
                setter = "null";
            }
            else if (shape.IsValueType)
            {
                setter = "static (__obj, __value) => global::System.Runtime.CompilerServices.Unsafe.Unbox<" + type + ">(__obj)." + property.Name + " = __value";
            }
            else
            {
                setter = "static (__obj, __value) => ((" + type + ")__obj)." + property.Name + " = __value";
            }

            writer.Line("properties[" + i.ToString(CultureInfo.InvariantCulture) + "] = " + Services + ".CreatePropertyInfo<" + property.Type + ">(options, new " + Metadata + ".JsonPropertyInfoValues<" + property.Type + ">");
            writer.Open();
            writer.Line("IsProperty = true,");
            writer.Line("IsPublic = true,");
            writer.Line("DeclaringType = typeof(" + type + "),");
            writer.Line("Getter = static __obj => ((" + type + ")__obj)." + property.Name + ",");
            writer.Line("Setter = " + setter + ",");
            writer.Line("PropertyName = " + FileEmitter.Literal(property.Name.TrimStart('@')) + ",");
            writer.Close(");");
        }

        writer.Line("return properties;");
        writer.Close();
    }

    private static string Index(int index) => index.ToString(CultureInfo.InvariantCulture);
}
