using System.Text.Json;
using System.Text.Json.Nodes;

namespace GopiAI.Toolkit.AspNetCore.Tests.TestSupport;

/// <summary>
/// Checks a JSON document against the subset of JSON Schema that System.Text.Json's exporter writes: <c>type</c> (one or
/// several), <c>enum</c>, <c>properties</c>, <c>required</c>, <c>additionalProperties</c>, <c>items</c> and local
/// <c>$ref</c>s. Returns every violation with its JSON path, so a failing test says exactly what differs.
/// </summary>
internal static class JsonSchemaValidator
{
    public static IReadOnlyList<string> Validate(JsonElement document, JsonNode schema)
    {
        var errors = new List<string>();
        Check(document, schema, schema, "$", errors);
        return errors;
    }

    private static void Check(JsonElement value, JsonNode? schema, JsonNode root, string path, List<string> errors)
    {
        if (schema is null || schema.GetValueKind() == JsonValueKind.True)
        {
            return;
        }

        if (schema.GetValueKind() == JsonValueKind.False)
        {
            errors.Add($"{path}: no value is allowed here");
            return;
        }

        var node = schema.AsObject();
        if (node["$ref"]?.GetValue<string>() is { } reference)
        {
            Check(value, Resolve(root, reference), root, path, errors);
            return;
        }

        if (node["type"] is { } type)
        {
            var allowed = type is JsonArray list ? list.Select(t => t!.GetValue<string>()).ToArray() : [type.GetValue<string>()];
            if (!allowed.Any(t => Matches(value, t)))
            {
                errors.Add($"{path}: {value.ValueKind} is not of type {string.Join('|', allowed)}");
                return;
            }
        }

        if (node["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, JsonNode.Parse(value.GetRawText()))))
        {
            errors.Add($"{path}: {value.GetRawText()} is not one of {options.ToJsonString()}");
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = node["properties"]?.AsObject();
            foreach (var required in node["required"]?.AsArray() ?? [])
            {
                if (!value.TryGetProperty(required!.GetValue<string>(), out _))
                {
                    errors.Add($"{path}: required property '{required}' is missing");
                }
            }

            foreach (var property in value.EnumerateObject())
            {
                if (properties is not null && properties.TryGetPropertyValue(property.Name, out var propertySchema))
                {
                    Check(property.Value, propertySchema, root, $"{path}.{property.Name}", errors);
                }
                else if (node["additionalProperties"] is { } additional)
                {
                    Check(property.Value, additional, root, $"{path}.{property.Name}", errors);
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Array && node["items"] is { } items)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(item, items, root, $"{path}[{i++}]", errors);
            }
        }
    }

    private static bool Matches(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => false,
    };

    private static JsonNode? Resolve(JsonNode root, string reference)
    {
        if (!reference.StartsWith('#'))
        {
            throw new NotSupportedException($"Only local references are supported, not '{reference}'.");
        }

        var node = root;
        foreach (var part in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = part.All(char.IsAsciiDigit) && node is JsonArray array ? array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)] : node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }

        return node;
    }
}
