using System.Text.Json.Serialization.Metadata;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// Settings of a <see cref="TieredCache{TKey, TValue}"/>: generated <c>[Cached(Distributed = true)]</c> code fills them from
/// the attribute and its own source-generated JSON metadata.
/// </summary>
/// <typeparam name="TKey">The in-process key (the generated key struct).</typeparam>
/// <typeparam name="TValue">The cached value.</typeparam>
public sealed class TieredCacheOptions<TKey, TValue>
{
    /// <summary>Gets or sets the cache name, <c>{Namespace.Type}.{Method}</c>; it is also the tag every entry carries (for <c>InvalidateAll</c>) and the prefix of its keys.</summary>
    public required string Name { get; init; }

    /// <summary>Gets or sets the function that builds the distributed key string of a key (see <see cref="CacheKeys"/>).</summary>
    public required Func<TKey, string> DistributedKey { get; init; }

    /// <summary>Gets or sets the function that lists the tags of an entry from its key; <see langword="null"/> for none besides <see cref="Name"/>.</summary>
    public Func<TKey, string[]>? Tags { get; init; }

    /// <summary>Gets or sets the JSON metadata (source-generated, no reflection) that serializes values for the L2.</summary>
    public required JsonTypeInfo<TValue> TypeInfo { get; init; }

    /// <summary>Gets or sets the capacity of the in-process layer in entries (default 1000).</summary>
    public int MaxSize { get; init; } = 1000;

    /// <summary>Gets or sets the time to live of an entry in both layers; <see langword="null"/> keeps the L1 entry until evicted and uses <see cref="DistributedCachingOptions.DefaultExpiration"/> for the L2.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Gets or sets a value indicating whether <see langword="null"/> results are cached.</summary>
    public bool CacheNull { get; init; }

    /// <summary>
    /// Gets or sets a value indicating whether values are sensitive: encrypted before they reach the L2 (and kept out of it
    /// when no key is configured), zeroed or disposed when they leave the L1, and never logged.
    /// </summary>
    public bool Sensitive { get; init; }
}
