namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>One ranked hit of <see cref="SemanticMemoryManager.SearchMemoryAsync"/>.</summary>
public sealed record MemoryResult
{
    /// <summary>Identifier of the stored document (for a chunk: <c>parentId#n</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The matching text (for a long document, the matching chunk).</summary>
    public required string Content { get; init; }

    /// <summary>
    /// Ranking score, higher is better: cosine similarity in Dense mode, the negated BM25 rank in Keyword mode,
    /// the reciprocal-rank-fusion score in Hybrid mode (times the recency factor when recency weighting is on).
    /// </summary>
    public required double Score { get; init; }

    /// <summary>Cosine similarity to the query, when the document took part in dense ranking.</summary>
    public float? Similarity { get; init; }

    /// <summary>Metadata stored with the document (empty when none).</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>When the document was written.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Conversation of the document, if any.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Role of the document, if any.</summary>
    public string? Role { get; init; }

    /// <summary>Citation for the text: the document's <see cref="MemoryDocument.Source"/>, else <c>conversation:{id}</c>, else <c>memory:{id}</c>.</summary>
    public required string Source { get; init; }

    /// <summary>For a chunk of a long document, the identifier of that document; otherwise <see langword="null"/>.</summary>
    public string? ParentId { get; init; }
}
