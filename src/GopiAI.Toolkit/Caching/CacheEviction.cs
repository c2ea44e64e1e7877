namespace GopiAI.Toolkit.Caching;

/// <summary>Why an entry left a cache.</summary>
public enum EvictionReason
{
    /// <summary>The cache was over its entry or byte capacity and the eviction policy chose this entry (under W-TinyLFU possibly the entry just added, when it is used less often than the one it would displace).</summary>
    Capacity,

    /// <summary>The entry's time to live had passed.</summary>
    Expired,

    /// <summary>The cache was trimmed because memory was scarce.</summary>
    MemoryPressure,

    /// <summary>The entry was removed by <c>Invalidate</c>.</summary>
    Removed,

    /// <summary>A new value was stored under the same key.</summary>
    Replaced,

    /// <summary>The cache was cleared or disposed.</summary>
    Cleared,
}

/// <summary>Describes an entry that left a cache, passed to <see cref="LruCacheOptions.OnEvicted"/>.</summary>
/// <param name="CacheName">The cache the entry left.</param>
/// <param name="Key">The entry's key.</param>
/// <param name="Value">The entry's value.</param>
/// <param name="Reason">Why it left.</param>
public readonly record struct CacheEviction(string CacheName, object Key, object? Value, EvictionReason Reason)
{
    /// <summary>Gets a value indicating whether the cache removed the entry on its own (capacity, expiry, memory pressure).</summary>
    public bool IsEviction => Reason is EvictionReason.Capacity or EvictionReason.Expired or EvictionReason.MemoryPressure;
}
