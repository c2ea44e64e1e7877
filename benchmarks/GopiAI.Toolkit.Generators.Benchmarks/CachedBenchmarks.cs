using BenchmarkDotNet.Attributes;
using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Generators.Benchmarks;

/// <summary>
/// A hit on a generated [Cached] method against the same call written by hand on the same runtime cache
/// (LruCache with a record-struct key and a static factory): the generated wrapper should cost at most 1.2x and allocate nothing.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public partial class CachedBenchmarks
{
    private readonly LruCache<PriceKey, decimal> _handWritten = new(new LruCacheOptions { Name = "bench.hand", MaxSize = 1000, DefaultTtl = TimeSpan.FromMinutes(5) });

    [GlobalSetup]
    public void Setup()
    {
        _ = GetPrice("sku-1", 3);
        _ = HandWritten("sku-1", 3);
        _ = GetPriceAsync("sku-1", 3).AsTask().GetAwaiter().GetResult();
        _ = HandWrittenAsync("sku-1", 3).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _handWritten.Dispose();

    [BenchmarkCategory("T"), Benchmark(Baseline = true, Description = "hand-written LruCache.GetOrAdd (hit)")]
    public decimal HandWrittenHit() => HandWritten("sku-1", 3);

    [BenchmarkCategory("T"), Benchmark(Description = "generated [Cached] T (hit)")]
    public decimal GeneratedHit() => GetPrice("sku-1", 3);

    [BenchmarkCategory("ValueTask<T>"), Benchmark(Baseline = true, Description = "hand-written LruCache.GetOrAddAsync (hit)")]
    public ValueTask<decimal> HandWrittenAsyncHit() => HandWrittenAsync("sku-1", 3);

    [BenchmarkCategory("ValueTask<T>"), Benchmark(Description = "generated [Cached] ValueTask<T> (hit)")]
    public ValueTask<decimal> GeneratedAsyncHit() => GetPriceAsync("sku-1", 3);

    [Cached(300)]
    public partial decimal GetPrice(string sku, int quantity);

    [Cached(300)]
    public partial ValueTask<decimal> GetPriceAsync(string sku, int quantity, CancellationToken ct = default);

    private decimal GetPriceCore(string sku, int quantity) => sku.Length * 1.5m * quantity;

    private ValueTask<decimal> GetPriceAsyncCore(string sku, int quantity, CancellationToken ct) => new(sku.Length * 1.5m * quantity);

    private decimal HandWritten(string sku, int quantity) =>
        _handWritten.GetOrAdd(new PriceKey(sku, quantity), static (key, self) => self.GetPriceCore(key.Sku, key.Quantity), this);

    private ValueTask<decimal> HandWrittenAsync(string sku, int quantity) =>
        _handWritten.GetOrAddAsync(new PriceKey(sku, quantity), static (key, self, ct) => self.GetPriceAsyncCore(key.Sku, key.Quantity, ct), this);

    private readonly record struct PriceKey(string Sku, int Quantity);
}
