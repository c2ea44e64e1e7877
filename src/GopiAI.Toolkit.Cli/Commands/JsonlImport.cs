using System.Globalization;
using System.Text;
using System.Text.Json;
using GopiAI.Toolkit.SemanticMemory;

namespace GopiAI.Toolkit.Cli.Commands;

/// <summary>
/// Reads a JSONL file of memory documents: one JSON object per line with <c>content</c> (required) and optional
/// <c>id</c>, <c>conversationId</c>, <c>role</c>, <c>metadata</c> (an object; non-string values are stored as their
/// JSON text), <c>timestamp</c> (ISO 8601) and <c>source</c>. Blank lines are skipped. The whole file is validated
/// before anything is stored, so a bad line never leaves half an import behind.
/// </summary>
internal static class JsonlImport
{
    /// <summary>UTF-8 that throws on invalid bytes instead of replacing them, so that a damaged file is reported, not imported garbled.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    public static async Task<List<MemoryDocument>> ReadAsync(string path, string? defaultConversation, CancellationToken cancellationToken)
    {
        var documents = new List<MemoryDocument>();
        var name = Path.GetFileName(path);

        // Bytes first, decoded line by line, so that invalid UTF-8 is reported with its line (a reader decodes ahead in blocks).
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var rest = bytes.AsSpan();
        if (rest.StartsWith(Utf8Bom))
        {
            rest = rest[Utf8Bom.Length..];
        }

        for (var lineNumber = 1; !rest.IsEmpty; lineNumber++)
        {
            var end = rest.IndexOf((byte)'\n');
            var raw = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            string line;
            try
            {
                line = StrictUtf8.GetString(raw.TrimEnd((byte)'\r'));
            }
            catch (DecoderFallbackException)
            {
                throw Bad(name, lineNumber, "is not valid UTF-8 (the file may be in another encoding or damaged)");
            }

            if (!string.IsNullOrWhiteSpace(line))
            {
                documents.Add(Parse(line, lineNumber, name, defaultConversation));
            }
        }

        if (documents.Count == 0)
        {
            throw new CliException(ExitCode.BadInput, $"'{path}' holds no documents (expected one JSON object per line with a \"content\" field).");
        }

        return documents;
    }

    internal static MemoryDocument Parse(string line, int lineNumber, string fileName, string? defaultConversation)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw Bad(fileName, lineNumber, $"is not valid JSON ({ex.Message})");
        }

        using (json)
        {
            try
            {
                return ToDocument(json.RootElement, lineNumber, fileName, defaultConversation);
            }
            catch (InvalidOperationException)
            {
                // A property name with a lone surrogate escape (the fields' own values are reported by name below).
                throw Bad(fileName, lineNumber, "holds a name that is not valid Unicode (a lone UTF-16 surrogate escape such as \\ud800)");
            }
        }
    }

    private static MemoryDocument ToDocument(JsonElement root, int lineNumber, string fileName, string? defaultConversation)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad(fileName, lineNumber, "is not a JSON object");
        }

        var content = String(root, "content", fileName, lineNumber);
        if (string.IsNullOrWhiteSpace(content))
        {
            throw Bad(fileName, lineNumber, "has no \"content\" (a non-empty string is required)");
        }

        return new MemoryDocument
        {
            Id = NonBlank(String(root, "id", fileName, lineNumber)),
            Content = content,
            ConversationId = NonBlank(String(root, "conversationId", fileName, lineNumber)) ?? defaultConversation,
            Role = NonBlank(String(root, "role", fileName, lineNumber)),
            Source = NonBlank(String(root, "source", fileName, lineNumber)),
            Metadata = Metadata(root, fileName, lineNumber),
            Timestamp = Timestamp(root, fileName, lineNumber),
        };
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static bool TryGet(JsonElement root, string name, out JsonElement value)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind != JsonValueKind.Null)
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string? String(JsonElement root, string name, string fileName, int lineNumber)
    {
        if (!TryGet(root, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? Text(value, $"\"{name}\"", fileName, lineNumber)
            : throw Bad(fileName, lineNumber, $"has a non-string \"{name}\"");
    }

    /// <summary>Reads a JSON string; a <c>\ud800</c>-style escape of half a surrogate pair is reported with the line, not as a crash.</summary>
    private static string Text(JsonElement value, string what, string fileName, int lineNumber)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Bad(fileName, lineNumber, $"has a {what} that is not valid Unicode (a lone UTF-16 surrogate escape such as \\ud800)");
        }
    }

    private static Dictionary<string, string>? Metadata(JsonElement root, string fileName, int lineNumber)
    {
        if (!TryGet(root, "metadata", out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Bad(fileName, lineNumber, "has a \"metadata\" that is not an object");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            string key;
            try
            {
                key = property.Name;
            }
            catch (InvalidOperationException)
            {
                throw Bad(fileName, lineNumber, "has a \"metadata\" key that is not valid Unicode (a lone UTF-16 surrogate escape such as \\ud800)");
            }

            metadata[key] = property.Value.ValueKind == JsonValueKind.String ? Text(property.Value, $"\"metadata\" value for '{key}'", fileName, lineNumber) : property.Value.GetRawText();
        }

        return metadata;
    }

    private static DateTimeOffset? Timestamp(JsonElement root, string fileName, int lineNumber)
    {
        var text = String(root, "timestamp", fileName, lineNumber);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
            ? timestamp
            : throw Bad(fileName, lineNumber, $"has a \"timestamp\" that is not an ISO 8601 date ('{text}')");
    }

    private static CliException Bad(string fileName, int lineNumber, string what) =>
        new(ExitCode.BadInput, $"Line {lineNumber} of '{fileName}' {what}.");
}
