using System.Security.Cryptography;
using System.Text;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Export;

/// <summary>
/// One stored document as it moves between memories (export files, provider migration): its fields and each searchable
/// chunk's text and unit vector, so that nothing is embedded again on the other side.
/// </summary>
internal sealed record ExportedDocument(
    string Id,
    string? ConversationId,
    string? Role,
    string Content,
    string MetadataJson,
    string? Source,
    long TimestampMs,
    IReadOnlyList<ExportedChunk> Chunks)
{
    /// <summary>
    /// The document ready to be written by any store: its own id (so importing twice is a no-op, which makes imports and
    /// migrations resumable), its vectors as they were, canonical metadata JSON.
    /// </summary>
    public PreparedDocument ToPrepared(int inputIndex) => new()
    {
        InputIndex = inputIndex,
        Id = Id,
        IdGiven = true,
        Content = Content,
        ConversationId = ConversationId,
        Role = Role,
        MetadataJson = Chunker.SerializeMetadata(RowValidator.TryParseMetadata(MetadataJson, out var metadata) ? metadata : null),
        Source = Source,
        TimestampMs = TimestampMs,
        TimestampGiven = true,
        ContentHash = SHA256.HashData(Encoding.UTF8.GetBytes(Content)),
        Chunks = Chunks.Select(c => new PreparedChunk(c.Text) { Vector = c.Vector }).ToList(),
    };
}

/// <summary>A searchable piece of an <see cref="ExportedDocument"/>: the whole content for a short document, one chunk of a long one.</summary>
internal sealed record ExportedChunk(string Text, float[] Vector);
