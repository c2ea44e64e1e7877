using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;

namespace GopiAI.Toolkit.OpenTelemetry.Tests;

/// <summary>
/// Runs every component that publishes telemetry once, with known figures: 40 cache lookups over 10 keys (30 hits,
/// 10 misses), 40 rentals of one pooled buffer, one memory sample and 40 monitored calls.
/// </summary>
internal sealed class ToolkitWorkload : IDisposable
{
    public const string Cache = "orders";
    public const string Pool = "order-buffers";
    public const string Endpoint = "Orders.Place";

    public ToolkitWorkload()
    {
        Memory = new MemoryMonitor();
        Caches = new CacheManager(new CacheManagerOptions(), timeProvider: null, meterFactory: null, Memory);
        Pools = new ResourcePoolManager(new ResourcePoolManagerOptions(), timeProvider: null, meterFactory: null, Memory);
        Api = new ApiPerformanceMonitor();
    }

    public MemoryMonitor Memory { get; }

    public CacheManager Caches { get; }

    public ResourcePoolManager Pools { get; }

    public ApiPerformanceMonitor Api { get; }

    public void Run()
    {
        Memory.TrackMemory();
        var pool = Pools.CreatePool(Pool, () => new byte[1024]);
        for (var i = 0; i < 40; i++)
        {
            var scope = MonitoredScope.Start(Endpoint, Api);
            var hit = Caches.Get<string>(Cache, i % 10) is not null;
            if (!hit)
            {
                Caches.Set(Cache, i % 10, $"order {i % 10}");
            }

            pool.Return(pool.Get());
            scope.Stop(success: true, cacheHit: hit);
        }
    }

    public void Dispose()
    {
        Caches.Dispose();
        Pools.Dispose();
        Api.Dispose();
        Memory.Dispose();
    }
}
