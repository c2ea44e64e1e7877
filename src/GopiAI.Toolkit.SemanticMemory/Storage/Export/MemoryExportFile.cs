using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GopiAI.Toolkit.SemanticMemory.Search;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Export;

/// <summary>
/// The engine's own export format, the same for every provider: UTF-8 JSON Lines. The first line names the format,
/// version, model and dimension; then one line per document (fields, metadata, and each chunk's text and vector as
/// base64 little-endian float32); the last line says how many documents came before it, so that a truncated file is
/// recognised. Written by <see cref="SemanticMemoryManager.ExportAsync"/>, read by
/// <see cref="SemanticMemoryManager.ImportAsync"/> and by the PostgreSQL provider's restore.
/// </summary>
internal static class MemoryExportFile
{
    /// <summary>The <c>format</c> field of the first line.</summary>
    public const string FormatName = "gopiai-memory-export";

    /// <summary>The version this library writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Writes the header line.</summary>
    public static Task WriteHeaderAsync(StreamWriter writer, string model, int dimensions) =>
        writer.WriteLineAsync(JsonSerializer.Serialize(new Header(FormatName, Version, model, dimensions), ExportJsonContext.Default.Header));

    /// <summary>Writes one document line.</summary>
    public static Task WriteDocumentAsync(StreamWriter writer, ExportedDocument document)
    {
        var line = new DocumentLine(
            document.Id,
            document.ConversationId,
            document.Role,
            document.Content,
            RowValidator.TryParseMetadata(document.MetadataJson, out var metadata) ? metadata.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) : [],
            document.Source,
            document.TimestampMs,
            document.Chunks.Select(c => new ChunkLine(document.Chunks.Count == 1 ? null : c.Text, Convert.ToBase64String(MemoryMarshal.AsBytes(c.Vector.AsSpan())))).ToList());
        return writer.WriteLineAsync(JsonSerializer.Serialize(line, ExportJsonContext.Default.DocumentLine));
    }

    /// <summary>Writes the trailer line.</summary>
    public static Task WriteEndAsync(StreamWriter writer, long documents) =>
        writer.WriteLineAsync(JsonSerializer.Serialize(new EndLine(true, documents), ExportJsonContext.Default.EndLine));

    /// <summary>
    /// Reads an export, checking every line as it goes: the header (format, version, model and dimension of the memory
    /// that reads it), each document (valid fields, unit vectors of the right length) and the trailer's count.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not an export, or a line is damaged, or it is truncated; the message names the line.</exception>
    /// <exception cref="MemoryStoreException">The export holds vectors of another model or dimension (<see cref="MemoryStoreError.Incompatible"/>).</exception>
    public static async IAsyncEnumerable<ExportedDocument> ReadAsync(
        TextReader reader,
        string source,
        string model,
        int dimensions,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var first = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        var header = Parse(first, 1, source, ExportJsonContext.Default.Header);
        if (header?.Format != FormatName)
        {
            throw new InvalidDataException($"{source} is not a GopiAI memory export (line 1 does not name the format '{FormatName}').");
        }

        if (header.Version != Version)
        {
            throw new InvalidDataException($"{source} is a version {header.Version} export; this library reads version {Version}.");
        }

        if (header.Model != model || header.Dimensions != dimensions)
        {
            throw new MemoryStoreException(source, MemoryStoreError.Incompatible,
                $"{source} holds {header.Dimensions}-dimensional vectors of the model '{header.Model}', but this memory holds {dimensions}-dimensional vectors of '{model}'. Import it into a memory of the same model.");
        }

        long count = 0;
        for (var number = 2; ; number++)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"{source} ends after line {number - 1} without its end line: the export is truncated ({count} documents read).");
            if (line.StartsWith("{\"end\"", StringComparison.Ordinal))
            {
                var end = Parse(line, number, source, ExportJsonContext.Default.EndLine);
                if (end?.Documents != count)
                {
                    throw new InvalidDataException($"{source}: line {number} says the export holds {end?.Documents} documents, but {count} came before it.");
                }

                if (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 })
                {
                    throw new InvalidDataException($"{source}: text follows the end line (line {number}).");
                }

                yield break;
            }

            var document = Parse(line, number, source, ExportJsonContext.Default.DocumentLine);
            yield return ToDocument(document, number, source, dimensions);
            count++;
        }
    }

    private static ExportedDocument ToDocument(DocumentLine? line, int number, string source, int dimensions)
    {
        string Where() => $"{source}: line {number.ToString(CultureInfo.InvariantCulture)}";
        if (line is null || string.IsNullOrWhiteSpace(line.Id) || string.IsNullOrWhiteSpace(line.Content) || line.Chunks is not { Count: > 0 })
        {
            throw new InvalidDataException($"{Where()} is not a document (it needs an id, content and at least one chunk).");
        }

        var document = new MemoryDocument
        {
            Id = line.Id,
            Content = line.Content,
            ConversationId = line.ConversationId,
            Role = line.Role,
            Source = line.Source,
            Metadata = line.Metadata,
        };
        try
        {
            InputValidator.Document(document, $"The document of line {number}", "source");
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{Where()}: {ex.Message}", ex);
        }

        var chunks = new List<ExportedChunk>(line.Chunks.Count);
        foreach (var chunk in line.Chunks)
        {
            var text = line.Chunks.Count == 1 ? line.Content : chunk.Text;
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new InvalidDataException($"{Where()}: a chunk of a long document has no text.");
            }

            chunks.Add(new ExportedChunk(text, Vector(chunk.Vector)));
        }

        return new ExportedDocument(line.Id, line.ConversationId, line.Role, line.Content, Chunker.SerializeMetadata(line.Metadata), line.Source, line.Timestamp, chunks);

        float[] Vector(string? base64)
        {
            var bytes = new byte[dimensions * sizeof(float)];
            if (base64 is null || !Convert.TryFromBase64String(base64, bytes, out var written) || written != bytes.Length)
            {
                throw new InvalidDataException($"{Where()}: a vector is not {dimensions} base64 float32 values.");
            }

            var vector = MemoryMarshal.Cast<byte, float>(bytes);
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
            // int8-compressed memories export dequantised vectors, a little off unit length: re-normalised here.
            if (!float.IsFinite(norm) || Math.Abs(norm - 1) > RowValidator.Int8NormTolerance)
            {
                throw new InvalidDataException($"{Where()}: a vector is not of unit length (norm {norm.ToString(CultureInfo.InvariantCulture)}).");
            }

            return VectorMath.Normalized(vector);
        }
    }

    private static T? Parse<T>(string? line, int number, string source, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            throw new InvalidDataException($"{source}: line {number} is empty; an export has no empty lines.");
        }

        try
        {
            return JsonSerializer.Deserialize(line, type);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: line {number} is not valid JSON of an export ({ex.Message}).", ex);
        }
    }

    internal sealed record Header(
        [property: JsonPropertyName("format")] string Format,
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("dimensions")] int Dimensions);

    internal sealed record DocumentLine(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("conversationId")] string? ConversationId,
        [property: JsonPropertyName("role")] string? Role,
        [property: JsonPropertyName("content")] string Content,
        [property: JsonPropertyName("metadata")] Dictionary<string, string>? Metadata,
        [property: JsonPropertyName("source")] string? Source,
        [property: JsonPropertyName("timestamp")] long Timestamp,
        [property: JsonPropertyName("chunks")] List<ChunkLine>? Chunks);

    internal sealed record ChunkLine(
        [property: JsonPropertyName("text"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text,
        [property: JsonPropertyName("vector")] string? Vector);

    internal sealed record EndLine(
        [property: JsonPropertyName("end")] bool End,
        [property: JsonPropertyName("documents")] long Documents);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(MemoryExportFile.Header))]
[JsonSerializable(typeof(MemoryExportFile.DocumentLine))]
[JsonSerializable(typeof(MemoryExportFile.EndLine))]
internal sealed partial class ExportJsonContext : JsonSerializerContext;
