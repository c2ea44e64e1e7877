using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.Monitoring;

/// <summary>The unusual-usage alerts of the request monitor: request-rate, error-rate and allocation spikes.</summary>
public sealed partial class ApiPerformanceMonitor
{
    private readonly AlertLog _alertLog;
    private readonly UnusualUsageDetector _detector;
    private readonly Lock _usageGate = new();
    private readonly UsageTimer? _usageTimer;
    private CheckPoint _lastCheck;

    /// <summary>
    /// Occurs when a request-rate, error-rate or allocation spike starts (see <see cref="UnusualUsageOptions"/>). Raised on the
    /// thread that ran the check: a timer thread for the automatic checks. Each alert is also counted in <c>gopi.alerts</c>
    /// (meter <c>GopiAI.Toolkit.Monitoring</c>, tags <c>alert.kind</c> and <c>alert.source</c>) and logged to <see cref="AlertLogger"/>.
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

    /// <summary>
    /// Evaluates the interval since the previous check now: compares its request rate, per-endpoint error rates and bytes
    /// allocated per request with their baselines, raises <see cref="AlertRaised"/> for every condition that starts, and adds
    /// the interval to the baselines. The monitor does this on its own every <see cref="UnusualUsageOptions.EvaluationInterval"/>.
    /// </summary>
    /// <returns>The alerts this check raised; empty when usage is as usual (or no time has passed).</returns>
    public IReadOnlyList<ResourceAlert> CheckForUnusualUsage()
    {
        IReadOnlyList<ResourceAlert> alerts;
        lock (_usageGate)
        {
            var now = CheckPoint.Take(this);
            var last = _lastCheck;
            if (now.Timestamp <= last.Timestamp || now.Requests < last.Requests || now.AllocatedBytes < last.AllocatedBytes)
            {
                _lastCheck = now;
                return [];
            }

            // Request numbers, not timestamps, say which samples fall in the interval: they are exact even when the clock stands still.
            var endpoints = new Dictionary<string, EndpointCounts>(StringComparer.Ordinal);
            foreach (var sample in Snapshot())
            {
                if (sample.Sequence > last.Requests && sample.Sequence <= now.Requests)
                {
                    var counts = endpoints.GetValueOrDefault(sample.Endpoint);
                    endpoints[sample.Endpoint] = new EndpointCounts(counts.Requests + 1, counts.Errors + (sample.Success ? 0 : 1));
                }
            }

            alerts = _detector.Evaluate(new UsageInterval(
                _time.GetUtcNow(),
                _time.GetElapsedTime(last.Timestamp, now.Timestamp),
                now.Requests - last.Requests,
                Math.Max(0, now.AllocatedBytes - last.AllocatedBytes),
                endpoints));
            _lastCheck = now;
        }

        foreach (var alert in alerts)
        {
            _alertLog.Publish(this, alert, AlertRaised);
        }

        return alerts;
    }

    private void ResetUsageBaseline()
    {
        lock (_usageGate)
        {
            _detector.Reset();
            _lastCheck = CheckPoint.Take(this);
        }
    }

    private void OnUsageTimer()
    {
        try
        {
            CheckForUnusualUsage();
        }
        catch (Exception ex)
        {
            // A timer callback must not throw: that would end the process.
            AlertLog.LogCheckFailed(AlertLogger, ex);
        }
    }

    /// <summary>The counters at the end of one evaluation interval.</summary>
    private readonly record struct CheckPoint(long Timestamp, long Requests, long AllocatedBytes)
    {
        public static CheckPoint Take(ApiPerformanceMonitor monitor) =>
            new(monitor._time.GetTimestamp(), monitor.TotalRequests, monitor._allocatedBytes());
    }

    /// <summary>
    /// Runs the automatic checks. It holds the monitor weakly, so a monitor that is dropped without being disposed can still be
    /// collected (the timer then stops itself).
    /// </summary>
    private sealed class UsageTimer : IDisposable
    {
        private readonly WeakReference<ApiPerformanceMonitor> _monitor;
        private readonly ITimer _timer;

        public UsageTimer(ApiPerformanceMonitor monitor, TimeProvider time, TimeSpan interval)
        {
            _monitor = new WeakReference<ApiPerformanceMonitor>(monitor);
            _timer = time.CreateTimer(static state => ((UsageTimer)state!).Tick(), this, interval, interval);
        }

        public void Dispose() => _timer.Dispose();

        private void Tick()
        {
            if (_monitor.TryGetTarget(out var monitor))
            {
                monitor.OnUsageTimer();
            }
            else
            {
                _timer?.Dispose();
            }
        }
    }
}
