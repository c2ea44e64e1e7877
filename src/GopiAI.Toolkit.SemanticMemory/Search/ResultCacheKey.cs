namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// Key of the search result cache: the query and every option that changes the result, compared field by field.
/// Never a joined string: <c>ConversationId = "a|b"</c> and <c>ConversationId = "a", Role = "b|"</c> join to the same text.
/// </summary>
internal sealed record ResultCacheKey(
    long Generation,
    string Query,
    int Limit,
    SearchMode Mode,
    HybridFusion? Fusion,
    float Threshold,
    string? ConversationId,
    string? Role,
    DateTimeOffset? From,
    DateTimeOffset? To,
    MetadataFilterKey Metadata)
{
    public static ResultCacheKey Create(long generation, string query, int limit, float threshold, SearchOptions options) =>
        new(generation, query, limit, options.Mode, options.Fusion, threshold, options.ConversationId, options.Role, options.From, options.To, MetadataFilterKey.Create(options.Metadata));
}

/// <summary>The metadata filter as ordinally sorted pairs, with structural equality.</summary>
internal sealed class MetadataFilterKey : IEquatable<MetadataFilterKey>
{
    private static readonly MetadataFilterKey None = new([]);

    private readonly KeyValuePair<string, string>[] _pairs;
    private readonly int _hash;

    private MetadataFilterKey(KeyValuePair<string, string>[] pairs)
    {
        _pairs = pairs;
        var hash = default(HashCode);
        foreach (var (key, value) in pairs)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        _hash = hash.ToHashCode();
    }

    public static MetadataFilterKey Create(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not { Count: > 0 } ? None : new([.. metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal)]);

    public bool Equals(MetadataFilterKey? other) =>
        other is not null && (ReferenceEquals(this, other) || (_hash == other._hash && _pairs.AsSpan().SequenceEqual(other._pairs, PairComparer.Instance)));

    public override bool Equals(object? obj) => Equals(obj as MetadataFilterKey);

    public override int GetHashCode() => _hash;

    private sealed class PairComparer : IEqualityComparer<KeyValuePair<string, string>>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals(KeyValuePair<string, string> x, KeyValuePair<string, string> y) =>
            string.Equals(x.Key, y.Key, StringComparison.Ordinal) && string.Equals(x.Value, y.Value, StringComparison.Ordinal);

        public int GetHashCode(KeyValuePair<string, string> obj) => HashCode.Combine(obj.Key, obj.Value);
    }
}
