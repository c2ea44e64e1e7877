namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>A validated document ready to be written: its row and its searchable chunks (one for a short document).</summary>
internal sealed class PreparedDocument
{
    public required int InputIndex { get; init; }
    public required string Id { get; init; }

    /// <summary>Whether the caller chose the id (it then wins over content de-duplication) rather than the library.</summary>
    public required bool IdGiven { get; init; }
    public required string Content { get; init; }
    public string? ConversationId { get; init; }
    public string? Role { get; init; }
    public required string MetadataJson { get; init; }
    public string? Source { get; init; }
    public required long TimestampMs { get; init; }

    /// <summary>Whether the caller gave the timestamp (otherwise it is the time of storing, which never counts as a change).</summary>
    public required bool TimestampGiven { get; init; }
    public required byte[] ContentHash { get; init; }

    /// <summary>One chunk means the document row itself is searchable; several mean a parent row plus chunk rows.</summary>
    public required IReadOnlyList<PreparedChunk> Chunks { get; init; }
}

/// <summary>
/// A searchable piece of a document's text (a range of it, so that a long document is not copied once per chunk
/// while it waits to be embedded) and, once embedded, its unit vector.
/// </summary>
internal sealed class PreparedChunk(string content, int start, int length)
{
    public PreparedChunk(string content)
        : this(content, 0, content.Length)
    {
    }

    /// <summary>The chunk's text (the document's own string when the chunk is the whole document).</summary>
    public string Text => start == 0 && length == content.Length ? content : content.Substring(start, length);

    public float[] Vector { get; set; } = [];
}

/// <summary>What a committed batch did: the id of every input (the existing id for a duplicate) and the vector changes.</summary>
/// <remarks><paramref name="Pending"/>: positions that were skipped as duplicates before embedding but are no longer duplicates.</remarks>
internal sealed record BatchOutcome(IReadOnlyList<string?> Ids, int Stored, int Duplicates, IReadOnlyList<int> Pending);

/// <summary>One searchable row as read back from the store.</summary>
/// <remarks><paramref name="Similarity"/>: cosine similarity to the query vector passed to <see cref="IMemoryStore.GetRowsAsync"/>, when one was.</remarks>
internal sealed record DocumentRow(
    long RowId,
    string Id,
    string? ParentId,
    string? ConversationId,
    string? Role,
    string Content,
    string MetadataJson,
    string? Source,
    long TimestampMs,
    float? Similarity = null);

/// <summary>A vector change applied to the in-memory matrix after its transaction committed.</summary>
internal readonly record struct VectorChange(long RowId, float[]? Vector);
