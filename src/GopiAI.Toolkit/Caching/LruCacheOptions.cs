namespace GopiAI.Toolkit.Caching;

/// <summary>
/// Settings for an <see cref="LruCache{TKey, TValue}"/>. A plain options class: set the properties, then pass it to
/// the cache's constructor, which validates it and copies what it needs (later changes have no effect).
/// </summary>
public sealed class LruCacheOptions
{
    /// <summary>Gets or sets the cache name used in statistics and metric tags. <see langword="null"/> derives one from the type arguments.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the maximum number of entries (default 1000). Must be greater than zero.</summary>
    public int MaxSize { get; set; } = 1000;

    /// <summary>
    /// Gets or sets the optional capacity in bytes, measured by <see cref="SizeCalculator"/> (or the typed size function given
    /// to the cache's constructor). <see langword="null"/> means no byte limit. Must be greater than zero when set.
    /// </summary>
    public long? MaxBytes { get; set; }

    /// <summary>Gets or sets the time to live of entries stored without an explicit TTL. <see langword="null"/> means entries never expire.</summary>
    public TimeSpan? DefaultTtl { get; set; }

    /// <summary>Gets or sets a value indicating whether a hit restarts the entry's time to live (sliding expiration) instead of keeping the absolute one.</summary>
    public bool Sliding { get; set; }

    /// <summary>Gets or sets a value indicating whether a factory result of <see langword="null"/> is cached (default <see langword="false"/>: it is returned but not stored).</summary>
    public bool CacheNullValues { get; set; }

    /// <summary>Gets or sets a value indicating whether values that implement <see cref="IDisposable"/> are disposed when they leave the cache (eviction, expiry, invalidation, replacement, clear, dispose).</summary>
    public bool DisposeEvictedValues { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether values are sensitive: when they leave the cache (for any reason) <c>byte[]</c>,
    /// <c>char[]</c>, <c>Memory&lt;byte&gt;</c> and <c>ReadOnlyMemory&lt;byte&gt;</c> values are zeroed and <see cref="IDisposable"/>
    /// values disposed, so that the secret does not outlive its time in the cache.
    /// </summary>
    public bool SensitiveValues { get; set; }

    /// <summary>Gets or sets the time source for expiration. <see langword="null"/> means <see cref="System.TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// Gets or sets an untyped size function <c>(key, value) =&gt; bytes</c> used with <see cref="MaxBytes"/> and for
    /// <see cref="CacheStats.MemoryUsage"/>. A typed function passed to the cache's constructor takes precedence.
    /// </summary>
    public Func<object, object?, long>? SizeCalculator { get; set; }

    /// <summary>
    /// Gets or sets an untyped callback invoked after an entry leaves the cache, with the reason. A typed callback passed to the
    /// cache's constructor takes precedence. Exceptions thrown by the callback are caught so that cache state stays consistent.
    /// </summary>
    public Action<CacheEviction>? OnEvicted { get; set; }

    /// <summary>
    /// Gets or sets how the cache chooses which entry to drop when full (default <see cref="CacheEvictionPolicy.WTinyLfu"/>:
    /// frequency-aware admission with an adaptive recency window; <see cref="CacheEvictionPolicy.Lru"/> for plain LRU).
    /// </summary>
    public CacheEvictionPolicy EvictionPolicy { get; set; } = CacheEvictionPolicy.WTinyLfu;

    /// <summary>Gets or sets a value indicating whether the cache reports hits, misses, evictions and size on the <c>GopiAI.Toolkit.Caching</c> meter (default <see langword="true"/>).</summary>
    public bool EnableMetrics { get; set; } = true;

    /// <summary>Creates a shallow copy of these options.</summary>
    /// <returns>A new <see cref="LruCacheOptions"/> with the same values.</returns>
    public LruCacheOptions Clone() => (LruCacheOptions)MemberwiseClone();

    internal void Validate(bool hasTypedSizer)
    {
        if (MaxSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSize), MaxSize, "LruCacheOptions.MaxSize must be greater than zero.");
        }

        if (MaxBytes is { } bytes)
        {
            if (bytes <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxBytes), bytes, "LruCacheOptions.MaxBytes must be greater than zero when set.");
            }

            if (SizeCalculator is null && !hasTypedSizer)
            {
                throw new ArgumentException("LruCacheOptions.MaxBytes needs a size function (SizeCalculator or the typed sizeOf constructor argument).", nameof(MaxBytes));
            }
        }

        if (DefaultTtl is { } ttl && ttl != Timeout.InfiniteTimeSpan && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultTtl), ttl, "LruCacheOptions.DefaultTtl must be a positive duration (or null / Timeout.InfiniteTimeSpan for no expiry).");
        }

        if (!Enum.IsDefined(EvictionPolicy))
        {
            throw new ArgumentOutOfRangeException(nameof(EvictionPolicy), EvictionPolicy, "LruCacheOptions.EvictionPolicy must be a defined CacheEvictionPolicy value.");
        }

        if (Name is not null && string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("LruCacheOptions.Name must not be empty or white space when set.", nameof(Name));
        }
    }
}
