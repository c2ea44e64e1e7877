using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.RateLimiting;

namespace GopiAI.Toolkit.OpenTelemetry.Tests;

/// <summary>
/// Runs every component that publishes telemetry once, with known figures: 40 cache lookups over 10 keys (30 hits,
/// 10 misses), 40 rentals of one pooled buffer, 40 monitored calls, 40 rate-limiter permits, and memory samples that
/// grow past the leak threshold (one memory-growth alert), and one distributed-cache (L2) failure.
/// </summary>
internal sealed class ToolkitWorkload : IDisposable
{
    public const string Cache = "orders";
    public const string Pool = "order-buffers";
    public const string Endpoint = "Orders.Place";

    private long _usage = 10 * 1024 * 1024;

    public ToolkitWorkload()
    {
        Memory = new MemoryMonitor(new MemoryMonitorOptions(), timeProvider: null, meterFactory: null, usageProvider: () => _usage);
        Limiters = new RateLimiterRegistry(new RateLimitingOptions());
        Caches = new CacheManager(new CacheManagerOptions(), timeProvider: null, meterFactory: null, Memory);
        Pools = new ResourcePoolManager(new ResourcePoolManagerOptions(), timeProvider: null, meterFactory: null, Memory);
        Api = new ApiPerformanceMonitor();
    }

    public MemoryMonitor Memory { get; }

    public CacheManager Caches { get; }

    public ResourcePoolManager Pools { get; }

    public ApiPerformanceMonitor Api { get; }

    public RateLimiterRegistry Limiters { get; }

    public void Run()
    {
        Memory.TrackMemory();
        var pool = Pools.CreatePool(Pool, () => new byte[1024]);
        var limiter = Limiters.Get(RateLimitingOptions.Endpoints);
        for (var i = 0; i < 40; i++)
        {
            var scope = MonitoredScope.Start(Endpoint, Api);
            var hit = Caches.Get<string>(Cache, i % 10) is not null;
            if (!hit)
            {
                Caches.Set(Cache, i % 10, $"order {i % 10}");
            }

            pool.Return(pool.Get());
            using (limiter.Acquire())
            {
                scope.Stop(success: true, cacheHit: hit);
            }
        }

        // One L2 outage and its end, as a distributed cache manager records them (publishes the L2 instruments).
        Caches.DistributedHealth.RecordFailure("get", new TimeoutException("workload"));
        Caches.DistributedHealth.RecordSuccess();

        _usage *= 2;
        for (var i = 0; i < 6; i++)
        {
            Memory.TrackMemory();
        }
    }

    public void Dispose()
    {
        Limiters.Dispose();
        Caches.Dispose();
        Pools.Dispose();
        Api.Dispose();
        Memory.Dispose();
    }
}
