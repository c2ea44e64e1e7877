namespace GopiAI.Toolkit.Samples.Assistant.Reporting;

/// <summary>
/// Everything the performance summary and the HTML report show, as plain data. The assistant fills it from the runtime's
/// statistics (<see cref="ReportBuilder"/>); the renderers only read it, so they can be tested with hand-made reports.
/// </summary>
public sealed record PerformanceReport
{
    /// <summary>Gets the report title.</summary>
    public string Title { get; init; } = "GopiAI.Toolkit performance report";

    /// <summary>Gets when the report was produced.</summary>
    public DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Gets the startup timeline: tasks and lazily loaded components, with their offsets from process start.</summary>
    public IReadOnlyList<StartupSpan> Startup { get; init; } = [];

    /// <summary>Gets the per-endpoint latency statistics of the <c>[Monitored]</c> methods.</summary>
    public IReadOnlyList<EndpointReport> Endpoints { get; init; } = [];

    /// <summary>Gets the hit and miss counts per cache (named caches and <c>[Cached]</c> methods).</summary>
    public IReadOnlyList<CacheReport> Caches { get; init; } = [];

    /// <summary>Gets the object pool statistics.</summary>
    public IReadOnlyList<PoolReport> Pools { get; init; } = [];

    /// <summary>Gets how the percentiles were computed, as the report states it.</summary>
    public string PercentileMethod { get; init; } = $"{GopiAI.Toolkit.Monitoring.Percentiles.Method}: p95 is the fastest recorded call that 95 % of the calls did not exceed";

    /// <summary>Gets the memory samples taken while the assistant ran (from the memory monitor's baseline on), oldest first.</summary>
    public IReadOnlyList<MemorySample> Memory { get; init; } = [];

    /// <summary>Gets the memory baseline in bytes (the first sample after startup).</summary>
    public long MemoryBaselineBytes { get; init; }

    /// <summary>Gets the usage in bytes above which the monitor reports a leak (baseline × leak threshold).</summary>
    public long LeakThresholdBytes { get; init; }

    /// <summary>Gets the leak warnings the memory monitor reported.</summary>
    public IReadOnlyList<string> LeakWarnings { get; init; } = [];

    /// <summary>Gets the alerts raised while running (memory usage, slow endpoints) and the clean-ups they caused.</summary>
    public IReadOnlyList<string> Alerts { get; init; } = [];

    /// <summary>
    /// Gets the unusual-usage alerts the toolkit's monitors raised (<c>ResourceAlert</c>s: request-rate, error-rate and
    /// allocation spikes from the request monitor, memory growth beyond the leak threshold from the memory monitor), oldest first.
    /// </summary>
    public IReadOnlyList<string> UnusualUsage { get; init; } = [];

    /// <summary>Gets what the unusual-usage checks compare against, in words, so that an empty list can be read.</summary>
    public string UnusualUsageThresholds { get; init; } = string.Empty;

    /// <summary>Gets the bottlenecks found in the monitoring data, each with its evidence.</summary>
    public IReadOnlyList<string> Bottlenecks { get; init; } = [];

    /// <summary>Gets the optimisation suggestions derived from the data.</summary>
    public IReadOnlyList<string> Suggestions { get; init; } = [];
}

/// <summary>One bar of the startup timeline.</summary>
/// <param name="Name">The task or component name.</param>
/// <param name="Kind">What it is: <c>task</c>, <c>component</c> or <c>phase</c>.</param>
/// <param name="Start">When it started, relative to the start of the application.</param>
/// <param name="Duration">How long it took.</param>
public sealed record StartupSpan(string Name, string Kind, TimeSpan Start, TimeSpan Duration)
{
    /// <summary>Gets when it ended, relative to the start of the application.</summary>
    public TimeSpan End => Start + Duration;
}

/// <summary>Latency statistics of one monitored endpoint. Percentiles are nearest-rank (<see cref="GopiAI.Toolkit.Monitoring.Percentiles"/>), like everywhere in the toolkit.</summary>
/// <param name="Endpoint">The endpoint name (by default <c>Type.Method</c>).</param>
/// <param name="Calls">How many calls were recorded.</param>
/// <param name="AverageMs">The mean duration in milliseconds.</param>
/// <param name="P95Ms">The 95th percentile duration in milliseconds.</param>
/// <param name="ErrorRate">The share of failed calls, 0–1.</param>
/// <param name="SamplesMs">The individual durations (a bounded recent window) for the histogram.</param>
/// <param name="P50Ms">The median duration in milliseconds.</param>
/// <param name="P99Ms">The 99th percentile duration in milliseconds.</param>
/// <param name="MaxMs">The longest duration in milliseconds.</param>
public sealed record EndpointReport(string Endpoint, long Calls, double AverageMs, double P95Ms, double ErrorRate, IReadOnlyList<double> SamplesMs, double P50Ms = 0, double P99Ms = 0, double MaxMs = 0)
{
    /// <summary>
    /// Gets a value indicating whether the mean lies above p95: fewer than 5 % of the calls were much slower than the rest
    /// (a first, JIT-compiling call; a cache miss among hits) and pull the mean up. Not an error of the percentile.
    /// </summary>
    public bool MeanAboveP95 => AverageMs > P95Ms;
}

/// <summary>Hit and miss counts of one cache.</summary>
/// <param name="Name">The cache name.</param>
/// <param name="Kind">Where it comes from: <c>named cache</c>, <c>[Cached] method</c> or <c>internal</c>.</param>
/// <param name="Hits">Lookups answered from the cache.</param>
/// <param name="Misses">Lookups that ran the factory.</param>
/// <param name="Size">Entries currently held.</param>
/// <param name="MaxSize">The capacity in entries.</param>
/// <param name="Evictions">Entries evicted so far.</param>
public sealed record CacheReport(string Name, string Kind, long Hits, long Misses, long Size, long MaxSize, long Evictions)
{
    /// <summary>Gets the share of lookups that were hits, 0–1 (0 when there were no lookups).</summary>
    public double HitRate => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}

/// <summary>Statistics of one object pool.</summary>
/// <param name="Name">The pooled type or pool name.</param>
/// <param name="Created">Objects created because the pool was empty.</param>
/// <param name="Rented">Rent calls.</param>
/// <param name="Returned">Return calls.</param>
/// <param name="Outstanding">Objects rented and not yet returned.</param>
public sealed record PoolReport(string Name, long Created, long Rented, long Returned, long Outstanding)
{
    /// <summary>Gets the share of rentals served by a reused object, 0–1.</summary>
    public double ReuseRate => Rented == 0 ? 0 : Math.Clamp(1 - ((double)Created / Rented), 0, 1);
}

/// <summary>One memory measurement.</summary>
/// <param name="At">When it was taken, relative to the start of the application.</param>
/// <param name="Bytes">The memory in use, in bytes.</param>
public sealed record MemorySample(TimeSpan At, long Bytes);
