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
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            recorded.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        var scope = MonitoredScope.Start("histogram-endpoint", monitor);
        _time.Advance(TimeSpan.FromSeconds(2));
        scope.Stop(success: false);

        var (value, tags) = Assert.Single(recorded, r => (string?)r.Tags["endpoint"] == "histogram-endpoint");
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
            ActivityStopped = a => stopped.Add(a),
        };
        ActivitySource.AddActivityListener(listener);

        var scope = MonitoredScope.Start("traced", monitor);
        Assert.NotNull(scope.Activity);
        scope.Stop(success: true);

        var activity = Assert.Single(stopped, a => a.OperationName == "traced");
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
