using GopiAI.Toolkit.AspNetCore.Dashboard;
using GopiAI.Toolkit.Monitoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.AspNetCore.Tests.Dashboard;

public sealed class DashboardAlertsTests
{
    private static readonly ResourceAlert Spike = new(ResourceAlertKind.RequestRateSpike, "*", 480, 40, 200, "{request}/s", DateTimeOffset.UnixEpoch, "Request rate 480/s is 12x the baseline of 40/s");
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Report_LogLineThenEvent_KeepsOneStructuredAlert()
    {
        var alerts = new DashboardAlerts(_time, 10);

        alerts.ReportLogged("LogAlert", $"Unusual resource usage (request_rate_spike, *): {Spike.Message}", DashboardAlertSeverity.Warning, "GopiAI.Toolkit.Monitoring.ApiPerformanceMonitor");
        alerts.Report(Spike, nameof(ApiPerformanceMonitor));

        var alert = Assert.Single(alerts.GetAlerts());
        Assert.Equal(nameof(ResourceAlertKind.RequestRateSpike), alert.Kind);
        Assert.Equal("ApiPerformanceMonitor (*)", alert.Source);
    }

    [Fact]
    public void Report_EventThenLogLine_DropsTheLogLine()
    {
        var alerts = new DashboardAlerts(_time, 10);

        alerts.Report(Spike, nameof(ApiPerformanceMonitor));
        Assert.Null(alerts.ReportLogged("LogAlert", $"Unusual resource usage (request_rate_spike, *): {Spike.Message}", DashboardAlertSeverity.Warning, "GopiAI.Toolkit.Monitoring.ApiPerformanceMonitor"));

        Assert.Single(alerts.GetAlerts());
    }

    [Fact]
    public void ReportLogged_SameTextLongAfter_IsANewAlert()
    {
        var alerts = new DashboardAlerts(_time, 10);
        alerts.Report(Spike, nameof(ApiPerformanceMonitor));

        _time.Advance(TimeSpan.FromMinutes(1));
        alerts.ReportLogged("LogAlert", $"Unusual resource usage (request_rate_spike, *): {Spike.Message}", DashboardAlertSeverity.Warning, "GopiAI.Toolkit.Monitoring.ApiPerformanceMonitor");

        Assert.Equal(2, alerts.GetAlerts().Count);
    }

    [Fact]
    public void Report_MoreThanCapacity_KeepsTheNewestFirst()
    {
        var alerts = new DashboardAlerts(_time, 3);

        for (var i = 1; i <= 5; i++)
        {
            alerts.Report("Custom", $"alert {i}");
        }

        Assert.Equal(["alert 5", "alert 4", "alert 3"], alerts.GetAlerts().Select(a => a.Message));
        Assert.Equal(5, alerts.TotalAlerts);
    }

    [Theory]
    [InlineData(LogLevel.Warning, "GopiAI.Toolkit.Anything", true)]
    [InlineData(LogLevel.Error, "GopiAI.Samples.App", true)]
    [InlineData(LogLevel.Information, "GopiAI.Toolkit.Anything", false)]
    [InlineData(LogLevel.Warning, "Microsoft.AspNetCore.Hosting", false)]
    public void LoggerProvider_Entry_BecomesAnAlertOnlyAboveTheLevelAndUnderThePrefix(LogLevel level, string category, bool expected)
    {
        var alerts = new DashboardAlerts(_time, 10);
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new DashboardAlertLoggerProvider(alerts)));

        loggers.CreateLogger(category).Log(level, new EventId(3, "CustomThing"), "something {Value}", 42);

        Assert.Equal(expected, alerts.GetAlerts().Count == 1);
        if (expected)
        {
            Assert.Equal("CustomThing", alerts.GetAlerts()[0].Kind);
            Assert.Equal("something 42", alerts.GetAlerts()[0].Message);
        }
    }
}
