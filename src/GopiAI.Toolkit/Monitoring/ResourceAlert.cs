using System.Text.Json;

namespace GopiAI.Toolkit.Monitoring;

/// <summary>What a <see cref="ResourceAlert"/> reports. New kinds may be added in later versions: show unknown ones generically.</summary>
public enum ResourceAlertKind
{
    /// <summary>Requests per second over the last evaluation interval are far above their baseline (possible abuse or a retry storm).</summary>
    RequestRateSpike,

    /// <summary>An endpoint's share of failed calls over the last evaluation interval is far above its baseline.</summary>
    ErrorRateSpike,

    /// <summary>Bytes allocated per request over the last evaluation interval are far above their baseline (hostile or oversized input, a regression).</summary>
    AllocationRateSpike,

    /// <summary>Memory stayed above the leak threshold (baseline × <see cref="MemoryMonitorOptions.LeakThreshold"/>) for the sustained number of samples while not falling.</summary>
    MemoryGrowth,
}

/// <summary>
/// One alert about unusual resource usage, raised by a monitor (<see cref="ApiPerformanceMonitor"/> or
/// <see cref="MemoryMonitor"/>) through <see cref="IResourceAlertSource.AlertRaised"/>, counted in <c>gopi.alerts</c> and logged
/// as a warning. An alert is raised when a condition starts; it is raised again only after the condition has cleared.
/// </summary>
/// <param name="Kind">What was detected.</param>
/// <param name="Source">What it concerns: an endpoint name, <c>*</c> for the whole process, or <c>managed heap</c>.</param>
/// <param name="Observed">The measured value, in <paramref name="Unit"/>.</param>
/// <param name="Baseline">The normal value it was compared with, in <paramref name="Unit"/>.</param>
/// <param name="Threshold">The value it crossed, in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit of the three figures: <c>{request}/s</c>, <c>1</c> (a ratio), <c>By/{request}</c> or <c>By</c>.</param>
/// <param name="Timestamp">When it was detected (from the monitor's <see cref="TimeProvider"/>).</param>
/// <param name="Message">A one-line explanation with the figures.</param>
public sealed record ResourceAlert(
    ResourceAlertKind Kind,
    string Source,
    double Observed,
    double Baseline,
    double Threshold,
    string Unit,
    DateTimeOffset Timestamp,
    string Message)
{
    /// <summary>Gets the kind as written in the <c>alert.kind</c> metric tag and in logs (snake case, e.g. <c>request_rate_spike</c>).</summary>
    public string KindName => JsonNamingPolicy.SnakeCaseLower.ConvertName(Kind.ToString());
}

/// <summary>A monitor that raises <see cref="ResourceAlert"/>s; dashboards and reports read every source the same way.</summary>
public interface IResourceAlertSource
{
    /// <summary>Occurs when an alert is raised, on the thread that detected it (a timer thread for automatic checks). A handler that throws is logged and does not stop the others.</summary>
    event EventHandler<ResourceAlert>? AlertRaised;

    /// <summary>Returns the most recent alerts, oldest first (a bounded history).</summary>
    /// <returns>A snapshot of the history.</returns>
    IReadOnlyList<ResourceAlert> GetAlerts();
}
