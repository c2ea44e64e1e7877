using GopiAI.Toolkit.Monitoring;

namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's bounded log of alerts and clean-ups. The dashboard fills it from the monitors' alert events
/// (<see cref="IResourceAlertSource.AlertRaised"/>: request-rate, error-rate and allocation spikes, memory growth, …) and
/// memory-pressure signals, and, through <see cref="DashboardAlertLoggerProvider"/>, from warnings the toolkit's
/// components log; an application can add its own with <see cref="Report(string, string, DashboardAlertSeverity, string)"/>.
/// Kinds are free-form strings, so a new kind of alert shows up without any change to the dashboard. A monitor's alert
/// that arrives both as an event and as its log line is kept once, structured. Thread-safe.
/// </summary>
public sealed class DashboardAlerts
{
    // How long a logged warning and a monitor's event about the same alert are recognised as one (the monitors log, then raise).
    private static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly LinkedList<Entry> _alerts = new();
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
        return Add(kind, message, severity, source, fromLog: false)!;
    }

    /// <summary>Records an alert a monitor raised (<see cref="ResourceAlert"/>), replacing the warning it logged about it.</summary>
    internal DashboardAlert Report(ResourceAlert alert, string monitor) =>
        Add(alert.Kind.ToString(), alert.Message, DashboardAlertSeverity.Warning, $"{monitor} ({alert.Source})", fromLog: false, alert.Timestamp)!;

    /// <summary>Records a logged warning, unless it is the log line of an alert a monitor has already reported structured.</summary>
    internal DashboardAlert? ReportLogged(string kind, string message, DashboardAlertSeverity severity, string category) =>
        Add(kind, message, severity, category, fromLog: true);

    /// <summary>Returns the kept alerts, newest first.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<DashboardAlert> GetAlerts()
    {
        lock (_gate)
        {
            return [.. _alerts.Select(e => e.Alert)];
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

    private DashboardAlert? Add(string kind, string message, DashboardAlertSeverity severity, string source, bool fromLog, DateTimeOffset? at = null)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            // A monitor logs an alert and raises it as an event: keep the structured one, drop its log line.
            for (var node = _alerts.First; node is not null && now - node.Value.RecordedAt <= DuplicateWindow; node = node.Next)
            {
                var other = node.Value;
                if (fromLog && !other.FromLog && message.Contains(other.Alert.Message, StringComparison.Ordinal))
                {
                    return null;
                }

                if (!fromLog && other.FromLog && other.Alert.Message.Contains(message, StringComparison.Ordinal))
                {
                    _alerts.Remove(node);
                    break;
                }
            }

            var alert = new DashboardAlert(++_nextAlertId, at ?? now, severity, kind, source, message);
            _alerts.AddFirst(new Entry(alert, fromLog, now));
            while (_alerts.Count > _capacity)
            {
                _alerts.RemoveLast();
            }

            return alert;
        }
    }

    internal DashboardCleanup AddCleanup(string level, string reason, long cacheEntriesBefore)
    {
        lock (_gate)
        {
            var cleanup = new DashboardCleanup(++_nextCleanupId, _time.GetUtcNow(), level, reason, cacheEntriesBefore, null, null);
            _cleanups.AddFirst(cleanup);
            while (_cleanups.Count > _capacity)
            {
                _cleanups.RemoveLast();
            }

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

    private readonly record struct Entry(DashboardAlert Alert, bool FromLog, DateTimeOffset RecordedAt);
}
