using System.Diagnostics;
using System.Diagnostics.Metrics;
using GopiAI.Toolkit.Monitoring;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Tests.Monitoring;

public sealed class MonitoredScopeTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Stop_RecordsElapsedInMonitor()
    {
        using var monitor = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions(), _time);

        var scope = MonitoredScope.Start("load", monitor);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        var elapsed = scope.Stop(success: true, cacheHit: true);

        Assert.Equal(TimeSpan.FromMilliseconds(250), elapsed);
        var stats = monitor.GetEndpointStats()["load"];
        Assert.Equal(1, stats.Requests);
        Assert.Equal(TimeSpan.FromMilliseconds(250), stats.AvgResponseTime);
        Assert.Equal(1.0, stats.CacheHitRate);
    }

    [Fact]
    public void Stop_Default_IsInert()
    {
        Assert.Equal(TimeSpan.Zero, default(MonitoredScope).Stop(true));
        Assert.Null(default(MonitoredScope).Endpoint);
    }

    [Fact]
    public void Start_SharedMonitor_FeedsShared()
    {
        var endpoint = $"shared-{Guid.NewGuid():N}";

        MonitoredScope.Start(endpoint).Stop(success: false);

        Assert.Equal(1, ApiPerformanceMonitor.Shared.GetEndpointStats()[endpoint].Errors);
    }

    [Fact]
    public void Stop_WithListener_RecordsHistogramWithTags()
    {
        using var monitor = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions(), _time);
        var recorded = new List<(double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "GopiAI.Toolkit.Monitoring" && instrument.Name == "gopi.call.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        // Other tests record on the same process-wide instrument from other threads: keep only this test's endpoint,
        // under a lock, so the assertion never enumerates a list that another thread is appending to.
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var tagMap = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            if (tagMap.TryGetValue("endpoint", out var endpoint) && (string?)endpoint == "histogram-endpoint")
            {
                lock (recorded)
                {
                    recorded.Add((value, tagMap));
                }
            }
        });
        listener.Start();

        var scope = MonitoredScope.Start("histogram-endpoint", monitor);
        _time.Advance(TimeSpan.FromSeconds(2));
        scope.Stop(success: false);

        (double Value, Dictionary<string, object?> Tags)[] snapshot;
        lock (recorded)
        {
            snapshot = [.. recorded];
        }

        var (value, tags) = Assert.Single(snapshot);
        Assert.Equal(2.0, value);
        Assert.Equal("failure", tags["outcome"]);
        Assert.Equal(false, tags["cache.hit"]);
    }

    [Fact]
    public void Start_WithActivityListener_StartsAndStopsActivity()
    {
        using var monitor = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions(), _time);
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "GopiAI.Toolkit.Monitoring",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.OperationName == "traced")
                {
                    lock (stopped)
                    {
                        stopped.Add(a);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var scope = MonitoredScope.Start("traced", monitor);
        Assert.NotNull(scope.Activity);
        scope.Stop(success: true);

        Activity[] snapshot;
        lock (stopped)
        {
            snapshot = [.. stopped];
        }

        var activity = Assert.Single(snapshot);
        Assert.Equal(ActivityStatusCode.Ok, activity.Status);
    }

    [Fact]
    public void Start_NoActivityListener_NoActivity()
    {
        using var monitor = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions(), _time);

        var scope = MonitoredScope.Start("untraced", monitor);

        Assert.True(scope.Activity is null || ApiPerformanceMonitor.ActivitySource.HasListeners());
        scope.Stop(true);
    }

    [Fact]
    public void Start_BadInput_ThrowsNamingArgument()
    {
        Assert.Equal("endpoint", Assert.Throws<ArgumentException>(() => MonitoredScope.Start("")).ParamName);
        Assert.Equal("monitor", Assert.Throws<ArgumentNullException>(() => MonitoredScope.Start("x", null!)).ParamName);
    }

    [Fact]
    public void StartStop_SteadyState_AllocatesNothing()
    {
        using var monitor = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions(), _time);
        for (var i = 0; i < 100; i++)
        {
            MonitoredScope.Start("warm", monitor).Stop(true);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            MonitoredScope.Start("warm", monitor).Stop(true);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
