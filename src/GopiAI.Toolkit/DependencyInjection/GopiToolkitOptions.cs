using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.RateLimiting;
using GopiAI.Toolkit.Resilience;
using GopiAI.Toolkit.Startup;

namespace GopiAI.Toolkit.DependencyInjection;

/// <summary>Settings for <c>services.AddGopiToolkit(...)</c>. Bindable from configuration.</summary>
public sealed class GopiToolkitOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether DI hands out the process-wide <c>Shared</c> instances (default <see langword="true"/>),
    /// so that generated code (<c>[Cached]</c>, <c>[Pooled]</c>, <c>[Monitored]</c>, <c>[LazyStartup]</c>) and injected services see the
    /// same caches, pools, monitors and components. With shared instances, <see cref="Caching"/> is applied to
    /// <see cref="CacheManager.Shared"/> when it is first resolved; the other sections apply only to new instances, i.e. when this is
    /// <see langword="false"/> (then the container creates, owns and disposes its own instances, with meters from <c>IMeterFactory</c>).
    /// </summary>
    public bool UseSharedInstances { get; set; } = true;

    /// <summary>Gets the named caches (pre-filled with the seed's defaults) and memory-pressure settings.</summary>
    public CacheManagerOptions Caching { get; } = new();

    /// <summary>Gets the pool sizes, cleanup period and HTTP connection settings.</summary>
    public ResourcePoolManagerOptions Pooling { get; } = new();

    /// <summary>Gets the memory monitor thresholds and sampling interval.</summary>
    public MemoryMonitorOptions Memory { get; } = new();

    /// <summary>Gets the request-monitor window and thresholds.</summary>
    public ApiPerformanceMonitorOptions Performance { get; } = new();

    /// <summary>Gets the startup parallelism.</summary>
    public StartupOptimizerOptions Startup { get; } = new();

    /// <summary>Gets the settings of the <see cref="Polly.ResiliencePipeline"/> registered by <c>AddGopiToolkit</c>.</summary>
    public ResilienceOptions Resilience { get; } = new();

    /// <summary>
    /// Gets the named rate limiter presets of the <see cref="RateLimiterRegistry"/> registered by <c>AddGopiToolkit</c>
    /// (pre-filled with <see cref="RateLimitingOptions.MemorySearch"/> and <see cref="RateLimitingOptions.Endpoints"/>).
    /// </summary>
    public RateLimitingOptions RateLimiting { get; } = new();
}
