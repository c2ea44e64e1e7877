using GopiAI.Toolkit.Monitoring;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Tests.Monitoring;

public sealed class ApiPerformanceMonitorTests
{
    private readonly FakeTimeProvider _time = new();

    private ApiPerformanceMonitor NewMonitor(int window = 1000) =>
        new(new ApiPerformanceMonitorOptions { WindowSize = window, SlowThreshold = TimeSpan.FromMilliseconds(500) }, _time);

    [Fact]
    public void GetPerformanceStats_NoData_AllZero()
    {
        using var monitor = NewMonitor();

        var stats = monitor.GetPerformanceStats();

        Assert.Equal(0, stats.SampleCount);
        Assert.Equal(TimeSpan.Zero, stats.AvgResponseTime);
        Assert.Equal(0, stats.ErrorRate);
        Assert.Equal(0, stats.RequestsPerSecond);
        Assert.True(stats.MemoryUsage > 0);
        Assert.InRange(stats.CpuUsage, 0, 100);
    }

    [Fact]
    public void GetPerformanceStats_RecordedRequests_AggregatesCorrectly()
    {
        using var monitor = NewMonitor();
        for (var i = 1; i <= 100; i++)
        {
            monitor.RecordRequest("search", TimeSpan.FromMilliseconds(i), success: i % 10 != 0);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        var stats = monitor.GetPerformanceStats();

        Assert.Equal(100, stats.SampleCount);
        Assert.Equal(TimeSpan.FromMilliseconds(50.5), stats.AvgResponseTime);
        Assert.Equal(TimeSpan.FromMilliseconds(95), stats.P95ResponseTime);
        Assert.Equal(TimeSpan.FromMilliseconds(50), stats.P50ResponseTime);
        Assert.Equal(TimeSpan.FromMilliseconds(99), stats.P99ResponseTime);
        Assert.Equal(TimeSpan.FromMilliseconds(100), stats.MaxResponseTime);
        Assert.Equal(0.1, stats.ErrorRate, 6);
        Assert.Equal(100 / 9.9, stats.RequestsPerSecond, 3);
        Assert.Equal(100, stats.TotalRequests);
    }

    [Fact]
    public void RecordRequest_BeyondWindow_KeepsOnlyLatestSamples()
    {
        using var monitor = NewMonitor(window: 10);
        for (var i = 0; i < 25; i++)
        {
            monitor.RecordRequest("e", TimeSpan.FromMilliseconds(i < 15 ? 1000 : 10), true);
        }

        var stats = monitor.GetPerformanceStats();

        Assert.Equal(10, stats.SampleCount);
        Assert.Equal(TimeSpan.FromMilliseconds(10), stats.MaxResponseTime);
        Assert.Equal(25, stats.TotalRequests);
    }

    [Fact]
    public void GetEndpointStats_GroupsByEndpoint()
    {
        using var monitor = NewMonitor();
        monitor.RecordRequest("a", TimeSpan.FromMilliseconds(10), true, cacheHit: true);
        monitor.RecordRequest("a", TimeSpan.FromMilliseconds(30), false);
        monitor.RecordRequest("b", TimeSpan.FromMilliseconds(5), true);

        var stats = monitor.GetEndpointStats();

        Assert.Equal(2, stats["a"].Requests);
        Assert.Equal(1, stats["a"].Errors);
        Assert.Equal(0.5, stats["a"].ErrorRate);
        Assert.Equal(0.5, stats["a"].CacheHitRate);
        Assert.Equal(TimeSpan.FromMilliseconds(20), stats["a"].AvgResponseTime);
        Assert.Equal(1, stats["b"].Requests);
    }

    [Fact]
    public void IdentifyBottlenecks_SlowAndFailingEndpoints_ReportedWithEvidence()
    {
        using var monitor = NewMonitor();
        for (var i = 0; i < 20; i++)
        {
            monitor.RecordRequest("slow", TimeSpan.FromMilliseconds(900), true);
            monitor.RecordRequest("flaky", TimeSpan.FromMilliseconds(20), i % 4 != 0);
            monitor.RecordRequest("fine", TimeSpan.FromMilliseconds(20), true);
        }

        var bottlenecks = monitor.IdentifyBottlenecks();

        Assert.Equal(2, bottlenecks.Count);
        var slow = Assert.Single(bottlenecks, b => b.Kind == BottleneckKind.SlowResponses);
        Assert.Equal("slow", slow.Endpoint);
        Assert.Equal(900, slow.Observed);
        Assert.Contains("p95 900 ms", slow.Evidence, StringComparison.Ordinal);
        var flaky = Assert.Single(bottlenecks, b => b.Kind == BottleneckKind.HighErrorRate);
        Assert.Equal("flaky", flaky.Endpoint);
        Assert.Equal(0.25, flaky.Observed);
        Assert.Contains("5 of 20", flaky.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void IdentifyBottlenecks_TooFewSamples_Ignored()
    {
        using var monitor = NewMonitor();
        monitor.RecordRequest("slow", TimeSpan.FromSeconds(5), false);

        Assert.Empty(monitor.IdentifyBottlenecks());
    }

    [Fact]
    public void SuggestOptimizations_DerivedFromData()
    {
        using var monitor = NewMonitor();
        for (var i = 0; i < 20; i++)
        {
            monitor.RecordRequest("uncached", TimeSpan.FromMilliseconds(800), true);
            monitor.RecordRequest("cached", TimeSpan.FromMilliseconds(800), true, cacheHit: true);
            monitor.RecordRequest("tail", TimeSpan.FromMilliseconds(i == 0 ? 3000 : 50), true);
            monitor.RecordRequest("errors", TimeSpan.FromMilliseconds(10), i % 2 == 0);
        }

        var suggestions = monitor.SuggestOptimizations();

        var cache = Assert.Single(suggestions, s => s.Kind == OptimizationKind.Cache);
        Assert.Equal("uncached", cache.Endpoint);
        Assert.Contains("0 % served from a cache", cache.Evidence.Replace("0%", "0 %", StringComparison.Ordinal), StringComparison.Ordinal);
        var timeout = Assert.Single(suggestions, s => s.Kind == OptimizationKind.Timeout);
        Assert.Equal("tail", timeout.Endpoint);
        Assert.Contains("median", timeout.Evidence, StringComparison.Ordinal);
        var retry = Assert.Single(suggestions, s => s.Kind == OptimizationKind.RetryAndCircuitBreaker);
        Assert.Equal("errors", retry.Endpoint);
    }

    [Fact]
    public void SuggestOptimizations_HeavyAllocationPerRequest_SuggestsPooling()
    {
        using var monitor = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions { AllocationPerRequestThreshold = 1024 }, _time);
        var keep = new List<byte[]>();
        for (var i = 0; i < 20; i++)
        {
            keep.Add(new byte[64 * 1024]);
            monitor.RecordRequest("alloc", TimeSpan.FromMilliseconds(1), true);
        }

        var pool = Assert.Single(monitor.SuggestOptimizations(), s => s.Kind == OptimizationKind.Pool);

        Assert.Equal(OptimizationSuggestion.ProcessWide, pool.Endpoint);
        Assert.True(pool.IsProcessWide);
        Assert.Equal("whole process", pool.Scope);
        Assert.Contains("KiB per recorded request", pool.Evidence, StringComparison.Ordinal);
        GC.KeepAlive(keep);
    }

    [Fact]
    public void SuggestOptimizations_HealthyEndpoints_NoSuggestions()
    {
        using var monitor = NewMonitor();
        for (var i = 0; i < 50; i++)
        {
            monitor.RecordRequest("fast", TimeSpan.FromMilliseconds(5 + (i % 3)), true);
        }

        Assert.DoesNotContain(monitor.SuggestOptimizations(), s => s.Endpoint == "fast");
    }

    [Fact]
    public void SuggestOptimizations_CacheHitsMakeMissesLookLikeTail_NoTimeoutSuggested()
    {
        using var monitor = NewMonitor();
        for (var i = 0; i < 100; i++)
        {
            var hit = i % 4 != 0;
            monitor.RecordRequest("cached", TimeSpan.FromMilliseconds(hit ? 0.01 : 20), true, cacheHit: hit);
        }

        Assert.DoesNotContain(monitor.SuggestOptimizations(), s => s.Kind == OptimizationKind.Timeout);
    }

    [Fact]
    public void Reset_ForgetsSamples()
    {
        using var monitor = NewMonitor();
        monitor.RecordRequest("a", TimeSpan.FromMilliseconds(1), true);

        monitor.Reset();

        Assert.Equal(0, monitor.GetPerformanceStats().SampleCount);
        Assert.Equal(0, monitor.TotalRequests);
    }

    [Fact]
    public void RecordRequest_Concurrent_CountsEverySample()
    {
        using var monitor = NewMonitor(window: 1000);

        Parallel.For(0, 4, t =>
        {
            for (var i = 0; i < 5000; i++)
            {
                monitor.RecordRequest("p", TimeSpan.FromMilliseconds(1), true);
            }
        });

        Assert.Equal(20_000, monitor.TotalRequests);
        Assert.Equal(1000, monitor.GetPerformanceStats().SampleCount);
    }

    [Fact]
    public void BadInput_ThrowsNamingArgument()
    {
        using var monitor = NewMonitor();

        Assert.Equal("endpoint", Assert.Throws<ArgumentException>(() => monitor.RecordRequest("", TimeSpan.Zero, true)).ParamName);
        Assert.Equal("endpoint", Assert.Throws<ArgumentNullException>(() => monitor.RecordRequest(null!, TimeSpan.Zero, true)).ParamName);
        Assert.Equal("duration", Assert.Throws<ArgumentOutOfRangeException>(() => monitor.RecordRequest("e", TimeSpan.FromSeconds(-1), true)).ParamName);
        Assert.Equal("WindowSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions { WindowSize = 0 })).ParamName);
        Assert.Equal("ErrorRateThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions { ErrorRateThreshold = 2 })).ParamName);
    }

    [Fact]
    public void GetEndpointStats_Window_UsesNearestRank()
    {
        using var monitor = new ApiPerformanceMonitor();
        for (var ms = 1; ms <= 24; ms++)
        {
            monitor.RecordRequest("e", TimeSpan.FromMilliseconds(ms), success: true);
        }

        var stats = monitor.GetEndpointStats()["e"];

        Assert.Equal(TimeSpan.FromMilliseconds(12), stats.P50ResponseTime);
        Assert.Equal(TimeSpan.FromMilliseconds(23), stats.P95ResponseTime);
        Assert.Equal(TimeSpan.FromMilliseconds(24), stats.P99ResponseTime);
    }
}
