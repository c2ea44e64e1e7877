using GopiAI.Toolkit.Caching;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Tests.Caching;

/// <summary>
/// Decisions of the default eviction policy on deterministic traces, through the public cache. Lookups are replayed on one
/// thread and the read buffer is applied every few lookups (<see cref="Replay"/>), so no buffered read is lost.
/// </summary>
public sealed class WTinyLfuPolicyTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Set_OneHitWonderAgainstFrequentVictim_WonderIsEvicted()
    {
        using var cache = NewCache(100);
        for (var k = 0; k < 100; k++)
        {
            cache.Set(k, k);
        }

        Replay(cache, Enumerable.Range(0, 100).SelectMany(k => Enumerable.Repeat(k, 3)));

        cache.Set(1000, 1000);   // pushes key 99 out of the one-entry window
        cache.Set(1001, 1001);   // pushes 1000 (seen once) out of the window, against a victim seen four times

        Assert.False(cache.TryPeek(1000, out _));
        Assert.All(Enumerable.Range(0, 99), k => Assert.True(cache.TryPeek(k, out _), $"frequent key {k} was evicted"));
        Assert.True(cache.TryPeek(1001, out _));
        Assert.Equal(100, cache.Count);
    }

    [Fact]
    public void Set_FrequentCandidateAgainstColdVictim_CandidateAdmittedVictimEvicted()
    {
        using var cache = NewCache(100);
        for (var k = 0; k < 100; k++)
        {
            cache.Set(k, k);
        }

        cache.Set(1000, 1000);
        Replay(cache, Enumerable.Repeat(1000, 5));

        cache.Set(1001, 1001);

        Assert.True(cache.TryPeek(1000, out _));
        Assert.False(cache.TryPeek(0, out _));
    }

    [Fact]
    public void Set_YoungCacheAndNoEvidence_NewerEntryWinsAsInLru()
    {
        using var cache = NewCache(3);
        cache.Set(1, 1);
        cache.Set(2, 2);
        cache.Set(3, 3);

        cache.Set(4, 4);

        Assert.False(cache.TryPeek(1, out _));
        Assert.Equal([2, 3, 4], Enumerable.Range(1, 4).Where(k => cache.TryPeek(k, out _)));
    }

    [Fact]
    public void Scan_HotSetThenScanTenTimesCapacity_HotEntriesSurvive()
    {
        using var tinyLfu = NewCache(100);
        using var lru = NewCache(100, CacheEvictionPolicy.Lru);
        foreach (var cache in new[] { tinyLfu, lru })
        {
            Replay(cache, Enumerable.Range(0, 5).SelectMany(_ => Enumerable.Range(0, 50)));
            Replay(cache, Enumerable.Range(10_000, 1_000));
        }

        Assert.True(Enumerable.Range(0, 50).Count(k => tinyLfu.TryPeek(k, out _)) >= 45);
        Assert.Equal(0, Enumerable.Range(0, 50).Count(k => lru.TryPeek(k, out _)));
    }

    [Fact]
    public void Loop_SlightlyLargerThanCapacity_HitsWhereLruGetsNone()
    {
        using var tinyLfu = NewCache(100);
        using var lru = NewCache(100, CacheEvictionPolicy.Lru);
        var loop = Enumerable.Range(0, 50).SelectMany(_ => Enumerable.Range(0, 120)).ToArray();

        var tinyLfuHits = Replay(tinyLfu, loop);
        var lruHits = Replay(lru, loop);

        Assert.Equal(0, lruHits);
        Assert.True(tinyLfuHits > loop.Length / 2, $"{tinyLfuHits} hits of {loop.Length}");
    }

    [Fact]
    public void Climb_WorkloadShiftsFromFrequencyToRecency_WindowGrows()
    {
        const int Capacity = 200;
        using var cache = NewCache(Capacity);
        var initialWindow = cache.Policy.WindowCapacity;

        // Frequency-biased: Zipf over 5,000 keys. The window stays small.
        Replay(cache, ZipfKeys(60_000, 5_000, 0.9, seed: 1));
        Assert.True(cache.Policy.WindowCapacity <= Capacity / 10, $"window {cache.Policy.WindowCapacity} after the Zipf phase");

        // Recency-biased: new keys, and re-reads of recent ones. An LRU-like (large) window now wins.
        Replay(cache, RecencyKeys(150_000, meanDistance: 80, seed: 2));

        Assert.Equal(2, initialWindow);
        Assert.True(cache.Policy.WindowCapacity >= Capacity / 2, $"window {cache.Policy.WindowCapacity} after the recency phase");
    }

    [Fact]
    public void Trim_Fraction_TakesProbationBeforeProtected()
    {
        using var cache = NewCache(100);
        for (var k = 0; k < 100; k++)
        {
            cache.Set(k, k);
        }

        // Keys 0..49 read again: they move to the protected segment; 50..98 stay in probation.
        Replay(cache, Enumerable.Range(0, 50));

        cache.Trim(0.4);

        Assert.All(Enumerable.Range(0, 50), k => Assert.True(cache.TryPeek(k, out _), $"protected key {k} was trimmed"));
        Assert.Equal(60, cache.Count);
    }

    [Fact]
    public void MaxBytes_FrequentEntries_BytesNeverAboveLimit()
    {
        using var cache = new LruCache<int, string>(
            new LruCacheOptions { MaxSize = 1000, MaxBytes = 500, TimeProvider = _time },
            static (k, v) => v.Length,
            null);
        var random = new Random(4);
        for (var i = 0; i < 5_000; i++)
        {
            var key = random.Next(300);
            if (!cache.TryGet(key, out _))
            {
                cache.Set(key, new string('x', 1 + (key % 20)));
            }

            Assert.True(cache.GetStats().MemoryUsage <= 500);
        }

        Assert.True(cache.GetStats().Hits > 0);
    }

    [Fact]
    public void Set_ExpiredVictim_EvictedAsExpiredFirst()
    {
        var reasons = new List<(int Key, EvictionReason Reason)>();
        using var cache = new LruCache<int, int>(
            new LruCacheOptions { MaxSize = 3, TimeProvider = _time },
            null,
            (k, v, r) => reasons.Add((k, r)));
        cache.Set(1, 1, TimeSpan.FromSeconds(1));
        cache.Set(2, 2);
        cache.Set(3, 3);
        Replay(cache, [2, 3, 2, 3]);
        _time.Advance(TimeSpan.FromSeconds(2));

        cache.Set(4, 4);

        Assert.Equal([(1, EvictionReason.Expired)], reasons);
        Assert.Equal(1, cache.GetStats().Evictions);
    }

    [Theory]
    [InlineData(CacheEvictionPolicy.WTinyLfu)]
    [InlineData(CacheEvictionPolicy.Lru)]
    public void Constructor_MaxSizeIntMaxValue_WorksWithoutPreallocating(CacheEvictionPolicy policy)
    {
        using var cache = NewCache(int.MaxValue, policy);
        var before = GC.GetAllocatedBytesForCurrentThread();

        Replay(cache, Enumerable.Range(0, 2_000).Concat(Enumerable.Range(0, 2_000)));

        Assert.Equal(2_000, cache.Count);
        Assert.Equal(2_000, cache.GetStats().Hits);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000, "the policy preallocated for its capacity");
    }

    private LruCache<int, int> NewCache(int capacity, CacheEvictionPolicy policy = CacheEvictionPolicy.WTinyLfu) =>
        new(new LruCacheOptions { MaxSize = capacity, EvictionPolicy = policy, TimeProvider = _time, EnableMetrics = false });

    // TryGet, Set on a miss; the read buffer is applied every 16 lookups so that no read is dropped (deterministic).
    private static int Replay(LruCache<int, int> cache, IEnumerable<int> keys)
    {
        var hits = 0;
        var i = 0;
        foreach (var key in keys)
        {
            if (cache.TryGet(key, out _))
            {
                hits++;
            }
            else
            {
                cache.Set(key, key);
            }

            if (++i % 16 == 0)
            {
                cache.RunMaintenance();
            }
        }

        cache.RunMaintenance();
        return hits;
    }

    private static IEnumerable<int> ZipfKeys(int count, int distinct, double s, int seed)
    {
        var cdf = new double[distinct];
        double total = 0;
        for (var k = 0; k < distinct; k++)
        {
            total += 1 / Math.Pow(k + 1, s);
            cdf[k] = total;
        }

        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var index = Array.BinarySearch(cdf, random.NextDouble() * total);
            yield return index < 0 ? ~index : index;
        }
    }

    private static IEnumerable<int> RecencyKeys(int count, int meanDistance, int seed)
    {
        var random = new Random(seed);
        var newest = 1_000_000;
        for (var i = 0; i < count; i++)
        {
            if (random.NextDouble() < 0.2)
            {
                yield return ++newest;
            }
            else
            {
                yield return newest - (int)(-meanDistance * Math.Log(1 - random.NextDouble()));
            }
        }
    }
}
