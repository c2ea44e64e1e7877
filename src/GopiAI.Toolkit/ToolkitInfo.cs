namespace GopiAI.Toolkit;

/// <summary>Facts about the toolkit assembly: version and the names of its meters and activity sources.</summary>
public static class ToolkitInfo
{
    /// <summary>The meter that carries cache hits, misses, evictions and size, tagged <c>cache.name</c>.</summary>
    public const string CachingMeterName = "GopiAI.Toolkit.Caching";

    /// <summary>The meter that carries pool created/rented/returned/outstanding counts, tagged <c>pool.name</c>.</summary>
    public const string PoolingMeterName = "GopiAI.Toolkit.Pooling";

    /// <summary>The meter that carries memory gauges (heap, working set, peak, GC counts).</summary>
    public const string MemoryMeterName = "GopiAI.Toolkit.Memory";

    /// <summary>The meter and activity source that carry monitored call durations, tagged <c>endpoint</c> and <c>outcome</c>.</summary>
    public const string MonitoringMeterName = "GopiAI.Toolkit.Monitoring";

    /// <summary>The meter that carries rate limiter decisions (<c>gopi.rate_limit.requests</c>), tagged <c>limiter</c> and <c>result</c>.</summary>
    public const string RateLimitingMeterName = "GopiAI.Toolkit.RateLimiting";

    /// <summary>The meter that carries semantic memory retention (<c>gopi.semantic_memory.evictions</c>), tagged <c>reason</c>.</summary>
    public const string SemanticMemoryMeterName = "GopiAI.Toolkit.SemanticMemory";

    /// <summary>Gets the informational version of the toolkit assembly.</summary>
    public static string Version { get; } =
        typeof(ToolkitInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
