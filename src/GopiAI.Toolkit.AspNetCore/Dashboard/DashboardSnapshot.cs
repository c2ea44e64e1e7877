using System.Text.Json;
using System.Text.Json.Serialization;

namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>
/// Everything the dashboard shows at one moment: the body of <c>snapshot.json</c> and of every Server-Sent Event. Its JSON
/// form (camelCase) is described by <c>snapshot.schema.json</c> and docs/dashboard.md.
/// </summary>
/// <param name="SchemaVersion">The version of this shape (<see cref="DashboardSnapshot.CurrentSchemaVersion"/>); it changes only when a field changes meaning or goes away.</param>
/// <param name="Instance">A random id of the dashboard instance; event ids start with it, so a client can tell a restarted server.</param>
/// <param name="Sequence">The number of the sampling tick this snapshot was taken at (1, 2, 3, … per instance).</param>
/// <param name="Timestamp">When the snapshot was taken.</param>
/// <param name="UptimeSeconds">Seconds since the process started.</param>
/// <param name="SampleIntervalMs">The sampling interval in milliseconds.</param>
/// <param name="Process">CPU and thread figures of the process.</param>
/// <param name="Memory">Managed memory, the memory monitor's baseline and leak threshold, and garbage collections.</param>
/// <param name="Caches">Every cache <c>CacheManager.GetStats()</c> reports, by name.</param>
/// <param name="Pools">Every pool <c>ResourcePoolManager.GetStats()</c> reports, by name.</param>
/// <param name="Endpoints">The <c>[Monitored]</c> endpoints over the monitor's sliding window.</param>
/// <param name="Alerts">The most recent alerts, newest first.</param>
/// <param name="Cleanups">The most recent automated clean-ups (memory-pressure signals), newest first.</param>
/// <param name="Bottlenecks">The endpoints the monitor judges slow or failing right now.</param>
/// <param name="Suggestions">The monitor's optimisation suggestions.</param>
/// <param name="Startup">The startup timeline of the <c>StartupOptimizer</c>.</param>
/// <param name="Sections">Statistics of registered sources (for example the semantic memory), one per source.</param>
/// <param name="Series">
/// Time series points, oldest first: the whole history in <c>snapshot.json</c> and in a <c>snapshot</c> event, only the points
/// after the previous event in an <c>update</c> event.
/// </param>
public sealed record DashboardSnapshot(
    int SchemaVersion,
    string Instance,
    long Sequence,
    DateTimeOffset Timestamp,
    double UptimeSeconds,
    double SampleIntervalMs,
    DashboardProcess Process,
    DashboardMemory Memory,
    IReadOnlyList<DashboardCache> Caches,
    IReadOnlyList<DashboardPool> Pools,
    DashboardEndpoints Endpoints,
    IReadOnlyList<DashboardAlert> Alerts,
    IReadOnlyList<DashboardCleanup> Cleanups,
    IReadOnlyList<DashboardBottleneck> Bottlenecks,
    IReadOnlyList<DashboardSuggestion> Suggestions,
    DashboardStartup Startup,
    IReadOnlyList<DashboardSection> Sections,
    IReadOnlyList<DashboardPoint> Series)
{
    /// <summary>The <see cref="SchemaVersion"/> this library writes.</summary>
    public const int CurrentSchemaVersion = 1;
}

/// <summary>CPU and thread figures of the process.</summary>
/// <param name="ProcessorCount">Logical processors available to the process.</param>
/// <param name="CpuPercent">Process CPU use since the previous tick, as a percentage of all processors (0–100).</param>
/// <param name="ThreadPoolThreads">Thread-pool threads.</param>
/// <param name="ThreadPoolQueueLength">Work items waiting in the thread pool.</param>
/// <param name="LockContentions">Times a thread had to wait for a contended lock since the process started.</param>
public sealed record DashboardProcess(int ProcessorCount, double CpuPercent, int ThreadPoolThreads, long ThreadPoolQueueLength, long LockContentions);

/// <summary>Managed memory and garbage collection.</summary>
/// <param name="HeapBytes">Managed heap bytes in use now (<c>GC.GetTotalMemory(false)</c>).</param>
/// <param name="WorkingSetBytes">The process working set.</param>
/// <param name="PeakBytes">The highest managed heap seen by the memory monitor or by this dashboard.</param>
/// <param name="BaselineBytes">The memory monitor's baseline; <see langword="null"/> before its first sample.</param>
/// <param name="LeakThresholdBytes">Baseline × leak threshold factor: sustained usage above it is reported as a leak; <see langword="null"/> without a baseline.</param>
/// <param name="LeakThresholdFactor">The memory monitor's leak threshold factor (1.5 by default).</param>
/// <param name="GrowthFactor">The monitor's last sample divided by its baseline; <see langword="null"/> before its first sample.</param>
/// <param name="TotalAllocatedBytes">Bytes allocated by the process since it started.</param>
/// <param name="FragmentedBytes">Free space inside the GC heap at the last collection.</param>
/// <param name="MemoryLoadBytes">Memory in use on the machine (or container) at the last collection.</param>
/// <param name="HighMemoryLoadThresholdBytes">The load at which the GC treats memory as scarce.</param>
/// <param name="Gc">Collection counts and pause time.</param>
/// <param name="Leaks">Leaks the memory monitor suspects now, with their evidence.</param>
public sealed record DashboardMemory(
    long HeapBytes,
    long WorkingSetBytes,
    long PeakBytes,
    long? BaselineBytes,
    long? LeakThresholdBytes,
    double LeakThresholdFactor,
    double? GrowthFactor,
    long TotalAllocatedBytes,
    long FragmentedBytes,
    long MemoryLoadBytes,
    long HighMemoryLoadThresholdBytes,
    DashboardGc Gc,
    IReadOnlyList<DashboardLeak> Leaks);

/// <summary>Garbage collections since the process started.</summary>
/// <param name="Gen0">Generation 0 collections.</param>
/// <param name="Gen1">Generation 1 collections.</param>
/// <param name="Gen2">Generation 2 (full) collections.</param>
/// <param name="PauseTimePercent">Share of time the process spent paused by the GC, 0–100.</param>
/// <param name="TotalPauseMs">Total GC pause time in milliseconds.</param>
public sealed record DashboardGc(int Gen0, int Gen1, int Gen2, double PauseTimePercent, double TotalPauseMs);

/// <summary>A leak suspected by the memory monitor.</summary>
/// <param name="Metric">What grew.</param>
/// <param name="GrowthFactor">Latest usage divided by the baseline.</param>
/// <param name="Since">When the sustained growth began.</param>
/// <param name="Evidence">The monitor's explanation with figures.</param>
public sealed record DashboardLeak(string Metric, double GrowthFactor, DateTimeOffset Since, string Evidence);

/// <summary>One cache.</summary>
/// <param name="Name">The cache name.</param>
/// <param name="Hits">Lookups that found a live entry.</param>
/// <param name="Misses">Lookups that found nothing.</param>
/// <param name="HitRate">Hits / lookups, 0–1 (0 without lookups).</param>
/// <param name="Evictions">Entries removed by capacity, expiry or memory pressure.</param>
/// <param name="Size">Entries held.</param>
/// <param name="MaxSize">Capacity in entries.</param>
/// <param name="MemoryBytes">Bytes held (size function) or the cache's own bookkeeping estimate.</param>
public sealed record DashboardCache(string Name, long Hits, long Misses, double HitRate, long Evictions, int Size, int MaxSize, long MemoryBytes);

/// <summary>One object pool.</summary>
/// <param name="Name">The pool name.</param>
/// <param name="Created">Objects created because none was idle.</param>
/// <param name="Rented">Objects handed out.</param>
/// <param name="Returned">Objects given back.</param>
/// <param name="Outstanding">Objects rented and not yet returned.</param>
/// <param name="ReuseRate">Share of rentals served without creating an object, 0–1.</param>
/// <param name="MaxRetained">Idle objects the pool keeps at most.</param>
/// <param name="Drained">Idle objects dropped by clean-up or memory pressure.</param>
public sealed record DashboardPool(string Name, long Created, long Rented, long Returned, long Outstanding, double ReuseRate, int MaxRetained, long Drained);

/// <summary>The monitored endpoints over the sliding window of the <c>ApiPerformanceMonitor</c>.</summary>
/// <param name="PercentileMethod">How percentiles are computed: <c>nearest-rank</c> (see <c>Percentiles</c>).</param>
/// <param name="WindowSize">Most recent calls (all endpoints together) the figures are computed over.</param>
/// <param name="TotalRequests">Calls recorded since the monitor started (not bounded by the window).</param>
/// <param name="CallsPerSecond">Calls recorded per second since the previous tick.</param>
/// <param name="Items">One entry per endpoint present in the window, by name.</param>
public sealed record DashboardEndpoints(string PercentileMethod, int WindowSize, long TotalRequests, double CallsPerSecond, IReadOnlyList<DashboardEndpoint> Items);

/// <summary>One monitored endpoint over the window.</summary>
/// <param name="Endpoint">The endpoint name (by default <c>Type.Method</c>).</param>
/// <param name="Calls">Calls in the window.</param>
/// <param name="Errors">Failed calls in the window.</param>
/// <param name="ErrorRate">Errors / calls, 0–1.</param>
/// <param name="AvgMs">Mean duration in milliseconds.</param>
/// <param name="P50Ms">Median duration (nearest rank) in milliseconds.</param>
/// <param name="P95Ms">95th percentile duration (nearest rank) in milliseconds.</param>
/// <param name="P99Ms">99th percentile duration (nearest rank) in milliseconds.</param>
/// <param name="MaxMs">Longest duration in milliseconds.</param>
/// <param name="CacheHitRate">Share of calls served from a cache, 0–1.</param>
/// <param name="RequestsPerSecond">Calls divided by the time the window spans for this endpoint.</param>
public sealed record DashboardEndpoint(string Endpoint, int Calls, int Errors, double ErrorRate, double AvgMs, double P50Ms, double P95Ms, double P99Ms, double MaxMs, double CacheHitRate, double RequestsPerSecond);

/// <summary>How serious an alert is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DashboardAlertSeverity>))]
public enum DashboardAlertSeverity
{
    /// <summary>Worth knowing.</summary>
    Information,

    /// <summary>Something is off (a slow endpoint, memory pressure, a logged warning).</summary>
    Warning,

    /// <summary>Something failed (a logged error, a suspected leak).</summary>
    Error,

    /// <summary>The process is at risk (critical memory pressure, a critical log entry).</summary>
    Critical,
}

/// <summary>An alert shown on the dashboard.</summary>
/// <param name="Id">Increasing number of the alert within this dashboard instance.</param>
/// <param name="At">When it was raised.</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="Kind">What kind of alert it is (for example <c>MemoryPressure</c>, <c>SlowResponses</c>, or the event name of a logged warning).</param>
/// <param name="Source">Who raised it (a monitor, a logger category, the application).</param>
/// <param name="Message">What happened, with the figures.</param>
public sealed record DashboardAlert(long Id, DateTimeOffset At, DashboardAlertSeverity Severity, string Kind, string Source, string Message);

/// <summary>An automated clean-up: a memory-pressure signal and what the caches and pools shed in response.</summary>
/// <param name="Id">Increasing number of the clean-up within this dashboard instance.</param>
/// <param name="At">When memory pressure was signalled.</param>
/// <param name="Level">The pressure level (<c>Moderate</c>, <c>High</c>, <c>Critical</c>).</param>
/// <param name="Reason">Why the signal was raised.</param>
/// <param name="CacheEntriesBefore">Entries in all caches before the signal (the larger figure of the last two ticks before it).</param>
/// <param name="CacheEntriesAfter">Entries in all caches at the first tick after it; <see langword="null"/> until that tick.</param>
/// <param name="PooledObjectsDrained">Idle pooled objects dropped between those ticks; <see langword="null"/> until the tick after the signal.</param>
public sealed record DashboardCleanup(long Id, DateTimeOffset At, string Level, string Reason, long CacheEntriesBefore, long? CacheEntriesAfter, long? PooledObjectsDrained);

/// <summary>An endpoint the monitor judges a bottleneck now.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Kind">What is wrong (<c>SlowResponses</c>, <c>HighErrorRate</c>, …).</param>
/// <param name="Observed">The measured value (milliseconds for slow responses, a 0–1 ratio for errors).</param>
/// <param name="Threshold">The threshold it crossed, in the same unit.</param>
/// <param name="Evidence">The monitor's explanation with figures.</param>
public sealed record DashboardBottleneck(string Endpoint, string Kind, double Observed, double Threshold, string Evidence);

/// <summary>An optimisation the monitor suggests from the recorded data.</summary>
/// <param name="Scope">The endpoint it concerns, or <c>whole process</c>.</param>
/// <param name="Kind">The kind of change (<c>Cache</c>, <c>Timeout</c>, <c>RetryAndCircuitBreaker</c>, <c>Pool</c>, …).</param>
/// <param name="Suggestion">What to do.</param>
/// <param name="Evidence">The figures that led to it.</param>
public sealed record DashboardSuggestion(string Scope, string Kind, string Suggestion, string Evidence);

/// <summary>The startup timeline.</summary>
/// <param name="TotalMs">Duration of the last <c>InitializeApplicationAsync</c> run in milliseconds (0 if it never ran).</param>
/// <param name="Steps">Startup tasks and lazily loaded components that ran, by start time.</param>
public sealed record DashboardStartup(double TotalMs, IReadOnlyList<DashboardStartupStep> Steps);

/// <summary>One startup task or component.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Kind"><c>task</c> or <c>component</c>.</param>
/// <param name="Status">For a task its <c>StartupStepStatus</c> (<c>Running</c>, <c>Succeeded</c>, <c>Failed</c>, <c>Skipped</c>, <c>Cancelled</c>); for a component <c>Loaded</c> or <c>Failed</c>.</param>
/// <param name="StartMs">When it started, in milliseconds from the creation of the startup optimizer; <see langword="null"/> if unknown.</param>
/// <param name="DurationMs">How long it ran in milliseconds.</param>
/// <param name="Error">The failure message, if it failed.</param>
public sealed record DashboardStartupStep(string Name, string Kind, string Status, double? StartMs, double DurationMs, string? Error);

/// <summary>The statistics of one registered <see cref="IDashboardStatisticsSource"/>.</summary>
/// <param name="Name">The source's name (a JSON-friendly key such as <c>semanticMemory</c>).</param>
/// <param name="Title">The heading shown on the page.</param>
/// <param name="Data">What the source returned, as JSON; <see langword="null"/> before its first answer, when it has nothing, or after an error.</param>
/// <param name="Error">Why the last read failed; <see langword="null"/> when it succeeded.</param>
/// <param name="UpdatedAt">When <paramref name="Data"/> was read; <see langword="null"/> before the first read.</param>
public sealed record DashboardSection(string Name, string Title, JsonElement? Data, string? Error, DateTimeOffset? UpdatedAt);

/// <summary>One point of the dashboard's time series, taken every tick.</summary>
/// <param name="Sequence">The tick number (the <see cref="DashboardSnapshot.Sequence"/> it was taken with).</param>
/// <param name="UnixTimeMs">When, in milliseconds since 1970-01-01 UTC.</param>
/// <param name="HeapBytes">Managed heap bytes.</param>
/// <param name="WorkingSetBytes">Working set bytes.</param>
/// <param name="CallsPerSecond">Monitored calls per second since the previous tick.</param>
/// <param name="ErrorRate">Failed calls / calls over the monitor's window, 0–1.</param>
/// <param name="GcCount">Garbage collections of all generations since the process started.</param>
/// <param name="CpuPercent">Process CPU since the previous tick, as a percentage of all processors.</param>
public sealed record DashboardPoint(long Sequence, long UnixTimeMs, long HeapBytes, long WorkingSetBytes, double CallsPerSecond, double ErrorRate, int GcCount, double CpuPercent);
