using BenchmarkDotNet.Attributes;
using BitFaster.Caching.Lfu;
using BitFaster.Caching.Lru;
using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Benchmarks;

/// <summary>
/// Hits on a different key every operation: 512 present keys (capacity 1000) read in a shuffled order, so no cache line
/// stays hot between two reads of the same entry and every hit goes through the policy's read buffer with a new node.
/// Reported per lookup.
/// </summary>
[MemoryDiagnoser]
public class CacheHitRotatingBenchmarks
{
    private const int Keys = 512;
    private int[] _order = null!;
    private LruCache<int, int> _lruTtl = null!;
    private LruCache<int, int> _lru = null!;
    private ConcurrentTLru<int, int> _bitFasterTtl = null!;
    private ConcurrentLru<int, int> _bitFaster = null!;
    private ConcurrentLfu<int, int> _bitFasterLfu = null!;

    [GlobalSetup]
    public void Setup()
    {
        _order = Enumerable.Range(0, Keys).ToArray();
        new Random(3).Shuffle(_order);
        _lruTtl = new LruCache<int, int>(new LruCacheOptions { MaxSize = 1000, DefaultTtl = TimeSpan.FromMinutes(10) });
        _lru = new LruCache<int, int>(new LruCacheOptions { MaxSize = 1000 });
        _bitFasterTtl = new ConcurrentTLru<int, int>(1000, TimeSpan.FromMinutes(10));
        _bitFaster = new ConcurrentLru<int, int>(1000);
        _bitFasterLfu = new ConcurrentLfu<int, int>(1000);
        for (var i = 0; i < Keys; i++)
        {
            _lruTtl.Set(i, i);
            _lru.Set(i, i);
            _bitFasterTtl.AddOrUpdate(i, i);
            _bitFaster.AddOrUpdate(i, i);
            _bitFasterLfu.AddOrUpdate(i, i);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _lruTtl.Dispose();
        _lru.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Keys, Description = "BitFaster ConcurrentTLru (TTL)")]
    public int BitFasterTLru()
    {
        var sum = 0;
        foreach (var key in _order)
        {
            _bitFasterTtl.TryGet(key, out var v);
            sum += v;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "GopiAI LruCache (TTL)")]
    public int GopiLruTtl()
    {
        var sum = 0;
        foreach (var key in _order)
        {
            _lruTtl.TryGet(key, out var v);
            sum += v;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "GopiAI LruCache")]
    public int GopiLru()
    {
        var sum = 0;
        foreach (var key in _order)
        {
            _lru.TryGet(key, out var v);
            sum += v;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "BitFaster ConcurrentLru")]
    public int BitFasterLru()
    {
        var sum = 0;
        foreach (var key in _order)
        {
            _bitFaster.TryGet(key, out var v);
            sum += v;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys, Description = "BitFaster ConcurrentLfu")]
    public int BitFasterLfu()
    {
        var sum = 0;
        foreach (var key in _order)
        {
            _bitFasterLfu.TryGet(key, out var v);
            sum += v;
        }

        return sum;
    }
}
