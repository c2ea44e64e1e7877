namespace GopiAI.Toolkit.Caching;

/// <summary>How an <see cref="LruCache{TKey, TValue}"/> chooses which entry to drop when it is full.</summary>
public enum CacheEvictionPolicy
{
    /// <summary>
    /// W-TinyLFU (the default): new entries enter a small LRU window; an entry leaving the window is admitted to the main
    /// space only if a frequency sketch says it is used more often than the entry it would displace, and the window's size
    /// adapts to the workload by hill climbing. Keeps the entries that earn their place: higher hit ratios than LRU on
    /// skewed (Zipf), scanned and looping workloads, and close to LRU on recency-biased ones.
    /// </summary>
    WTinyLfu,

    /// <summary>
    /// Plain least-recently-used: the entry read or written longest ago leaves first. No admission filter and no frequency
    /// sketch. For workloads where the most recent entries are almost always the next ones needed.
    /// </summary>
    Lru,
}
