using System.Diagnostics.Metrics;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.DependencyInjection;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.RateLimiting;
using GopiAI.Toolkit.Resilience;
using GopiAI.Toolkit.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the GopiAI.Toolkit runtime in an <see cref="IServiceCollection"/>.</summary>
public static class GopiToolkitServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CacheManager"/>, <see cref="ResourcePoolManager"/>, <see cref="MemoryMonitor"/>,
    /// <see cref="ApiPerformanceMonitor"/>, <see cref="StartupOptimizer"/>, a standard <see cref="ResiliencePipeline"/> and a
    /// <see cref="RateLimiterRegistry"/> (the limiter presets of <see cref="GopiToolkitOptions.RateLimiting"/>) as singletons, configured through <see cref="GopiToolkitOptions"/> (see <see cref="GopiToolkitOptions.UseSharedInstances"/>
    /// for how DI and generated code share instances). Calling it again only adds the extra configuration.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>The same collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddGopiToolkit(this IServiceCollection services, Action<GopiToolkitOptions>? configure = null)
    {
        GopiAI.Toolkit.Throw.IfNull(services);
        services.AddOptions<GopiToolkitOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => WithAlertLogger(Create(sp, static o => MemoryMonitor.Shared, static (o, sp) =>
            new MemoryMonitor(o.Memory, sp.GetRequiredService<TimeProvider>(), sp.GetService<IMeterFactory>())), sp));
        services.TryAddSingleton(sp => Create(sp, static o =>
        {
            CacheManager.Shared.Configure(o.Caching);
            return CacheManager.Shared;
        }, static (o, sp) => new CacheManager(o.Caching, sp.GetRequiredService<TimeProvider>(), sp.GetService<IMeterFactory>(), sp.GetRequiredService<MemoryMonitor>())));
        services.TryAddSingleton(sp => Create(sp, static o => ResourcePoolManager.Shared, static (o, sp) =>
            new ResourcePoolManager(o.Pooling, sp.GetRequiredService<TimeProvider>(), sp.GetService<IMeterFactory>(), sp.GetRequiredService<MemoryMonitor>())));
        services.TryAddSingleton(sp => WithAlertLogger(Create(sp, static o => ApiPerformanceMonitor.Shared, static (o, sp) =>
            new ApiPerformanceMonitor(o.Performance, sp.GetRequiredService<TimeProvider>(), sp.GetService<IMeterFactory>())), sp));
        services.TryAddSingleton(sp => Create(sp, static o => StartupOptimizer.Shared, static (o, sp) =>
            new StartupOptimizer(o.Startup, sp.GetRequiredService<TimeProvider>())));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GopiToolkitOptions>>().Value.Resilience;
            options.TimeProvider ??= sp.GetRequiredService<TimeProvider>();
            return ResiliencePresets.Standard(options);
        });
        services.TryAddSingleton(sp => new RateLimiterRegistry(
            sp.GetRequiredService<IOptions<GopiToolkitOptions>>().Value.RateLimiting, sp.GetService<IMeterFactory>()));
        return services;
    }

    /// <summary>Like <see cref="AddGopiToolkit(IServiceCollection, Action{GopiToolkitOptions}?)"/>, binding <see cref="GopiToolkitOptions"/> from <paramref name="configuration"/> (e.g. the <c>GopiToolkit</c> section) first.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section to bind.</param>
    /// <param name="configure">Adjusts the options after binding.</param>
    /// <returns>The same collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddGopiToolkit(this IServiceCollection services, IConfiguration configuration, Action<GopiToolkitOptions>? configure = null)
    {
        GopiAI.Toolkit.Throw.IfNull(services);
        GopiAI.Toolkit.Throw.IfNull(configuration);
        services.AddOptions<GopiToolkitOptions>().Bind(configuration);
        return services.AddGopiToolkit(configure);
    }

    // Alerts are logged through the container's logging when it has any (for the shared monitors too: the last container wins).
    private static MemoryMonitor WithAlertLogger(MemoryMonitor monitor, IServiceProvider services)
    {
        if (services.GetService<ILoggerFactory>() is { } loggers)
        {
            monitor.AlertLogger = loggers.CreateLogger<MemoryMonitor>();
        }

        return monitor;
    }

    private static ApiPerformanceMonitor WithAlertLogger(ApiPerformanceMonitor monitor, IServiceProvider services)
    {
        if (services.GetService<ILoggerFactory>() is { } loggers)
        {
            monitor.AlertLogger = loggers.CreateLogger<ApiPerformanceMonitor>();
        }

        return monitor;
    }

    private static T Create<T>(IServiceProvider services, Func<GopiToolkitOptions, T> shared, Func<GopiToolkitOptions, IServiceProvider, T> owned)
    {
        var options = services.GetRequiredService<IOptions<GopiToolkitOptions>>().Value;
        return options.UseSharedInstances ? shared(options) : owned(options, services);
    }
}
