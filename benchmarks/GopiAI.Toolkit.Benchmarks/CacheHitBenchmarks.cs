using BenchmarkDotNet.Attributes;
using BitFaster.Caching.Lru;
using GopiAI.Toolkit.Caching;
using Microsoft.Extensions.Caching.Memory;

namespace GopiAI.Toolkit.Benchmarks;

/// <summary>
/// A lookup of a key that is in the cache: the hot path of every cache. GopiAI caches run as users get them: metrics on
/// (hit/miss counters and the <c>GopiAI.Toolkit.Caching</c> meter registration) and the default W-TinyLFU policy, whose
/// read buffer records every hit; the policy work that the buffer defers runs on the thread pool.
/// </summary>
[MemoryDiagnoser]
public class CacheHitBenchmarks
{
    private const int Key = 1;
    private LruCache<int, int> _lru = null!;
    private LruCache<int, int> _lruTtl = null!;
    private ConcurrentLru<int, int> _bitFaster = null!;
    private ConcurrentTLru<int, int> _bitFasterTtl = null!;
    private MemoryCache _memoryCache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _lru = new LruCache<int, int>(new LruCacheOptions { MaxSize = 1000 });
        _lruTtl = new LruCache<int, int>(new LruCacheOptions { MaxSize = 1000, DefaultTtl = TimeSpan.FromMinutes(10) });
        _bitFaster = new ConcurrentLru<int, int>(1000);
        _bitFasterTtl = new ConcurrentTLru<int, int>(1000, TimeSpan.FromMinutes(10));
        _memoryCache = new MemoryCache(new MemoryCacheOptions());
        for (var i = 0; i < 500; i++)
        {
            _lru.Set(i, i);
            _lruTtl.Set(i, i);
            _bitFaster.AddOrUpdate(i, i);
            _bitFasterTtl.AddOrUpdate(i, i);
            _memoryCache.Set(i, i, TimeSpan.FromMinutes(10));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _lru.Dispose();
        _lruTtl.Dispose();
        _memoryCache.Dispose();
    }

    [Benchmark(Baseline = true, Description = "BitFaster ConcurrentTLru (TTL)")]
    public bool BitFasterTLru() => _bitFasterTtl.TryGet(Key, out _);

    [Benchmark(Description = "GopiAI LruCache (TTL)")]
    public bool GopiLruTtl() => _lruTtl.TryGet(Key, out _);

    [Benchmark(Description = "BitFaster ConcurrentLru")]
    public bool BitFasterLru() => _bitFaster.TryGet(Key, out _);

    [Benchmark(Description = "GopiAI LruCache")]
    public bool GopiLru() => _lru.TryGet(Key, out _);

    [Benchmark(Description = "GopiAI LruCache GetOrAdd<TArg> hit")]
    public int GopiGetOrAdd() => _lruTtl.GetOrAdd(Key, static (k, a) => k + a, 1);

    [Benchmark(Description = "MemoryCache (TTL)")]
    public bool MemoryCacheHit() => _memoryCache.TryGetValue(Key, out _);
}
