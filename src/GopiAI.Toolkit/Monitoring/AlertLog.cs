using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GopiAI.Toolkit.Monitoring;

/// <summary>
/// What every monitor does with an alert: keeps it in a bounded history, counts it in <c>gopi.alerts</c> (tags
/// <c>alert.kind</c>, <c>alert.source</c>), writes a warning and raises the monitor's event, isolating failing handlers.
/// </summary>
internal sealed partial class AlertLog
{
    /// <summary>Alerts kept per monitor.</summary>
    internal const int HistorySize = 100;

    private readonly Queue<ResourceAlert> _history = new();
    private readonly Lock _gate = new();
    private readonly Counter<long> _counter;
    private ILogger _logger = NullLogger.Instance;

    public AlertLog(Meter meter) =>
        _counter = meter.CreateCounter<long>("gopi.alerts", "{alert}", "Unusual resource usage alerts raised by the monitor, tagged alert.kind and alert.source.");

    /// <summary>Gets or sets where alerts are logged (the monitors' <c>AlertLogger</c>).</summary>
    public ILogger Logger
    {
        get => Volatile.Read(ref _logger);
        set => Volatile.Write(ref _logger, Throw.IfNull(value));
    }

    public IReadOnlyList<ResourceAlert> Snapshot()
    {
        lock (_gate)
        {
            return [.. _history];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _history.Clear();
        }
    }

    public void Publish(object sender, ResourceAlert alert, EventHandler<ResourceAlert>? handlers)
    {
        var logger = Logger;
        lock (_gate)
        {
            _history.Enqueue(alert);
            while (_history.Count > HistorySize)
            {
                _history.Dequeue();
            }
        }

        _counter.Add(1, new KeyValuePair<string, object?>("alert.kind", alert.KindName), new KeyValuePair<string, object?>("alert.source", alert.Source));
        LogAlert(logger, alert.KindName, alert.Source, alert.Message);
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<ResourceAlert>>())
        {
            try
            {
                handler(sender, alert);
            }
            catch (Exception ex)
            {
                LogHandlerFailed(logger, ex, alert.KindName);
            }
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Unusual resource usage ({AlertKind}, {AlertSource}): {AlertMessage}")]
    private static partial void LogAlert(ILogger logger, string alertKind, string alertSource, string alertMessage);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "The unusual-usage check failed")]
    internal static partial void LogCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "An AlertRaised handler failed for a {AlertKind} alert")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string alertKind);
}
