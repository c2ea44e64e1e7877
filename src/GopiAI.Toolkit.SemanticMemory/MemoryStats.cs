namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>A snapshot of the store, from <see cref="SemanticMemoryManager.GetStatsAsync"/>.</summary>
public sealed record MemoryStats
{
    /// <summary>Stored documents as the caller stored them (a chunked document counts once).</summary>
    public required long DocumentCount { get; init; }

    /// <summary>Searchable rows: short documents plus the chunks of long ones (each has a vector and a keyword entry).</summary>
    public required long ChunkCount { get; init; }

    /// <summary>Distinct conversations.</summary>
    public required long ConversationCount { get; init; }

    /// <summary>Size of the SQLite file plus its WAL, in bytes.</summary>
    public required long FileSizeBytes { get; init; }

    /// <summary>Embedding model the file was created with.</summary>
    public required string EmbeddingModel { get; init; }

    /// <summary>Vector dimension.</summary>
    public required int Dimensions { get; init; }

    /// <summary>Whether vectors are stored int8-quantised.</summary>
    public required bool Compressed { get; init; }

    /// <summary>Schema version of the file.</summary>
    public required int SchemaVersion { get; init; }

    /// <summary>Whether dense search currently uses the HNSW index (otherwise exact search).</summary>
    public required bool HnswActive { get; init; }

    /// <summary>Oldest document timestamp, if any.</summary>
    public DateTimeOffset? Oldest { get; init; }

    /// <summary>Newest document timestamp, if any.</summary>
    public DateTimeOffset? Newest { get; init; }

    /// <summary>
    /// Rows of the file that search skips because they are damaged or were edited by hand: an unknown vector format,
    /// a vector of the wrong length, with values that are not finite or not of unit length, metadata that is not a JSON
    /// object, or documents, vectors and keyword entries that do not match. 0 for a healthy file.
    /// </summary>
    public long InvalidRows { get; init; }

    /// <summary>The first few problems behind <see cref="InvalidRows"/>, each naming the row (and its id when it has one).</summary>
    public IReadOnlyList<string> InvalidRowDetails { get; init; } = [];
}

/// <summary>
/// Progress of <see cref="SemanticMemoryManager.StoreDocumentsAsync"/>, reported after each committed batch and, while
/// a batch of more than 256 chunks (long documents) is embedded, after every 256 chunks (then <see cref="ChunksEmbedded"/>
/// is set).
/// </summary>
/// <param name="Processed">Documents read from the input so far.</param>
/// <param name="Stored">Documents committed so far (new or replaced).</param>
/// <param name="Duplicates">Documents skipped because the same content was already stored (same conversation).</param>
/// <param name="Total">Input size when the input is a collection; otherwise <see langword="null"/>.</param>
public sealed record StoreProgress(int Processed, int Stored, int Duplicates, int? Total)
{
    /// <summary>While a batch is being embedded: its chunks embedded so far. <see langword="null"/> in the report after a commit.</summary>
    public int? ChunksEmbedded { get; init; }

    /// <summary>While a batch is being embedded: its chunks to embed (a long document has one per ~200 word pieces). <see langword="null"/> after a commit.</summary>
    public int? ChunksInBatch { get; init; }
}

/// <summary>Outcome of <see cref="SemanticMemoryManager.StoreDocumentsAsync"/>.</summary>
/// <param name="Ids">The identifier of every input document, in input order (for a duplicate, the id already stored).</param>
/// <param name="Stored">Documents written.</param>
/// <param name="Duplicates">Documents skipped as duplicates.</param>
public sealed record StoreResult(IReadOnlyList<string> Ids, int Stored, int Duplicates);
