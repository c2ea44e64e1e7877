using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>Settings of the live dashboard (<c>MapGopiDashboard</c> / <c>AddGopiDashboard</c>).</summary>
public sealed class GopiDashboardOptions
{
    /// <summary>Gets or sets the page title (default <c>GopiAI.Toolkit dashboard</c>).</summary>
    public string Title { get; set; } = "GopiAI.Toolkit dashboard";

    /// <summary>Gets or sets how often the dashboard samples the runtime and pushes an event to connected pages (default 1 s, at least 50 ms).</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many time-series points are kept (default 300: five minutes at one point a second).</summary>
    public int HistoryLength { get; set; } = 300;

    /// <summary>Gets or sets how many alerts and clean-ups are kept and shown (default 100 each).</summary>
    public int MaxAlerts { get; set; } = 100;

    /// <summary>Gets or sets how often the registered <see cref="IDashboardStatisticsSource"/>s are read (default 5 s).</summary>
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how often bottlenecks and optimisation suggestions are recomputed (default 5 s; they sort the whole window).</summary>
    public TimeSpan AnalysisInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long a browser waits before reconnecting the event stream, sent as the SSE <c>retry</c> field (default 2 s).</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Gets or sets the logger category prefix whose entries become alerts, through the logger provider that
    /// <c>AddGopiDashboard</c> registers (default <c>GopiAI.</c>: the toolkit's components and apps named like it).
    /// </summary>
    public string AlertLogCategoryPrefix { get; set; } = "GopiAI.";

    /// <summary>Gets or sets the lowest log level that becomes an alert (default <see cref="LogLevel.Warning"/>).</summary>
    public LogLevel AlertLogMinimumLevel { get; set; } = LogLevel.Warning;

    /// <summary>Gets or sets the time source (default <see cref="TimeProvider.System"/>; tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        Throw.IfNullOrWhiteSpace(Title, nameof(Title));
        if (SampleInterval < TimeSpan.FromMilliseconds(50))
        {
            throw new ArgumentOutOfRangeException(nameof(SampleInterval), SampleInterval, "GopiDashboardOptions.SampleInterval must be at least 50 ms.");
        }

        Throw.IfNotPositive(HistoryLength, nameof(HistoryLength));
        Throw.IfNotPositive(MaxAlerts, nameof(MaxAlerts));
        Throw.IfNotPositive(StatisticsInterval, paramName: nameof(StatisticsInterval));
        Throw.IfNotPositive(AnalysisInterval, paramName: nameof(AnalysisInterval));
        Throw.IfNotPositive(ReconnectDelay, paramName: nameof(ReconnectDelay));
        Throw.IfNull(AlertLogCategoryPrefix, nameof(AlertLogCategoryPrefix));
        Throw.IfNull(TimeProvider, nameof(TimeProvider));
    }
}
