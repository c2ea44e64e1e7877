using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Redis.Tests.TestSupport;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace GopiAI.Toolkit.Redis.Tests;

/// <summary>A CacheManager named cache made distributed through its options, shared by two instances over a real Redis.</summary>
public sealed class NamedCacheTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task GetOrCreateAsync_DistributedNamedCache_SharedAndInvalidatedAcrossInstances()
    {
        await using var servicesA = new ServiceCollection().AddGopiRedis(redis.Configuration).BuildServiceProvider();
        await using var servicesB = new ServiceCollection().AddGopiRedis(redis.Configuration).BuildServiceProvider();
        using var a = Manager(servicesA);
        using var b = Manager(servicesB);
        // Both instances connected first: a write while A's connection is still being made is skipped (L1 only, by design).
        await ((RedisInvalidationBus)servicesA.GetRequiredService<ICacheInvalidationBus>()).WhenSubscribed;
        await ((RedisInvalidationBus)servicesB.GetRequiredService<ICacheInvalidationBus>()).WhenSubscribed;
        var runs = 0;
        ValueTask<string> Fetch(CancellationToken _)
        {
            Interlocked.Increment(ref runs);
            return new ValueTask<string>("response " + runs);
        }

        var fromA = await a.GetOrCreateAsync(CacheManagerOptions.ApiResponses, "GET /items?page=1", Fetch, TestJson.Default.String);
        await redis.WaitForEntryAsync("gopi:api_responses:GET /items?page=1");
        var fromB = await b.GetOrCreateAsync(CacheManagerOptions.ApiResponses, "GET /items?page=1", Fetch, TestJson.Default.String);
        Assert.Equal("response 1", fromA);
        Assert.Equal("response 1", fromB);
        Assert.Equal(1, runs);

        await a.InvalidateAsync(CacheManagerOptions.ApiResponses, "GET /items?page=1");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string again;
        do
        {
            again = await b.GetOrCreateAsync(CacheManagerOptions.ApiResponses, "GET /items?page=1", Fetch, TestJson.Default.String);
            Assert.True(DateTime.UtcNow < deadline, "Instance B kept its copy.");
        }
        while (again == "response 1");

        Assert.Equal("response 2", again);
    }

    [Fact]
    public async Task GetOrCreateAsync_NamedCacheNotDistributed_StaysInProcess()
    {
        await using var services = new ServiceCollection().AddGopiRedis(redis.Configuration).BuildServiceProvider();
        using var manager = new CacheManager();
        manager.UseDistributed(services.GetRequiredService<HybridCache>(), services.GetRequiredService<ICacheInvalidationBus>());

        Assert.Equal("v", await manager.GetOrCreateAsync("tools", "k", _ => new ValueTask<string>("v"), TestJson.Default.String));
        await Task.Delay(200);

        Assert.Empty(await redis.ReadRawAsync("gopi:tools:k"));
        Assert.Equal("v", manager.Get<string>("tools", "k"));
    }

    private static CacheManager Manager(IServiceProvider services)
    {
        var options = new CacheManagerOptions();
        options.Caches[CacheManagerOptions.ApiResponses].Distributed = true;
        var manager = new CacheManager(options);
        manager.UseDistributed(
            services.GetRequiredService<HybridCache>(),
            services.GetRequiredService<ICacheInvalidationBus>(),
            health: services.GetRequiredService<DistributedCacheHealth>());
        return manager;
    }
}
