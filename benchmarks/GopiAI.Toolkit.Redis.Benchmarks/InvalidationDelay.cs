using System.Diagnostics;
using GopiAI.Toolkit.Caching;
using Microsoft.Extensions.DependencyInjection;

namespace GopiAI.Toolkit.Redis.Benchmarks;

/// <summary>
/// Cross-instance invalidation delay: two instances (two containers, two Redis connections, two CacheManagers) share one
/// Redis; instance A invalidates a key (L2 remove + publish) and the delay is measured until instance B's bus has delivered
/// the message and B has dropped its L1 copy. 1,000 invalidations, one at a time; p50/p99/max in microseconds.
/// </summary>
internal static class InvalidationDelay
{
    public static async Task<int> RunAsync(int count)
    {
        var server = await Testing.LoopbackService.StartAsync("redis-server", p => ["--port", p.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        await using (server)
        {
            await using var servicesA = RedisFixture.CreateServices(server.Port);
            await using var servicesB = RedisFixture.CreateServices(server.Port);
            using var a = Bind(servicesA);
            using var b = Bind(servicesB);
            var cacheA = Create(a);
            var cacheB = Create(b);
            var received = new Received();
            using var subscription = servicesB.GetRequiredService<ICacheInvalidationBus>().Subscribe(received);
            await ((RedisInvalidationBus)servicesB.GetRequiredService<ICacheInvalidationBus>()).WhenSubscribed;

            var delays = new double[count];
            for (var i = 0; i < count; i++)
            {
                await cacheB.GetOrCreateAsync(i, 0, static (k, _, _) => new ValueTask<int>(k));
                received.Reset();
                var start = Stopwatch.GetTimestamp();
                await cacheA.InvalidateAsync(i);
                await received.Signal.Task.WaitAsync(TimeSpan.FromSeconds(5));
                delays[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                if (cacheB.Count != 0)
                {
                    throw new InvalidOperationException($"Instance B still holds key {i} after the message arrived.");
                }
            }

            Array.Sort(delays);
            Console.WriteLine($"Cross-instance invalidation delay over {count} invalidations (InvalidateAsync in A until B dropped its L1 copy):");
            Console.WriteLine($"p50 {delays[count / 2]:F0} µs, p90 {delays[(int)(count * 0.9)]:F0} µs, p99 {delays[(int)(count * 0.99)]:F0} µs, max {delays[^1]:F0} µs");
            return 0;
        }
    }

    private static CacheManager Bind(ServiceProvider services)
    {
        var manager = new CacheManager();
        manager.UseDistributed(
            services.GetRequiredService<Microsoft.Extensions.Caching.Hybrid.HybridCache>(),
            services.GetRequiredService<ICacheInvalidationBus>(),
            health: services.GetRequiredService<DistributedCacheHealth>());
        return manager;
    }

    private static TieredCache<int, int> Create(CacheManager manager) => manager.CreateTieredCache(new TieredCacheOptions<int, int>
    {
        Name = "bench.delay",
        DistributedKey = static k => "gopi:bench.delay:" + k,
        TypeInfo = PeerJson.Default.Int32,
    });

    /// <summary>Subscribed after B's CacheManager, so it is told after B dropped its L1 copy.</summary>
    private sealed class Received : ICacheInvalidationListener
    {
        public TaskCompletionSource Signal { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Reset() => Signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnInvalidation(CacheInvalidation invalidation) => Signal.TrySetResult();

        public void OnMessagesMayBeLost()
        {
        }
    }
}
