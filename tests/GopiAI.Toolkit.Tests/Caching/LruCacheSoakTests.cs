using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class LruCacheSoakTests
{
    [Fact]
    public void GetOrAdd_TwoThreadsHammeringOneCache_NoLostOrDuplicatedFactoryRunsAndStatsAddUp()
    {
        // Capacity above the key space: every key is loaded exactly once, however the threads interleave.
        const int Keys = 500;
        const int Iterations = 20_000;
        using var cache = new LruCache<int, int>(new LruCacheOptions { MaxSize = Keys * 2 });
        var factoryRuns = new int[Keys];
        var lookups = 0L;

        void Hammer(int seed)
        {
            var random = new Random(seed);
            for (var i = 0; i < Iterations; i++)
            {
                var key = random.Next(Keys);
                var value = cache.GetOrAdd(key, static (k, runs) => { Interlocked.Increment(ref runs[k]); return k * 10; }, factoryRuns);
                Assert.Equal(key * 10, value);
                Interlocked.Increment(ref lookups);
            }
        }

        var threads = new[] { new Thread(() => Hammer(1)), new Thread(() => Hammer(2)) };
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            t.Join();
        }

        Assert.All(factoryRuns, runs => Assert.True(runs <= 1, $"a key was loaded {runs} times"));
        var stats = cache.GetStats();
        Assert.Equal(factoryRuns.Sum(), stats.Size);
        Assert.Equal(lookups, stats.Hits + stats.Misses);
        Assert.True(stats.Misses >= stats.Size);
        Assert.Equal(0, stats.Evictions);
    }

    [Fact]
    public async Task GetOrAddAsync_ManyConcurrentCallersPerKey_OneRunPerKey()
    {
        const int Keys = 50;
        using var cache = new LruCache<int, string>(new LruCacheOptions { MaxSize = 100 });
        var runs = new int[Keys];

        var tasks = Enumerable.Range(0, 2000).Select(i => Task.Run(async () =>
        {
            var key = i % Keys;
            var value = await cache.GetOrAddAsync(key, async (k, ct) =>
            {
                Interlocked.Increment(ref runs[k]);
                await Task.Delay(5, ct);
                return $"v{k}";
            });
            Assert.Equal($"v{key}", value);
        }));
        await Task.WhenAll(tasks);

        Assert.All(runs, r => Assert.Equal(1, r));
        var stats = cache.GetStats();
        Assert.Equal(2000, stats.Hits + stats.Misses);
    }

    [Fact]
    public void SetTryGetInvalidate_TwoThreadsOverCapacity_CountMatchesContentAndStaysBounded()
    {
        const int Capacity = 64;
        using var cache = new LruCache<int, int>(new LruCacheOptions { MaxSize = Capacity });
        var lookups = 0L;

        void Churn(int seed)
        {
            var random = new Random(seed);
            for (var i = 0; i < 50_000; i++)
            {
                var key = random.Next(256);
                switch (random.Next(4))
                {
                    case 0:
                        cache.Invalidate(key);
                        break;
                    case 1:
                        cache.Set(key, key);
                        break;
                    default:
                        if (cache.TryGet(key, out var v))
                        {
                            Assert.Equal(key, v);
                        }

                        Interlocked.Increment(ref lookups);
                        break;
                }
            }
        }

        Parallel.Invoke(() => Churn(3), () => Churn(4));

        var stats = cache.GetStats();
        Assert.Equal(lookups, stats.Hits + stats.Misses);
        Assert.True(stats.Size <= Capacity, $"size {stats.Size} > capacity");
        var present = 0;
        for (var k = 0; k < 256; k++)
        {
            present += cache.Invalidate(k) ? 1 : 0;
        }

        Assert.Equal(stats.Size, present);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void GetOrAdd_ThrowingFactoriesUnderConcurrency_NeverCachedAndStateConsistent()
    {
        using var cache = new LruCache<int, int>(new LruCacheOptions { MaxSize = 32 });

        void Work(int seed)
        {
            var random = new Random(seed);
            for (var i = 0; i < 20_000; i++)
            {
                var key = random.Next(64);
                try
                {
                    var value = cache.GetOrAdd(key, static k => k % 2 == 0 ? k : throw new InvalidOperationException("odd"));
                    Assert.Equal(0, value % 2);
                }
                catch (InvalidOperationException)
                {
                    Assert.Equal(1, key % 2);
                }
            }
        }

        Parallel.Invoke(() => Work(5), () => Work(6));

        for (var k = 1; k < 64; k += 2)
        {
            Assert.False(cache.TryGet(k, out _));
        }

        Assert.True(cache.Count <= 32);
    }

    [Fact]
    public void SetTryGetInvalidate_TwoThreadsEvicting_EveryEntryAccountedForAndBounded()
    {
        const int Capacity = 100;
        const int Keys = 400;
        const int Iterations = 40_000;
        var removals = new long[Enum.GetValues<EvictionReason>().Length];
        using var cache = new LruCache<int, int>(
            new LruCacheOptions { MaxSize = Capacity },
            null,
            (k, v, reason) => Interlocked.Increment(ref removals[(int)reason]));
        long sets = 0;
        long lookups = 0;

        void Work(int seed)
        {
            var random = new Random(seed);
            for (var i = 0; i < Iterations; i++)
            {
                // Skewed keys: a hot quarter gets most traffic, so the policy has frequencies to work with.
                var key = random.Next(4) == 0 ? random.Next(Keys) : random.Next(Keys / 4);
                switch (random.Next(10))
                {
                    case 0:
                        cache.Invalidate(key);
                        break;
                    case 1:
                    case 2:
                        cache.Set(key, key);
                        Interlocked.Increment(ref sets);
                        break;
                    default:
                        if (cache.TryGet(key, out var value))
                        {
                            Assert.Equal(key, value);
                        }

                        Interlocked.Increment(ref lookups);
                        break;
                }

                // Writers evict under the lock; the other writer may be between its insert and its eviction.
                Assert.True(cache.Count <= Capacity + 1, $"size {cache.Count} over capacity");
            }
        }

        var threads = new[] { new Thread(() => Work(7)), new Thread(() => Work(8)) };
        Array.ForEach(threads, t => t.Start());
        Array.ForEach(threads, t => t.Join());
        cache.RunMaintenance();

        var stats = cache.GetStats();
        Assert.Equal(lookups, stats.Hits + stats.Misses);
        Assert.True(stats.Size <= Capacity, $"size {stats.Size} over capacity after maintenance");

        // Every Set added an entry or replaced one; every added entry is still here or was reported gone.
        var added = sets - removals[(int)EvictionReason.Replaced];
        var gone = removals[(int)EvictionReason.Capacity] + removals[(int)EvictionReason.Expired] + removals[(int)EvictionReason.Removed];
        Assert.Equal(added - gone, stats.Size);
        Assert.Equal(removals[(int)EvictionReason.Capacity] + removals[(int)EvictionReason.Expired], stats.Evictions);
        Assert.True(removals[(int)EvictionReason.Capacity] > 0, "the run never evicted");
        Assert.Equal(stats.Size, Enumerable.Range(0, Keys).Count(k => cache.TryPeek(k, out _)));
    }

    [Fact]
    public void TryGet_TwoThreadsReadingWhileOneWrites_PolicyAndMapAgree()
    {
        // Mostly hits: the readers' rings wrap and are applied by the writer, under the lock, while they keep recording.
        const int Capacity = 200;
        using var cache = new LruCache<int, int>(new LruCacheOptions { MaxSize = Capacity });
        for (var k = 0; k < Capacity; k++)
        {
            cache.Set(k, k);
        }

        var readersDone = 0;

        void Read(int seed)
        {
            var random = new Random(seed);
            for (var i = 0; i < 200_000; i++)
            {
                var key = random.Next(Capacity * 2);
                if (cache.TryGet(key, out var value))
                {
                    Assert.Equal(key, value);
                }
            }

            Interlocked.Increment(ref readersDone);
        }

        var writer = new Thread(() =>
        {
            var random = new Random(9);
            for (var i = 0; i < 50_000 && Volatile.Read(ref readersDone) < 2; i++)
            {
                var key = random.Next(Capacity * 2);
                cache.Set(key, key);
            }
        });
        var readers = new[] { new Thread(() => Read(10)), new Thread(() => Read(11)) };
        writer.Start();
        Array.ForEach(readers, t => t.Start());
        Array.ForEach(readers, t => t.Join());
        writer.Join();
        cache.RunMaintenance();

        var stats = cache.GetStats();
        Assert.Equal(400_000, stats.Hits + stats.Misses);
        Assert.True(cache.Count <= Capacity);
        var present = Enumerable.Range(0, Capacity * 2).Where(k => cache.TryPeek(k, out _)).ToList();
        Assert.Equal(cache.Count, present.Count);
        Assert.All(present, k => Assert.True(cache.IsTrackedByPolicy(k), $"key {k} is in the map but not in the policy"));
    }
}
