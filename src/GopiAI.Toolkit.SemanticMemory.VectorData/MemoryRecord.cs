using Microsoft.Extensions.VectorData;

namespace GopiAI.Toolkit.SemanticMemory.VectorData;

/// <summary>
/// One record of a <see cref="SemanticMemoryCollection"/>: a text the memory embeds itself (all-MiniLM-L6-v2 or the
/// manager's generator), with the fields the memory can filter on. The attributes describe it to code that reads
/// Microsoft.Extensions.VectorData models; the collection maps it directly.
/// </summary>
public sealed class MemoryRecord
{
    /// <summary>The key, unique within its collection.</summary>
    [VectorStoreKey]
    public string Key { get; set; } = string.Empty;

    /// <summary>The text: embedded for dense search and indexed for keyword search. Must not be blank.</summary>
    [VectorStoreData(IsFullTextIndexed = true)]
    public string Content { get; set; } = string.Empty;

    /// <summary>Who said it (for chat turns), filterable with <c>r =&gt; r.Role == "user"</c>.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string? Role { get; set; }

    /// <summary>Where the text came from (a file name, a URL); reported, not filterable.</summary>
    [VectorStoreData]
    public string? Source { get; set; }

    /// <summary>When it was written (the time of storing when null); filterable with <c>&gt;=</c> and <c>&lt;</c>.</summary>
    [VectorStoreData(IsIndexed = true)]
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>String metadata, filterable with <c>r =&gt; r.Metadata["team"] == "ops"</c>.</summary>
    [VectorStoreData(IsIndexed = true)]
    public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The text that is embedded (the memory generates the vector from <see cref="Content"/>; read only).</summary>
    [VectorStoreVector(384, DistanceFunction = DistanceFunction.CosineSimilarity, IndexKind = IndexKind.Hnsw)]
    public string Embedding => Content;
}
