namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>How <see cref="SemanticMemoryManager.SearchMemoryAsync"/> ranks documents.</summary>
public enum SearchMode
{
    /// <summary>Dense and keyword legs fused (<see cref="HybridFusion"/>; convex combination by default). The default.</summary>
    Hybrid = 0,

    /// <summary>Cosine similarity of embeddings only.</summary>
    Dense = 1,

    /// <summary>BM25 over the SQLite FTS5 index only.</summary>
    Keyword = 2,
}

/// <summary>Mode, filters and weighting of one search. Filters combine with AND.</summary>
public sealed record SearchOptions
{
    /// <summary>Ranking mode; <see cref="SearchMode.Hybrid"/> by default.</summary>
    public SearchMode Mode { get; init; } = SearchMode.Hybrid;

    /// <summary>Only documents of this conversation.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Only documents with this role (for example <c>user</c> or <c>assistant</c>), compared ordinally.</summary>
    public string? Role { get; init; }

    /// <summary>Only documents whose timestamp is at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only documents whose timestamp is before this instant.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only documents whose metadata has every one of these key/value pairs (ordinal equality).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>
    /// Overrides <see cref="MemoryConfig.SimilarityThreshold"/> for this search: the lowest <see cref="MemoryResult.Score"/>
    /// (a relevance in [0, 1]) returned, in every mode; 0 or less keeps everything found. Between −1 and 1.
    /// </summary>
    public float? SimilarityThreshold { get; init; }

    /// <summary>How <see cref="SearchMode.Hybrid"/> fuses its legs for this search; null means <see cref="MemoryConfig.Fusion"/>.</summary>
    public HybridFusion? Fusion { get; init; }

    /// <summary>
    /// When set, each score is multiplied by <c>0.5 ^ (age / RecencyHalfLife)</c> blended as
    /// <c>score * (1 - RecencyWeight + RecencyWeight * decay)</c>, so newer memories rank higher.
    /// </summary>
    public TimeSpan? RecencyHalfLife { get; init; }

    /// <summary>Share of the score that recency may take away (0 to 1) when <see cref="RecencyHalfLife"/> is set; 0.3 by default.</summary>
    public double RecencyWeight { get; init; } = 0.3;
}
