using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.Samples.Assistant;
using GopiAI.Toolkit.Samples.Assistant.Monitoring;
using GopiAI.Toolkit.Samples.Assistant.Reporting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Samples.Tests.Reporting;

public sealed class ReportBuilderTests
{
    [Theory]
    [InlineData("GopiAI.Toolkit.Samples.Assistant.Services.KnowledgeBase.SearchAsync", "KnowledgeBase.SearchAsync")]
    [InlineData("Type.Method", "Type.Method")]
    [InlineData("tools", "tools")]
    public void ShortName_CacheName_KeepsTypeAndMethod(string name, string expected) => Assert.Equal(expected, ReportBuilder.ShortName(name));

    [Fact]
    public void Build_RuntimeStatistics_MapsEndpointsCachesMemoryAndStartup()
    {
        const long mb = 1024 * 1024;
        var time = new FakeTimeProvider();
        long usage = 40 * mb;
        using var memory = new MemoryMonitor(new MemoryMonitorOptions(), time, meterFactory: null, usageProvider: () => usage);
        using var api = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions(), time);
        using var caches = new CacheManager(new CacheManagerOptions(), time, meterFactory: null, memory);
        using var pools = new ResourcePoolManager(new ResourcePoolManagerOptions(), time, meterFactory: null, memory);
        using var latencies = new LatencyRecorder();
        using var watchdog = new ResourceWatchdog(new AlertOptions(), memory, api, caches, pools, NullLogger.Instance, time);
        api.RecordRequest("Search", TimeSpan.FromMilliseconds(10), success: true);
        api.RecordRequest("Search", TimeSpan.FromMilliseconds(30), success: false);
        caches.Set("tools", "k", "v");
        _ = caches.Get<string>("tools", "k");
        _ = caches.Get<string>("tools", "missing");
        watchdog.Sample();
        time.Advance(TimeSpan.FromSeconds(1));
        usage = 44 * mb;
        watchdog.Sample();
        StartupSpan[] startup = [new("model", "component", TimeSpan.Zero, TimeSpan.FromMilliseconds(500))];

        var report = ReportBuilder.Build(time.GetUtcNow(), startup, latencies, api, caches, pools, memory, watchdog);

        var endpoint = Assert.Single(report.Endpoints);
        Assert.Equal("Search", endpoint.Endpoint);
        Assert.Equal(2, endpoint.Calls);
        Assert.Equal(0.5, endpoint.ErrorRate, 3);
        Assert.Equal(20, endpoint.AverageMs, 3);
        var tools = Assert.Single(report.Caches, c => c.Name == "tools");
        Assert.Equal("named cache", tools.Kind);
        Assert.Equal(1, tools.Hits);
        Assert.Equal(1, tools.Misses);
        Assert.Equal(startup, report.Startup);
        Assert.Equal([40 * mb, 44 * mb], report.Memory.Select(m => m.Bytes));
        Assert.Equal(40 * mb, report.MemoryBaselineBytes);
        Assert.Equal(60 * mb, report.LeakThresholdBytes);
        Assert.Empty(report.LeakWarnings);
        Assert.Empty(report.Alerts);
        Assert.Empty(report.UnusualUsage);
        Assert.Contains("request rate above 3x its baseline", report.UnusualUsageThresholds, StringComparison.Ordinal);
        Assert.Contains("memory above 1.5x its baseline for 5 samples in a row", report.UnusualUsageThresholds, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MonitorsRaisedAlerts_ListsThemOldestFirst()
    {
        const long mb = 1024 * 1024;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero));
        long usage = 40 * mb;
        using var memory = new MemoryMonitor(new MemoryMonitorOptions(), time, meterFactory: null, usageProvider: () => usage);
        var apiOptions = new ApiPerformanceMonitorOptions();
        apiOptions.UnusualUsage.EvaluationInterval = null;
        apiOptions.UnusualUsage.WarmupIntervals = 1;
        using var api = new ApiPerformanceMonitor(apiOptions, time, null, () => 0);
        using var caches = new CacheManager(new CacheManagerOptions(), time, meterFactory: null, memory);
        using var pools = new ResourcePoolManager(new ResourcePoolManagerOptions(), time, meterFactory: null, memory);
        using var latencies = new LatencyRecorder();
        using var watchdog = new ResourceWatchdog(new AlertOptions(), memory, api, caches, pools, NullLogger.Instance, time);
        memory.TrackMemory();
        for (var i = 1; i <= 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            usage = (60 + (10 * i)) * mb;
            memory.TrackMemory();
        }

        for (var i = 0; i < 10; i++)
        {
            api.RecordRequest("Search", TimeSpan.FromMilliseconds(1), success: true);
        }

        time.Advance(TimeSpan.FromSeconds(10));
        api.CheckForUnusualUsage();
        for (var i = 0; i < 600; i++)
        {
            api.RecordRequest("Search", TimeSpan.FromMilliseconds(1), success: true);
        }

        time.Advance(TimeSpan.FromSeconds(10));
        api.CheckForUnusualUsage();

        var report = ReportBuilder.Build(time.GetUtcNow(), [], latencies, api, caches, pools, memory, watchdog);

        Assert.Equal(2, report.UnusualUsage.Count);
        Assert.StartsWith("[08:00:05 UTC] Memory growth beyond the leak threshold", report.UnusualUsage[0], StringComparison.Ordinal);
        Assert.StartsWith("[08:00:25 UTC] Request rate spike: 60/s", report.UnusualUsage[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SamplesBeforeTheBaseline_AreLeftOutOfTheMemoryChart()
    {
        // The report's first memory point used to be the near-empty heap at process start, before tracking began.
        const long mb = 1024 * 1024;
        var time = new FakeTimeProvider();
        long usage = 1 * mb;
        using var memory = new MemoryMonitor(new MemoryMonitorOptions(), time, meterFactory: null, usageProvider: () => usage);
        using var api = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions(), time);
        using var caches = new CacheManager(new CacheManagerOptions(), time, meterFactory: null, memory);
        using var pools = new ResourcePoolManager(new ResourcePoolManagerOptions(), time, meterFactory: null, memory);
        using var latencies = new LatencyRecorder();
        using var watchdog = new ResourceWatchdog(new AlertOptions(), memory, api, caches, pools, NullLogger.Instance, time);
        watchdog.Sample();                        // process start: 1 MB
        time.Advance(TimeSpan.FromSeconds(2));
        usage = 45 * mb;                          // startup and ingestion done
        watchdog.MarkBaseline();
        time.Advance(TimeSpan.FromSeconds(1));
        usage = 47 * mb;
        watchdog.Sample();

        var report = ReportBuilder.Build(time.GetUtcNow(), [], latencies, api, caches, pools, memory, watchdog);

        Assert.Equal([45 * mb, 47 * mb], report.Memory.Select(m => m.Bytes));
        Assert.Equal(45 * mb, report.MemoryBaselineBytes);
        Assert.Equal(3, watchdog.Samples.Count);
    }

    [Fact]
    public void Build_ProcessWideSuggestion_NamesTheWholeProcessNotAStar()
    {
        var time = new FakeTimeProvider();
        using var memory = new MemoryMonitor(new MemoryMonitorOptions(), time);
        using var api = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions { AllocationPerRequestThreshold = 1024 }, time);
        using var caches = new CacheManager(new CacheManagerOptions(), time, meterFactory: null, memory);
        using var pools = new ResourcePoolManager(new ResourcePoolManagerOptions(), time, meterFactory: null, memory);
        using var latencies = new LatencyRecorder();
        using var watchdog = new ResourceWatchdog(new AlertOptions(), memory, api, caches, pools, NullLogger.Instance, time);
        var keep = new List<byte[]>();
        for (var i = 0; i < 20; i++)
        {
            keep.Add(new byte[64 * 1024]);
            api.RecordRequest("Alloc", TimeSpan.FromMilliseconds(1), success: true);
        }

        var report = ReportBuilder.Build(time.GetUtcNow(), [], latencies, api, caches, pools, memory, watchdog);

        var pool = Assert.Single(report.Suggestions, s => s.Contains("Pool the objects", StringComparison.Ordinal));
        Assert.StartsWith("whole process: ", pool, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Suggestions, s => s.StartsWith('*'));
        GC.KeepAlive(keep);
    }

    [Fact]
    public void Build_Endpoints_CarryTheMonitorsNearestRankPercentilesAndMax()
    {
        // 23 fast calls and one slow first call: the mean lies above p95, and p99/max show why.
        var time = new FakeTimeProvider();
        using var memory = new MemoryMonitor(new MemoryMonitorOptions(), time);
        using var api = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions(), time);
        using var caches = new CacheManager(new CacheManagerOptions(), time, meterFactory: null, memory);
        using var pools = new ResourcePoolManager(new ResourcePoolManagerOptions(), time, meterFactory: null, memory);
        using var latencies = new LatencyRecorder();
        using var watchdog = new ResourceWatchdog(new AlertOptions(), memory, api, caches, pools, NullLogger.Instance, time);
        api.RecordRequest("Assemble", TimeSpan.FromMilliseconds(8), success: true);
        for (var i = 0; i < 23; i++)
        {
            api.RecordRequest("Assemble", TimeSpan.FromMilliseconds(0.4), success: true);
        }

        var report = ReportBuilder.Build(time.GetUtcNow(), [], latencies, api, caches, pools, memory, watchdog);

        var endpoint = Assert.Single(report.Endpoints);
        Assert.Equal(0.4, endpoint.P50Ms, 6);
        Assert.Equal(0.4, endpoint.P95Ms, 6);
        Assert.Equal(8, endpoint.P99Ms, 6);
        Assert.Equal(8, endpoint.MaxMs, 6);
        Assert.True(endpoint.MeanAboveP95);
        Assert.StartsWith(Percentiles.Method, report.PercentileMethod, StringComparison.Ordinal);
    }
}
