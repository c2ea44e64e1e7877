using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.Monitoring;

/// <summary>The memory-growth alert of the memory monitor.</summary>
public sealed partial class MemoryMonitor : IResourceAlertSource
{
    private readonly AlertLog _alertLog;
    private bool _growthAlertActive;

    /// <summary>
    /// Occurs when memory growth goes beyond the leak threshold: the last <see cref="MemoryMonitorOptions.SustainedSamples"/>
    /// samples all stayed above baseline × <see cref="MemoryMonitorOptions.LeakThreshold"/> without falling (the condition of
    /// <see cref="DetectLeaks"/>), checked on every sample. Raised once per episode: again only after usage has come back under
    /// the threshold or the baseline was reset. Each alert is also counted in <c>gopi.alerts</c> (meter
    /// <c>GopiAI.Toolkit.Memory</c>, tags <c>alert.kind</c> and <c>alert.source</c>) and logged to <see cref="AlertLogger"/>.
    /// </summary>
    public event EventHandler<ResourceAlert>? AlertRaised;

    /// <summary>
    /// Gets or sets where alerts are logged as warnings (default: nowhere). <c>AddGopiToolkit</c> sets it from the container's
    /// <see cref="ILoggerFactory"/>, for <see cref="Shared"/> too.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public ILogger AlertLogger
    {
        get => _alertLog.Logger;
        set => _alertLog.Logger = value;
    }

    /// <summary>Returns the most recent alerts (at most 100), oldest first.</summary>
    /// <returns>A snapshot of the alert history.</returns>
    public IReadOnlyList<ResourceAlert> GetAlerts() => _alertLog.Snapshot();

    private void CheckGrowth(MemoryStats stats)
    {
        if (!_options.RaiseGrowthAlerts)
        {
            return;
        }

        if (stats.GrowthFactor <= _options.LeakThreshold)
        {
            lock (_gate)
            {
                _growthAlertActive = false;
            }

            return;
        }

        var leak = DetectLeaks().FirstOrDefault();
        if (leak is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_growthAlertActive)
            {
                return;
            }

            _growthAlertActive = true;
        }

        var alert = new ResourceAlert(
            ResourceAlertKind.MemoryGrowth,
            leak.Metric,
            leak.CurrentUsage,
            leak.BaselineUsage,
            leak.BaselineUsage * _options.LeakThreshold,
            "By",
            stats.Timestamp,
            "Memory growth beyond the leak threshold: " + leak.Evidence);
        _alertLog.Publish(this, alert, AlertRaised);
    }
}
