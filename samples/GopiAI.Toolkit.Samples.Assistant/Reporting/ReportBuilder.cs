using System.Globalization;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.Samples.Assistant.Monitoring;

namespace GopiAI.Toolkit.Samples.Assistant.Reporting;

/// <summary>Maps the toolkit's runtime statistics into a <see cref="PerformanceReport"/>.</summary>
public static class ReportBuilder
{
    private static readonly HashSet<string> NamedCaches = new(StringComparer.Ordinal) { "models", "tools", "web_content", "api_responses" };

    /// <summary>Builds the report from the running application's statistics.</summary>
    /// <param name="now">When the report is produced.</param>
    /// <param name="startup">The startup timeline.</param>
    /// <param name="latencies">The recorded call durations per endpoint.</param>
    /// <param name="api">The monitored-call statistics, bottlenecks and suggestions.</param>
    /// <param name="caches">The caches.</param>
    /// <param name="pools">The pools.</param>
    /// <param name="memory">The memory monitor (baseline, leak threshold, leaks).</param>
    /// <param name="watchdog">The memory samples and alerts.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static PerformanceReport Build(
        DateTimeOffset now,
        IReadOnlyList<StartupSpan> startup,
        LatencyRecorder latencies,
        ApiPerformanceMonitor api,
        CacheManager caches,
        ResourcePoolManager pools,
        MemoryMonitor memory,
        ResourceWatchdog watchdog)
    {
        ArgumentNullException.ThrowIfNull(startup);
        ArgumentNullException.ThrowIfNull(latencies);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(caches);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(watchdog);

        var samples = latencies.GetSamples();
        var endpoints = api.GetEndpointStats().Values
            .OrderBy(e => e.Endpoint, StringComparer.Ordinal)
            .Select(e => new EndpointReport(
                e.Endpoint,
                e.Requests,
                e.AvgResponseTime.TotalMilliseconds,
                e.P95ResponseTime.TotalMilliseconds,
                e.ErrorRate,
                samples.TryGetValue(e.Endpoint, out var s) ? s : [],
                e.P50ResponseTime.TotalMilliseconds,
                e.P99ResponseTime.TotalMilliseconds,
                e.MaxResponseTime.TotalMilliseconds))
            .ToArray();

        var cacheReports = caches.GetStats()
            .OrderBy(p => KindOrder(p.Key)).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new CacheReport(ShortName(p.Key), Kind(p.Key), p.Value.Hits, p.Value.Misses, p.Value.Size, p.Value.MaxSize, p.Value.Evictions))
            .ToArray();

        var poolReports = pools.GetStats().Values
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new PoolReport(p.Name, p.Created, p.Rented, p.Returned, p.Outstanding))
            .ToArray();

        // From the memory monitor's baseline on: a sample taken before tracking started (an empty heap at process start)
        // would put the chart's first point near 0 MB.
        var history = watchdog.TrackedSamples;
        var baseline = memory.LastSample?.BaselineUsage ?? (history.Count > 0 ? history[0].Bytes : 0);
        var alerts = watchdog.Alerts;
        return new PerformanceReport
        {
            GeneratedAt = now,
            Startup = startup,
            Endpoints = endpoints,
            Caches = cacheReports,
            Pools = poolReports,
            Memory = history,
            MemoryBaselineBytes = baseline,
            LeakThresholdBytes = (long)(baseline * memory.Options.LeakThreshold),
            LeakWarnings = [.. memory.DetectLeaks().Select(l => l.Evidence)],
            Alerts = [.. alerts.Select(a => string.Create(CultureInfo.InvariantCulture, $"[{a.At.TotalSeconds:0.0} s] {a.Message}"))],
            UnusualUsage = [.. api.GetAlerts().Concat(memory.GetAlerts()).OrderBy(a => a.Timestamp).Select(a => string.Create(CultureInfo.InvariantCulture, $"[{a.Timestamp:HH:mm:ss} UTC] {a.Message}"))],
            UnusualUsageThresholds = DescribeThresholds(api.Options.UnusualUsage, memory.Options),
            Bottlenecks = [.. api.IdentifyBottlenecks().Select(b => $"{b.Endpoint}: {b.Evidence}")],
            Suggestions = [.. api.SuggestOptimizations().Select(o => $"{o.Scope}: {o.Suggestion} ({o.Evidence})")],
        };
    }

    /// <summary>Says in words when the monitors raise an unusual-usage alert.</summary>
    /// <param name="usage">The request monitor's thresholds.</param>
    /// <param name="memory">The memory monitor's thresholds.</param>
    /// <returns>One sentence.</returns>
    internal static string DescribeThresholds(UnusualUsageOptions usage, MemoryMonitorOptions memory) => string.Create(
        CultureInfo.InvariantCulture,
        $"The request monitor checks {(usage.EvaluationInterval is { } every ? $"every {every.TotalSeconds:0.#} s" : "on request")} against the median of the last {usage.BaselineIntervals} intervals: " +
        $"request rate above {usage.RequestRateSpikeFactor:0.#}x its baseline (at least {usage.MinimumRequests} requests, after {usage.WarmupIntervals} intervals); " +
        $"an endpoint's error rate above {usage.ErrorRateSpikeFactor:0.#}x its baseline and at least {usage.MinimumErrorRate:P0} (at least {usage.MinimumEndpointRequests} calls); " +
        $"bytes allocated per request above {usage.AllocationSpikeFactor:0.#}x their baseline and at least {usage.MinimumAllocationPerRequest / 1024} KiB; " +
        $"the memory monitor, on every sample: memory above {memory.LeakThreshold:0.##}x its baseline for {memory.SustainedSamples} samples in a row.");

    /// <summary>Shortens a generated cache name (<c>Namespace.Type.Method</c>) to <c>Type.Method</c>.</summary>
    /// <param name="cacheName">The registered cache name.</param>
    /// <returns>The display name.</returns>
    internal static string ShortName(string cacheName)
    {
        var last = cacheName.LastIndexOf('.');
        var previous = last > 0 ? cacheName.LastIndexOf('.', last - 1) : -1;
        return previous >= 0 ? cacheName[(previous + 1)..] : cacheName;
    }

    private static string Kind(string cacheName) =>
        NamedCaches.Contains(cacheName) ? "named cache" : cacheName.Contains('.', StringComparison.Ordinal) ? "[Cached] method" : "internal";

    private static int KindOrder(string cacheName) => Kind(cacheName) switch
    {
        "[Cached] method" => 0,
        "named cache" => 1,
        _ => 2,
    };
}
