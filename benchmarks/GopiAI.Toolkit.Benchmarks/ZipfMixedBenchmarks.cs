using BenchmarkDotNet.Attributes;
using BitFaster.Caching.Lru;
using GopiAI.Toolkit.Caching;
using Microsoft.Extensions.Caching.Memory;

namespace GopiAI.Toolkit.Benchmarks;

/// <summary>
/// GetOrAdd over a Zipf(s = 0.86) key stream of 10 000 distinct keys into caches of 1000 entries: hits, misses and evictions
/// mixed the way real traffic mixes them. Reported per operation.
/// </summary>
[MemoryDiagnoser]
public class ZipfMixedBenchmarks
{
    private const int Operations = 10_000;
    private const int Capacity = 1000;
    private int[] _keys = null!;
    private LruCache<int, int> _lru = null!;
    private ConcurrentLru<int, int> _bitFaster = null!;
    private ConcurrentTLru<int, int> _bitFasterTtl = null!;
    private MemoryCache _memoryCache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keys = Zipf.Keys(Operations, distinct: 10_000, s: 0.86, seed: 42);
        _lru = new LruCache<int, int>(new LruCacheOptions { MaxSize = Capacity, DefaultTtl = TimeSpan.FromMinutes(10), EnableMetrics = false });
        _bitFaster = new ConcurrentLru<int, int>(Capacity);
        _bitFasterTtl = new ConcurrentTLru<int, int>(Capacity, TimeSpan.FromMinutes(10));
        _memoryCache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Capacity });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _lru.Dispose();
        _memoryCache.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "BitFaster ConcurrentTLru")]
    public int BitFasterTLru()
    {
        var sum = 0;
        foreach (var key in _keys)
        {
            sum += _bitFasterTtl.GetOrAdd(key, static k => k);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "BitFaster ConcurrentLru")]
    public int BitFasterLru()
    {
        var sum = 0;
        foreach (var key in _keys)
        {
            sum += _bitFaster.GetOrAdd(key, static k => k);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "GopiAI LruCache (TTL)")]
    public int GopiLru()
    {
        var sum = 0;
        foreach (var key in _keys)
        {
            sum += _lru.GetOrAdd(key, static (k, _) => k, 0);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "MemoryCache (SizeLimit)")]
    public int MemoryCacheGetOrCreate()
    {
        var sum = 0;
        foreach (var key in _keys)
        {
            sum += _memoryCache.GetOrCreate(key, static e =>
            {
                e.Size = 1;
                e.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10);
                return (int)e.Key;
            });
        }

        return sum;
    }
}
