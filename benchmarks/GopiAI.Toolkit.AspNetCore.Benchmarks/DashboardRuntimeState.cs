using GopiAI.Toolkit.AspNetCore.Dashboard;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.Startup;

namespace GopiAI.Toolkit.AspNetCore.Benchmarks;

/// <summary>
/// A runtime in the state of a busy service: 12 caches of 500 entries with hits and misses, 3 pools, a full window of
/// 1,000 monitored calls over 12 endpoints (5 % errors), 6 startup steps and 50 alerts.
/// </summary>
internal sealed class DashboardRuntimeState : IAsyncDisposable
{
    public DashboardRuntimeState()
    {
        Memory = new MemoryMonitor();
        Caches = new CacheManager(new CacheManagerOptions(), timeProvider: null, meterFactory: null, Memory);
        Pools = new ResourcePoolManager(new ResourcePoolManagerOptions(), timeProvider: null, meterFactory: null, Memory);
        Api = new ApiPerformanceMonitor();
        Startup = new StartupOptimizer(new StartupOptimizerOptions());
        Alerts = new DashboardAlerts(TimeProvider.System, 100);
        var random = new Random(42);
        for (var c = 0; c < 12; c++)
        {
            for (var k = 0; k < 600; k++)
            {
                Caches.Set($"cache-{c}", k, k);
                _ = Caches.Get<int?>($"cache-{c}", random.Next(700));
            }
        }

        for (var p = 0; p < 3; p++)
        {
            var pool = Pools.CreatePool($"pool-{p}", () => new byte[256]);
            pool.Return(pool.Get());
        }

        for (var i = 0; i < 1000; i++)
        {
            Api.RecordRequest($"Service{i % 12}.Operation", TimeSpan.FromMicroseconds(50 + random.Next(50_000)), success: i % 20 != 0, cacheHit: i % 3 == 0);
        }

        for (var s = 0; s < 6; s++)
        {
            Startup.AddStartupTask(new StartupTask($"step-{s}", _ => Task.CompletedTask));
        }

        Startup.InitializeApplicationAsync().GetAwaiter().GetResult();
        Memory.TrackMemory();
        for (var a = 0; a < 50; a++)
        {
            Alerts.Report("SlowResponses", $"Service{a % 12}.Operation: p95 1200 ms over 80 requests exceeds the 1000 ms threshold");
        }
    }

    public MemoryMonitor Memory { get; }

    public CacheManager Caches { get; }

    public ResourcePoolManager Pools { get; }

    public ApiPerformanceMonitor Api { get; }

    public StartupOptimizer Startup { get; }

    public DashboardAlerts Alerts { get; }

    public DashboardRuntime Runtime => new(Caches, Pools, Api, Memory, Startup);

    public async ValueTask DisposeAsync()
    {
        Caches.Dispose();
        Pools.Dispose();
        Api.Dispose();
        Memory.Dispose();
        await Startup.DisposeAsync().ConfigureAwait(false);
    }
}
