using System.Diagnostics;

namespace GopiAI.Toolkit.Monitoring;

/// <summary>
/// Times one call without allocating: <see cref="Start(string)"/> takes a timestamp (and starts an <see cref="Activity"/> only
/// when something listens to <see cref="ApiPerformanceMonitor.ActivitySource"/>); <see cref="Stop(bool, bool)"/> records the
/// duration in the <c>gopi.call.duration</c> histogram (meter <c>GopiAI.Toolkit.Monitoring</c>, tags <c>endpoint</c>,
/// <c>outcome</c>, <c>cache.hit</c>) and in the monitor's sliding window. Generated <c>[Monitored]</c> code uses it.
/// </summary>
/// <remarks>Stop a scope once. A <see langword="default"/> scope is inert: <see cref="Stop(bool, bool)"/> returns <see cref="TimeSpan.Zero"/> and records nothing.</remarks>
public readonly struct MonitoredScope
{
    private readonly string? _endpoint;
    private readonly ApiPerformanceMonitor? _monitor;
    private readonly Activity? _activity;
    private readonly long _start;

    private MonitoredScope(string endpoint, ApiPerformanceMonitor monitor, Activity? activity, long start)
    {
        _endpoint = endpoint;
        _monitor = monitor;
        _activity = activity;
        _start = start;
    }

    /// <summary>Gets the endpoint this scope times, or <see langword="null"/> for a default scope.</summary>
    public string? Endpoint => _endpoint;

    /// <summary>Gets the activity started for this call, or <see langword="null"/> when nobody listens.</summary>
    public Activity? Activity => _activity;

    /// <summary>Starts timing a call to <paramref name="endpoint"/>, reporting to <see cref="ApiPerformanceMonitor.Shared"/>.</summary>
    /// <param name="endpoint">The endpoint name (use a bounded set of names: it becomes a metric tag).</param>
    /// <returns>The running scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is null or empty.</exception>
    public static MonitoredScope Start(string endpoint) => Start(endpoint, ApiPerformanceMonitor.Shared);

    /// <summary>Starts timing a call to <paramref name="endpoint"/>, reporting to <paramref name="monitor"/>.</summary>
    /// <param name="endpoint">The endpoint name (use a bounded set of names: it becomes a metric tag).</param>
    /// <param name="monitor">The monitor that receives the sample.</param>
    /// <returns>The running scope.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="monitor"/> is <see langword="null"/>.</exception>
    public static MonitoredScope Start(string endpoint, ApiPerformanceMonitor monitor)
    {
        if (string.IsNullOrEmpty(endpoint))
        {
            Throw.IfNullOrWhiteSpace(endpoint);
        }

        Throw.IfNull(monitor);
        var source = ApiPerformanceMonitor.ActivitySource;
        var activity = source.HasListeners() ? source.StartActivity(endpoint, ActivityKind.Internal) : null;
        return new MonitoredScope(endpoint, monitor, activity, monitor.GetTimestamp());
    }

    /// <summary>Stops timing and records the call.</summary>
    /// <param name="success">Whether the call succeeded.</param>
    /// <param name="cacheHit">Whether the result came from a cache.</param>
    /// <returns>The elapsed time.</returns>
    public TimeSpan Stop(bool success, bool cacheHit = false)
    {
        var monitor = _monitor;
        if (monitor is null)
        {
            return TimeSpan.Zero;
        }

        var end = monitor.GetTimestamp();
        var elapsed = new TimeSpan(monitor.ElapsedTicks(_start, end));
        monitor.RecordCore(_endpoint!, elapsed.Ticks, success, cacheHit, end);
        if (monitor.Duration.Enabled)
        {
            monitor.RecordHistogram(_endpoint!, elapsed, success, cacheHit);
        }

        if (_activity is { } activity)
        {
            activity.SetStatus(success ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
            activity.SetTag("cache.hit", cacheHit);
            activity.Stop();
        }

        return elapsed;
    }
}
