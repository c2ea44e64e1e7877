namespace GopiAI.Toolkit.Monitoring;

/// <summary>Aggregate figures over the sliding window of an <see cref="ApiPerformanceMonitor"/>.</summary>
/// <param name="AvgResponseTime">Mean duration.</param>
/// <param name="P95ResponseTime">95th percentile duration (<see cref="Percentiles.NearestRank(ReadOnlySpan{long}, double)">nearest rank</see>).</param>
/// <param name="ErrorRate">Failed requests / requests, in [0, 1].</param>
/// <param name="RequestsPerSecond">Requests in the window divided by the time the window spans.</param>
/// <param name="MemoryUsage">Managed heap bytes when the snapshot was taken.</param>
/// <param name="CpuUsage">Process CPU use since the previous snapshot, as a percentage of all cores (0–100).</param>
/// <param name="SampleCount">Requests in the window (at most the window size, 1000 by default).</param>
/// <param name="P50ResponseTime">Median duration (nearest rank, like every percentile here).</param>
/// <param name="P99ResponseTime">99th percentile duration (nearest rank).</param>
/// <param name="MaxResponseTime">Longest duration.</param>
/// <param name="CacheHitRate">Share of requests that reported a cache hit (via <see cref="MonitoredScope.Stop(bool, bool)"/>).</param>
/// <param name="TotalRequests">Requests recorded since creation or the last reset (not bounded by the window).</param>
public sealed record PerformanceStats(
    TimeSpan AvgResponseTime,
    TimeSpan P95ResponseTime,
    double ErrorRate,
    double RequestsPerSecond,
    long MemoryUsage,
    double CpuUsage,
    int SampleCount,
    TimeSpan P50ResponseTime,
    TimeSpan P99ResponseTime,
    TimeSpan MaxResponseTime,
    double CacheHitRate,
    long TotalRequests);

/// <summary>Figures for one endpoint over the window of an <see cref="ApiPerformanceMonitor"/>.</summary>
/// <param name="Endpoint">The endpoint name.</param>
/// <param name="Requests">Requests in the window.</param>
/// <param name="Errors">Failed requests in the window.</param>
/// <param name="AvgResponseTime">Mean duration.</param>
/// <param name="P50ResponseTime">Median duration (nearest rank, like every percentile here).</param>
/// <param name="P95ResponseTime">95th percentile duration (nearest rank).</param>
/// <param name="P99ResponseTime">99th percentile duration (nearest rank).</param>
/// <param name="MaxResponseTime">Longest duration.</param>
/// <param name="CacheHitRate">Share of requests that reported a cache hit.</param>
/// <param name="RequestsPerSecond">Requests divided by the time the window spans.</param>
public sealed record EndpointStats(
    string Endpoint,
    int Requests,
    int Errors,
    TimeSpan AvgResponseTime,
    TimeSpan P50ResponseTime,
    TimeSpan P95ResponseTime,
    TimeSpan P99ResponseTime,
    TimeSpan MaxResponseTime,
    double CacheHitRate,
    double RequestsPerSecond)
{
    /// <summary>Gets failed requests / requests, in [0, 1].</summary>
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;
}

/// <summary>What makes an endpoint a bottleneck.</summary>
public enum BottleneckKind
{
    /// <summary>Its 95th percentile duration is above the slow threshold.</summary>
    SlowResponses,

    /// <summary>Its error rate is above the error threshold.</summary>
    HighErrorRate,
}

/// <summary>An endpoint reported by <see cref="ApiPerformanceMonitor.IdentifyBottlenecks"/>, with the evidence.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Observed">The measured value (milliseconds for <see cref="BottleneckKind.SlowResponses"/>, a ratio for <see cref="BottleneckKind.HighErrorRate"/>).</param>
/// <param name="Threshold">The threshold it crossed, in the same unit.</param>
/// <param name="Evidence">A human-readable explanation with the figures.</param>
public sealed record Bottleneck(string Endpoint, BottleneckKind Kind, double Observed, double Threshold, string Evidence);

/// <summary>The kind of change an <see cref="OptimizationSuggestion"/> proposes.</summary>
public enum OptimizationKind
{
    /// <summary>Cache the endpoint's results.</summary>
    Cache,

    /// <summary>Bound the endpoint's latency with a timeout.</summary>
    Timeout,

    /// <summary>Retry transient failures with backoff and stop hammering a failing dependency with a circuit breaker.</summary>
    RetryAndCircuitBreaker,

    /// <summary>Pool objects or buffers to cut allocations.</summary>
    Pool,
}

/// <summary>A concrete change suggested by <see cref="ApiPerformanceMonitor.SuggestOptimizations"/>, derived from recorded data.</summary>
/// <param name="Endpoint">The endpoint it concerns, or <see cref="ProcessWide"/> (<c>*</c>) for the whole process.</param>
/// <param name="Kind">The kind of change.</param>
/// <param name="Suggestion">What to do.</param>
/// <param name="Evidence">The figures that led to it.</param>
public sealed record OptimizationSuggestion(string Endpoint, OptimizationKind Kind, string Suggestion, string Evidence)
{
    /// <summary>The <see cref="Endpoint"/> of a suggestion about the whole process rather than one endpoint.</summary>
    public const string ProcessWide = "*";

    /// <summary>Gets a value indicating whether the suggestion concerns the whole process (<see cref="Endpoint"/> is <see cref="ProcessWide"/>).</summary>
    public bool IsProcessWide => Endpoint == ProcessWide;

    /// <summary>Gets what the suggestion concerns, for people: the endpoint name, or <c>whole process</c>.</summary>
    public string Scope => IsProcessWide ? "whole process" : Endpoint;
}

/// <summary>Settings of an <see cref="ApiPerformanceMonitor"/>. Bindable from configuration.</summary>
public sealed class ApiPerformanceMonitorOptions
{
    /// <summary>Gets or sets the number of most recent requests kept (default 1000, the seed's bound).</summary>
    public int WindowSize { get; set; } = 1000;

    /// <summary>Gets or sets the 95th percentile duration above which an endpoint is a slow bottleneck (default 1 s).</summary>
    public TimeSpan SlowThreshold { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the error rate above which an endpoint is a bottleneck (default 0.05).</summary>
    public double ErrorRateThreshold { get; set; } = 0.05;

    /// <summary>Gets or sets the minimum requests in the window before an endpoint is judged (default 10).</summary>
    public int MinimumSamples { get; set; } = 10;

    /// <summary>Gets or sets the bytes allocated per request above which pooling is suggested (default 64 KiB).</summary>
    public long AllocationPerRequestThreshold { get; set; } = 64 * 1024;

    /// <summary>Gets the thresholds of the unusual-usage alerts (request-rate, error-rate and allocation spikes) and how often they are checked.</summary>
    public UnusualUsageOptions UnusualUsage { get; } = new();

    internal void Validate()
    {
        UnusualUsage.Validate();
        Throw.IfNotPositive(WindowSize, nameof(WindowSize));
        Throw.IfNotPositive(SlowThreshold, paramName: nameof(SlowThreshold));
        Throw.IfOutOfRange(ErrorRateThreshold, 0, 1, nameof(ErrorRateThreshold));
        Throw.IfNotPositive(MinimumSamples, nameof(MinimumSamples));
        Throw.IfNotPositive(AllocationPerRequestThreshold, nameof(AllocationPerRequestThreshold));
    }
}
