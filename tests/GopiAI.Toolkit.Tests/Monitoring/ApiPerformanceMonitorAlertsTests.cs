using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Tests.Monitoring;

/// <summary>The unusual-usage alerts, driven by a fake clock: each Advance of 10 s fires the monitor's own check.</summary>
public sealed class ApiPerformanceMonitorAlertsTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TestMeterFactory _meters = new();
    private readonly CapturingLogger _logger = new();
    private readonly List<ResourceAlert> _raised = [];
    private readonly ApiPerformanceMonitor _monitor;
    private long _allocated;

    public ApiPerformanceMonitorAlertsTests()
    {
        _monitor = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions(), _time, _meters, () => _allocated) { AlertLogger = _logger };
        _monitor.AlertRaised += (_, alert) => _raised.Add(alert);
    }

    public void Dispose()
    {
        _monitor.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public void AlertRaised_RequestRateFiveTimesTheBaseline_RaisesOneSpikeWithTheFiguresAndClearsAfterwards()
    {
        WarmUp(requestsPerInterval: 100);

        RunInterval(500, endpoint: "Search");
        RunInterval(500, endpoint: "Search");

        var alert = Assert.Single(_raised);
        Assert.Equal(ResourceAlertKind.RequestRateSpike, alert.Kind);
        Assert.Equal("*", alert.Source);
        Assert.Equal(50, alert.Observed, 6);
        Assert.Equal(10, alert.Baseline, 6);
        Assert.Equal(30, alert.Threshold, 6);
        Assert.Equal("{request}/s", alert.Unit);
        Assert.Equal(_time.GetUtcNow() - Interval, alert.Timestamp);
        Assert.Contains("50/s over the last 10 s is 5x the baseline of 10/s", alert.Message, StringComparison.Ordinal);
        Assert.Contains("Search (500)", alert.Message, StringComparison.Ordinal);

        RunInterval(100);
        RunInterval(500, endpoint: "Search");

        Assert.Equal(2, _raised.Count(a => a.Kind == ResourceAlertKind.RequestRateSpike));
    }

    [Fact]
    public void AlertRaised_SpikeDuringWarmUp_IsNotJudged()
    {
        RunInterval(100);
        RunInterval(2000);

        Assert.Empty(_raised);
    }

    [Fact]
    public void AlertRaised_HighRatioOnFewRequests_IsNotASpike()
    {
        WarmUp(requestsPerInterval: 2);

        RunInterval(40);

        Assert.Empty(_raised);
    }

    [Fact]
    public void AlertRaised_EndpointErrorsJumpFromTwoToFiftyPercent_RaisesAnErrorRateSpikeForThatEndpoint()
    {
        WarmUp(requestsPerInterval: 100, failEvery: 50);

        RunInterval(100, failEvery: 2, endpoint: "Pay");

        var alert = Assert.Single(_raised);
        Assert.Equal(ResourceAlertKind.ErrorRateSpike, alert.Kind);
        Assert.Equal("Pay", alert.Source);
        Assert.Equal(0.5, alert.Observed, 6);
        Assert.Equal(0.1, alert.Threshold, 6);
        Assert.Equal("1", alert.Unit);
        Assert.Contains("50 of 100 calls failed", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AlertRaised_NewEndpointFailingFromTheStart_IsReportedWithoutWarmUp()
    {
        RunInterval(30, failEvery: 1, endpoint: "Broken");

        var alert = Assert.Single(_raised);
        Assert.Equal(ResourceAlertKind.ErrorRateSpike, alert.Kind);
        Assert.Equal(1.0, alert.Observed, 6);
    }

    [Fact]
    public void AlertRaised_AllocationPerRequestTwentyTimesTheBaseline_RaisesAnAllocationSpike()
    {
        WarmUp(requestsPerInterval: 100, bytesPerRequest: 10 * 1024);

        RunInterval(100, bytesPerRequest: 200 * 1024, endpoint: "Upload");

        var alert = Assert.Single(_raised);
        Assert.Equal(ResourceAlertKind.AllocationRateSpike, alert.Kind);
        Assert.Equal(200 * 1024, alert.Observed, 6);
        Assert.Equal(10 * 1024, alert.Baseline, 6);
        Assert.Equal("By/{request}", alert.Unit);
        Assert.Contains("200 KiB allocated per request", alert.Message, StringComparison.Ordinal);
        Assert.Contains("Upload (100)", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AlertRaised_SmallAllocationsGrowing_StayBelowTheAbsoluteFloor()
    {
        WarmUp(requestsPerInterval: 100, bytesPerRequest: 100);

        RunInterval(100, bytesPerRequest: 2000);

        Assert.Empty(_raised);
    }

    [Fact]
    public void AlertRaised_Spike_IsCountedLoggedAndKeptInTheHistory()
    {
        using var counter = new TagCounter(i => ReferenceEquals(i.Meter.Scope, _meters) && i.Name == "gopi.alerts", "alert.kind");
        WarmUp(requestsPerInterval: 100);

        RunInterval(1000);

        Assert.Equal(1, counter["request_rate_spike"]);
        var entry = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("Unusual resource usage (request_rate_spike, *): Request rate spike", entry.Message, StringComparison.Ordinal);
        Assert.Equal(_raised, _monitor.GetAlerts());
    }

    [Fact]
    public void AlertRaised_HandlerThrows_OtherHandlersRunAndTheFailureIsLogged()
    {
        var second = new List<ResourceAlert>();
        _monitor.AlertRaised += (_, _) => throw new InvalidOperationException("handler bug");
        _monitor.AlertRaised += (_, alert) => second.Add(alert);
        WarmUp(requestsPerInterval: 100);

        RunInterval(1000);

        Assert.Single(second);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
    }

    [Fact]
    public void CheckForUnusualUsage_AutomaticChecksOff_RunsOnlyWhenCalled()
    {
        var options = new ApiPerformanceMonitorOptions();
        options.UnusualUsage.EvaluationInterval = null;
        options.UnusualUsage.WarmupIntervals = 1;
        using var monitor = new ApiPerformanceMonitor(options, _time, null, () => 0);
        Record(monitor, 100, "A", 0);
        _time.Advance(Interval);
        Assert.Empty(monitor.GetAlerts());
        Assert.Empty(monitor.CheckForUnusualUsage());

        Record(monitor, 1000, "A", 0);
        _time.Advance(Interval);
        var alert = Assert.Single(monitor.CheckForUnusualUsage());

        Assert.Equal(ResourceAlertKind.RequestRateSpike, alert.Kind);
        Assert.Empty(monitor.CheckForUnusualUsage());
    }

    [Fact]
    public void Reset_ForgetsTheBaseline_SoTheNextIntervalsWarmUpAgain()
    {
        WarmUp(requestsPerInterval: 100);

        _monitor.Reset();
        RunInterval(1000);

        Assert.Empty(_raised);
    }

    [Fact]
    public void Options_SpikeFactorNotAboveOne_ThrowsNamingIt()
    {
        var options = new ApiPerformanceMonitorOptions();
        options.UnusualUsage.RequestRateSpikeFactor = 1.0;

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ApiPerformanceMonitor(options));

        Assert.Equal("UnusualUsageOptions.RequestRateSpikeFactor", ex.ParamName);
    }

    [Fact]
    public void UsageTimer_MonitorDroppedWithoutDispose_CanStillBeCollected()
    {
        var reference = CreateAndDrop();

        for (var i = 0; i < 5 && reference.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(reference.IsAlive);
    }

    // The automatic checks run on a timer; the monitor must not be kept alive by it.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference CreateAndDrop() => new(new ApiPerformanceMonitor());

    private static void Record(ApiPerformanceMonitor monitor, int requests, string endpoint, int failEvery)
    {
        for (var i = 0; i < requests; i++)
        {
            monitor.RecordRequest(endpoint, TimeSpan.FromMilliseconds(5), success: failEvery == 0 || i % failEvery != 0);
        }
    }

    private void WarmUp(int requestsPerInterval, int failEvery = 0, long bytesPerRequest = 1024)
    {
        for (var i = 0; i < _monitor.Options.UnusualUsage.WarmupIntervals; i++)
        {
            RunInterval(requestsPerInterval, failEvery, bytesPerRequest);
        }

        Assert.Empty(_raised);
    }

    private void RunInterval(int requests, int failEvery = 0, long bytesPerRequest = 1024, string endpoint = "Ask")
    {
        Record(_monitor, requests, endpoint, failEvery);
        _allocated += requests * bytesPerRequest;
        _time.Advance(Interval);
    }
}
