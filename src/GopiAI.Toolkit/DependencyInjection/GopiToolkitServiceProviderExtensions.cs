using GopiAI.Toolkit.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Connects the process-wide toolkit instances to a built service provider.</summary>
public static partial class GopiToolkitServiceProviderExtensions
{
    /// <summary>
    /// Binds <see cref="CacheManager.Shared"/> (the manager generated <c>[Cached]</c> code uses), and the container's own
    /// <see cref="CacheManager"/> when it is another instance, to the container's <see cref="HybridCache"/> and
    /// <see cref="ICacheInvalidationBus"/> (registered by <c>services.AddGopiRedis(...)</c>). Without a
    /// <see cref="HybridCache"/> in the container nothing changes (the caches stay in process) and one line is logged.
    /// </summary>
    /// <param name="services">The built provider.</param>
    /// <returns>The same provider.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceProvider UseGopiToolkit(this IServiceProvider services)
    {
        GopiAI.Toolkit.Throw.IfNull(services);
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("GopiAI.Toolkit.Caching");
        var l2 = services.GetService<HybridCache>();
        if (l2 is null)
        {
            if (logger is not null)
            {
                Log.NoDistributedCache(logger);
            }

            return services;
        }

        var bus = services.GetService<ICacheInvalidationBus>();
        var options = services.GetService<IOptions<DistributedCachingOptions>>()?.Value;
        var health = services.GetService<DistributedCacheHealth>();
        CacheManager.Shared.UseDistributed(l2, bus, options, health, logger);
        if (services.GetService<CacheManager>() is { } own && !ReferenceEquals(own, CacheManager.Shared))
        {
            own.UseDistributed(l2, bus, options, health, logger);
        }

        return services;
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Information, "UseGopiToolkit: no HybridCache is registered (services.AddGopiRedis(...) adds one), so [Cached(Distributed = true)] methods and distributed named caches cache in process only.")]
        public static partial void NoDistributedCache(ILogger logger);
    }
}
