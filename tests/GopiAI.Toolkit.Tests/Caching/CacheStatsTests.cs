using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class CacheStatsTests
{
    [Fact]
    public void Rates_FromCounters_AreComputed()
    {
        var stats = new CacheStats("c", Hits: 3, Misses: 1, Evictions: 0, Size: 5, MaxSize: 10, MemoryUsage: 0);

        Assert.Equal(4, stats.Requests);
        Assert.Equal(0.75, stats.HitRate);
        Assert.Equal(0.25, stats.MissRate);
        Assert.Equal(0.5, stats.FillRatio);
    }

    [Fact]
    public void Empty_NoTraffic_RatesAreZero()
    {
        var stats = CacheStats.Empty("c", 10);

        Assert.Equal(0, stats.HitRate);
        Assert.Equal(0, stats.MissRate);
        Assert.Equal(10, stats.MaxSize);
    }

    [Fact]
    public void MemoryUsage_NoSizeFunction_IsBookkeepingEstimate()
    {
        using var cache = new LruCache<int, int>(new LruCacheOptions());
        cache.Set(1, 1);
        cache.Set(2, 2);

        Assert.Equal(2 * LruCache<int, int>.EstimatedEntryOverhead, cache.GetStats().MemoryUsage);
    }
}
