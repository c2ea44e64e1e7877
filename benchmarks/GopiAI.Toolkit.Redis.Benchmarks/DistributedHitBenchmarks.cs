using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace GopiAI.Toolkit.Redis.Benchmarks;

/// <summary>
/// An L1 hit of a generated <c>[Cached(Distributed = true)]</c> method against the same lookup written by hand with
/// <c>HybridCache.GetOrCreateAsync</c> (its default local cache on), both over the same Redis, cycling through 1,000
/// warmed keys so that no round is a repeat of the previous one.
/// </summary>
[MemoryDiagnoser]
public class DistributedL1HitBenchmarks : IAsyncDisposable
{
    private const int Keys = 1000;
    private RedisFixture _redis = null!;
    private HybridCache _hybrid = null!;
    private string[] _keys = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _redis = await RedisFixture.StartAsync(bindShared: true);
        _hybrid = _redis.Services.GetRequiredService<HybridCache>();
        _keys = [.. Enumerable.Range(0, Keys).Select(i => "bench:product:" + i)];
        for (var i = 0; i < Keys; i++)
        {
            await Catalog.GetProductAsync(i);
            await _hybrid.GetOrCreateAsync(_keys[i], i, static (id, _) => new ValueTask<Product>(Catalog.Build(id)));
        }
    }

    [GlobalCleanup]
    public Task CleanupAsync() => DisposeAsync().AsTask();

    public ValueTask DisposeAsync() => _redis is null ? ValueTask.CompletedTask : _redis.DisposeAsync();

    [Benchmark(Baseline = true, Description = "HybridCache.GetOrCreateAsync by hand (L1 hit)")]
    public ValueTask<Product> HybridByHand()
    {
        var i = Next();
        return _hybrid.GetOrCreateAsync(_keys[i], i, static (id, _) => new ValueTask<Product>(Catalog.Build(id)));
    }

    [Benchmark(Description = "generated [Cached(Distributed = true)] (L1 hit)")]
    public ValueTask<Product> Generated() => Catalog.GetProductAsync(Next());

    private int Next()
    {
        var i = _next + 1;
        _next = i == Keys ? 0 : i;
        return _next;
    }
}

/// <summary>
/// An L2 hit (the value is in Redis, not in process) of a generated method against the floor a user would write by hand:
/// StackExchange.Redis <c>StringGetAsync</c> plus System.Text.Json deserialization of the same payload.
/// </summary>
[MemoryDiagnoser]
public class DistributedL2HitBenchmarks : IAsyncDisposable
{
    private const int Keys = 1000;
    private RedisFixture _redis = null!;
    private IDatabase _database = null!;
    private RedisKey[] _rawKeys = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _redis = await RedisFixture.StartAsync(bindShared: true);
        _database = _redis.Database;
        _rawKeys = [.. Enumerable.Range(0, Keys).Select(i => (RedisKey)("raw:product:" + i))];
        for (var i = 0; i < Keys; i++)
        {
            await Catalog.GetProductFromL2Async(i);
            await _database.StringSetAsync(_rawKeys[i], JsonSerializer.SerializeToUtf8Bytes(Catalog.Build(i), PeerJson.Default.Product));
        }

        // HybridCache writes Redis behind the call: let the last writes land before measuring.
        await Task.Delay(500);
    }

    [GlobalCleanup]
    public Task CleanupAsync() => DisposeAsync().AsTask();

    public ValueTask DisposeAsync() => _redis is null ? ValueTask.CompletedTask : _redis.DisposeAsync();

    [Benchmark(Baseline = true, Description = "raw StringGetAsync + deserialize")]
    public async Task<Product> RawRedis()
    {
        var bytes = (byte[])(await _database.StringGetAsync(_rawKeys[Next()]))!;
        return JsonSerializer.Deserialize(bytes, PeerJson.Default.Product)!;
    }

    [Benchmark(Description = "generated [Cached(Distributed = true)] (L2 hit)")]
    public ValueTask<Product> Generated() => Catalog.GetProductFromL2Async(Next());

    private int Next()
    {
        var i = _next + 1;
        _next = i == Keys ? 0 : i;
        return _next;
    }
}
