using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.Startup;
using Microsoft.Extensions.DependencyInjection;

namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>
/// The runtime objects the dashboard reads: the ones registered in DI (<c>AddGopiToolkit</c>), otherwise the process-wide
/// <c>Shared</c> instances that generated code feeds.
/// </summary>
internal sealed record DashboardRuntime(
    CacheManager Caches,
    ResourcePoolManager Pools,
    ApiPerformanceMonitor Api,
    MemoryMonitor Memory,
    StartupOptimizer Startup)
{
    public static DashboardRuntime From(IServiceProvider services) => new(
        services.GetService<CacheManager>() ?? CacheManager.Shared,
        services.GetService<ResourcePoolManager>() ?? ResourcePoolManager.Shared,
        services.GetService<ApiPerformanceMonitor>() ?? ApiPerformanceMonitor.Shared,
        services.GetService<MemoryMonitor>() ?? MemoryMonitor.Shared,
        services.GetService<StartupOptimizer>() ?? StartupOptimizer.Shared);
}
