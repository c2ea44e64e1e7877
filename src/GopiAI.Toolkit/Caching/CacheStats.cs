namespace GopiAI.Toolkit.Caching;

/// <summary>A point-in-time snapshot of a cache's counters.</summary>
/// <param name="Name">The cache name.</param>
/// <param name="Hits">Lookups that found a live entry.</param>
/// <param name="Misses">Lookups that found nothing (or an expired entry).</param>
/// <param name="Evictions">Entries removed by the cache itself: capacity, expiry or memory pressure (not explicit invalidation).</param>
/// <param name="Size">Entries currently held.</param>
/// <param name="MaxSize">Capacity in entries.</param>
/// <param name="MemoryUsage">
/// Bytes held: the sum of the size function's results when one is configured; otherwise an estimate of the cache's own
/// bookkeeping (entries × per-entry overhead), which does not include the values themselves.
/// </param>
public sealed record CacheStats(string Name, long Hits, long Misses, long Evictions, int Size, int MaxSize, long MemoryUsage)
{
    /// <summary>Gets the number of lookups (<see cref="Hits"/> + <see cref="Misses"/>).</summary>
    public long Requests => Hits + Misses;

    /// <summary>Gets the fraction of lookups that hit, in [0, 1]; 0 when there were none.</summary>
    public double HitRate => Requests == 0 ? 0 : (double)Hits / Requests;

    /// <summary>Gets the fraction of lookups that missed, in [0, 1]; 0 when there were none.</summary>
    public double MissRate => Requests == 0 ? 0 : (double)Misses / Requests;

    /// <summary>Gets the fill ratio <see cref="Size"/> / <see cref="MaxSize"/>.</summary>
    public double FillRatio => MaxSize == 0 ? 0 : (double)Size / MaxSize;

    /// <summary>Creates an empty snapshot for a cache that has seen no traffic.</summary>
    /// <param name="name">The cache name.</param>
    /// <param name="maxSize">The capacity in entries.</param>
    /// <returns>A snapshot with all counters at zero.</returns>
    public static CacheStats Empty(string name, int maxSize) => new(name, 0, 0, 0, 0, maxSize, 0);
}
