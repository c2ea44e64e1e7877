using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Tests.Monitoring;

/// <summary>The memory-growth alert, driven by a fake clock: the monitor samples on its own every minute.</summary>
public sealed class MemoryMonitorAlertsTests : IDisposable
{
    private const long Mb = 1024 * 1024;
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TestMeterFactory _meters = new();
    private readonly CapturingLogger _logger = new();
    private readonly List<ResourceAlert> _raised = [];
    private readonly MemoryMonitor _monitor;
    private long _usage = 100 * Mb;

    public MemoryMonitorAlertsTests()
    {
        _monitor = new MemoryMonitor(new MemoryMonitorOptions { SamplingInterval = Interval }, _time, _meters, () => _usage) { AlertLogger = _logger };
        _monitor.AlertRaised += (_, alert) => _raised.Add(alert);
    }

    public void Dispose()
    {
        _monitor.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public void AlertRaised_GrowthSustainedBeyondTheLeakThreshold_RaisesOneMemoryGrowthAlert()
    {
        using var counter = new TagCounter(i => ReferenceEquals(i.Meter.Scope, _meters) && i.Name == "gopi.alerts", "alert.kind");
        Sample(100);
        foreach (var mb in new long[] { 160, 170, 180, 190 })
        {
            Sample(mb);
        }

        Assert.Empty(_raised);
        Sample(200);
        Sample(210);

        var alert = Assert.Single(_raised);
        Assert.Equal(ResourceAlertKind.MemoryGrowth, alert.Kind);
        Assert.Equal("managed heap", alert.Source);
        Assert.Equal(200 * Mb, alert.Observed);
        Assert.Equal(100 * Mb, alert.Baseline);
        Assert.Equal(150 * Mb, alert.Threshold);
        Assert.Equal("By", alert.Unit);
        Assert.StartsWith("Memory growth beyond the leak threshold: Managed memory stayed above 1.5x the baseline", alert.Message, StringComparison.Ordinal);
        Assert.Equal(1, counter["memory_growth"]);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("(memory_growth, managed heap)", StringComparison.Ordinal));
        Assert.Equal(_raised, _monitor.GetAlerts());
    }

    [Fact]
    public void AlertRaised_UsageFallsBackThenGrowsAgain_RaisesASecondAlert()
    {
        Sample(100);
        foreach (var mb in new long[] { 160, 170, 180, 190, 200 })
        {
            Sample(mb);
        }

        Sample(120);
        foreach (var mb in new long[] { 160, 170, 180, 190, 200 })
        {
            Sample(mb);
        }

        Assert.Equal(2, _raised.Count);
    }

    [Fact]
    public void AlertRaised_GrowthNotSustained_RaisesNothing()
    {
        Sample(100);
        foreach (var mb in new long[] { 160, 120, 170, 130, 180, 140, 190 })
        {
            Sample(mb);
        }

        Assert.Empty(_raised);
    }

    [Fact]
    public void AlertRaised_GrowthAlertsOff_RaisesNothing()
    {
        using var monitor = new MemoryMonitor(new MemoryMonitorOptions { RaiseGrowthAlerts = false }, _time, null, () => _usage);
        var raised = 0;
        monitor.AlertRaised += (_, _) => raised++;

        monitor.TrackMemory();
        for (var i = 0; i < 10; i++)
        {
            _usage += 50 * Mb;
            monitor.TrackMemory();
        }

        Assert.NotEmpty(monitor.DetectLeaks());
        Assert.Equal(0, raised);
    }

    private void Sample(long mb)
    {
        _usage = mb * Mb;
        _time.Advance(Interval);
    }
}
