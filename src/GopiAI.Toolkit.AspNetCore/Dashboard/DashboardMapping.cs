using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.Startup;

namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>Maps the runtime's public statistics types to the snapshot's records. Pure functions, nothing else.</summary>
internal static class DashboardMapping
{
    public static IReadOnlyList<DashboardCache> Caches(IReadOnlyDictionary<string, CacheStats> stats) =>
        [.. stats.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Cache(p.Key, p.Value))];

    public static DashboardCache Cache(string name, CacheStats s) =>
        new(name, s.Hits, s.Misses, s.HitRate, s.Evictions, s.Size, s.MaxSize, s.MemoryUsage);

    public static IReadOnlyList<DashboardPool> Pools(IReadOnlyDictionary<string, PoolStats> stats) =>
        [.. stats.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Pool(p.Key, p.Value))];

    public static DashboardPool Pool(string name, PoolStats s) =>
        new(name, s.Created, s.Rented, s.Returned, s.Outstanding, s.ReuseRate, s.MaxRetained, s.Drained);

    public static IReadOnlyList<DashboardEndpoint> Endpoints(IReadOnlyDictionary<string, EndpointStats> stats) =>
        [.. stats.Values.OrderBy(s => s.Endpoint, StringComparer.Ordinal).Select(Endpoint)];

    public static DashboardEndpoint Endpoint(EndpointStats s) => new(
        s.Endpoint,
        s.Requests,
        s.Errors,
        s.ErrorRate,
        s.AvgResponseTime.TotalMilliseconds,
        s.P50ResponseTime.TotalMilliseconds,
        s.P95ResponseTime.TotalMilliseconds,
        s.P99ResponseTime.TotalMilliseconds,
        s.MaxResponseTime.TotalMilliseconds,
        s.CacheHitRate,
        s.RequestsPerSecond);

    public static DashboardBottleneck Bottleneck(Bottleneck b) => new(b.Endpoint, b.Kind.ToString(), b.Observed, b.Threshold, b.Evidence);

    public static DashboardSuggestion Suggestion(OptimizationSuggestion s) => new(s.Scope, s.Kind.ToString(), s.Suggestion, s.Evidence);

    public static DashboardLeak Leak(MemoryLeak leak) => new(leak.Metric, leak.GrowthFactor, leak.Since, leak.Evidence);

    public static DashboardStartup Startup(StartupReport report)
    {
        var steps = new List<DashboardStartupStep>();
        foreach (var task in report.Tasks.Where(t => t.Status != StartupStepStatus.Pending))
        {
            steps.Add(new DashboardStartupStep(task.Name, "task", task.Status.ToString(), task.StartedAt?.TotalMilliseconds, task.Duration.TotalMilliseconds, task.Error));
        }

        foreach (var component in report.Components.Where(c => c.LoadTime is not null || c.Error is not null))
        {
            steps.Add(new DashboardStartupStep(
                component.Name,
                "component",
                component.Loaded ? "Loaded" : "Failed",
                component.StartedAt?.TotalMilliseconds,
                (component.LoadTime ?? TimeSpan.Zero).TotalMilliseconds,
                component.Error));
        }

        return new DashboardStartup(
            report.TotalElapsed.TotalMilliseconds,
            [.. steps.OrderBy(s => s.StartMs ?? double.MaxValue).ThenBy(s => s.Name, StringComparer.Ordinal)]);
    }

    public static DashboardAlertSeverity Severity(MemoryPressureLevel level) => level switch
    {
        MemoryPressureLevel.Critical => DashboardAlertSeverity.Critical,
        MemoryPressureLevel.High => DashboardAlertSeverity.Warning,
        _ => DashboardAlertSeverity.Information,
    };
}
