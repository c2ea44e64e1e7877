namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>One ranked hit of <see cref="SemanticMemoryManager.SearchMemoryAsync"/>.</summary>
public sealed record MemoryResult
{
    /// <summary>Identifier of the stored document (for a chunk: <c>parentId#n</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The matching text (for a long document, the matching chunk).</summary>
    public required string Content { get; init; }

    /// <summary>
    /// Relevance in [0, 1], higher is better, comparable across queries and modes: 0.5 means the text is as likely to
    /// be a relevant one as an irrelevant one (equal priors; calibrated on the evaluation sets, see docs/semantic-memory.md).
    /// Dense: a logistic curve of the cosine similarity (0.5 at cosine 0.40). Keyword: a saturating curve of the BM25
    /// score normalised by the best score the query could reach. Hybrid: the best hit gets the stronger of its two legs'
    /// relevances and every other one that times its fused score relative to the best one (when the fused favourite is
    /// itself below the threshold, only hits one leg finds relevant enough take part). Times the recency factor when recency weighting is on. <see cref="MemoryConfig.SimilarityThreshold"/> applies to it.
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
