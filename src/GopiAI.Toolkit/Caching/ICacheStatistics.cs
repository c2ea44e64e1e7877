namespace GopiAI.Toolkit.Caching;

/// <summary>A source of cache statistics that <see cref="CacheManager.Register(string, ICacheStatistics)"/> can report.</summary>
public interface ICacheStatistics
{
    /// <summary>Returns a snapshot of the source's counters.</summary>
    /// <returns>The current statistics.</returns>
    CacheStats GetStats();
}

/// <summary>A cache that can shed entries when memory is scarce. <see cref="CacheManager"/> trims registered caches that implement it under memory pressure.</summary>
public interface ITrimmableCache
{
    /// <summary>Removes expired entries, then the coldest <paramref name="fraction"/> of the remaining ones (the entries the cache would evict first).</summary>
    /// <param name="fraction">The share of entries to remove, in [0, 1].</param>
    /// <returns>The number of entries removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is outside [0, 1].</exception>
    int Trim(double fraction);
}
