namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's bounded log of alerts and clean-ups. The dashboard fills it from the monitors (memory-pressure signals,
/// suspected leaks, new bottlenecks) and, through <see cref="DashboardAlertLoggerProvider"/>, from warnings the toolkit's
/// components log; an application can add its own with <see cref="Report"/>. Kinds are free-form strings, so a new kind of
/// alert shows up without any change to the dashboard. Thread-safe.
/// </summary>
public sealed class DashboardAlerts
{
    private readonly Lock _gate = new();
    private readonly LinkedList<DashboardAlert> _alerts = new();
    private readonly LinkedList<DashboardCleanup> _cleanups = new();
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private long _nextAlertId;
    private long _nextCleanupId;

    /// <summary>Creates an alert log that keeps the 100 most recent alerts and clean-ups.</summary>
    public DashboardAlerts()
        : this(TimeProvider.System, 100)
    {
    }

    /// <summary>Creates an alert log.</summary>
    /// <param name="timeProvider">Stamps the alerts.</param>
    /// <param name="capacity">How many alerts (and, separately, clean-ups) are kept; older ones are dropped.</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public DashboardAlerts(TimeProvider timeProvider, int capacity)
    {
        _time = Throw.IfNull(timeProvider);
        _capacity = Throw.IfNotPositive(capacity);
    }

    /// <summary>Gets the number of alerts reported since creation (including dropped ones).</summary>
    public long TotalAlerts => Interlocked.Read(ref _nextAlertId);

    /// <summary>Records an alert.</summary>
    /// <param name="kind">What kind of alert it is (for example <c>SlowEndpoint</c>); shown and filterable on the page.</param>
    /// <param name="message">What happened, with the figures.</param>
    /// <param name="severity">How serious it is.</param>
    /// <param name="source">Who raised it (default <c>application</c>).</param>
    /// <returns>The recorded alert.</returns>
    /// <exception cref="ArgumentException"><paramref name="kind"/> or <paramref name="message"/> is null, empty or white space.</exception>
    public DashboardAlert Report(string kind, string message, DashboardAlertSeverity severity = DashboardAlertSeverity.Warning, string source = "application")
    {
        Throw.IfNullOrWhiteSpace(kind);
        Throw.IfNullOrWhiteSpace(message);
        Throw.IfNullOrWhiteSpace(source);
        lock (_gate)
        {
            var alert = new DashboardAlert(++_nextAlertId, _time.GetUtcNow(), severity, kind, source, message);
            Append(_alerts, alert);
            return alert;
        }
    }

    /// <summary>Returns the kept alerts, newest first.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<DashboardAlert> GetAlerts()
    {
        lock (_gate)
        {
            return [.. _alerts];
        }
    }

    /// <summary>Returns the kept clean-ups, newest first.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<DashboardCleanup> GetCleanups()
    {
        lock (_gate)
        {
            return [.. _cleanups];
        }
    }

    internal DashboardCleanup AddCleanup(string level, string reason, long cacheEntriesBefore)
    {
        lock (_gate)
        {
            var cleanup = new DashboardCleanup(++_nextCleanupId, _time.GetUtcNow(), level, reason, cacheEntriesBefore, null, null);
            Append(_cleanups, cleanup);
            return cleanup;
        }
    }

    /// <summary>Fills in what the caches and pools held after the clean-ups that are still waiting for it.</summary>
    internal void CompleteCleanups(long cacheEntriesAfter, Func<DashboardCleanup, long> drainedSince)
    {
        lock (_gate)
        {
            for (var node = _cleanups.First; node is not null && node.Value.CacheEntriesAfter is null; node = node.Next)
            {
                node.Value = node.Value with { CacheEntriesAfter = cacheEntriesAfter, PooledObjectsDrained = drainedSince(node.Value) };
            }
        }
    }

    private void Append<T>(LinkedList<T> list, T item)
    {
        list.AddFirst(item);
        while (list.Count > _capacity)
        {
            list.RemoveLast();
        }
    }
}
