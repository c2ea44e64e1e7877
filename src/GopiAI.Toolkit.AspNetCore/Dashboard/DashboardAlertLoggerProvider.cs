using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>
/// Turns log entries into dashboard alerts: every entry at or above a minimum level (Warning by default) whose category
/// starts with a prefix (<c>GopiAI.</c> by default). The alert's kind is the entry's event name (or id), its source the
/// category. This is how alerts that the toolkit's monitors log, including kinds added later, reach the page without the
/// dashboard knowing them. <c>AddGopiDashboard</c> registers one; add one to another <see cref="ILoggerFactory"/> with
/// <c>builder.AddProvider(…)</c>.
/// </summary>
public sealed class DashboardAlertLoggerProvider : ILoggerProvider
{
    private readonly DashboardAlerts _alerts;
    private readonly string _categoryPrefix;
    private readonly LogLevel _minimumLevel;

    /// <summary>Creates the provider.</summary>
    /// <param name="alerts">Where the alerts go.</param>
    /// <param name="categoryPrefix">Only categories that start with it are taken (ordinal); empty takes every category.</param>
    /// <param name="minimumLevel">The lowest level taken.</param>
    /// <exception cref="ArgumentNullException"><paramref name="alerts"/> or <paramref name="categoryPrefix"/> is <see langword="null"/>.</exception>
    public DashboardAlertLoggerProvider(DashboardAlerts alerts, string categoryPrefix = "GopiAI.", LogLevel minimumLevel = LogLevel.Warning)
    {
        _alerts = Throw.IfNull(alerts);
        _categoryPrefix = Throw.IfNull(categoryPrefix);
        _minimumLevel = minimumLevel;
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(_categoryPrefix, StringComparison.Ordinal) && _minimumLevel != LogLevel.None
            ? new AlertLogger(this, categoryName)
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <inheritdoc/>
    public void Dispose()
    {
        // The alerts outlive the logger factory; nothing to release.
    }

    private static DashboardAlertSeverity Severity(LogLevel level) => level switch
    {
        LogLevel.Critical => DashboardAlertSeverity.Critical,
        LogLevel.Error => DashboardAlertSeverity.Error,
        LogLevel.Warning => DashboardAlertSeverity.Warning,
        _ => DashboardAlertSeverity.Information,
    };

    private sealed class AlertLogger(DashboardAlertLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (exception is not null)
            {
                message = $"{message} ({exception.GetType().Name}: {exception.Message})";
            }

            if (string.IsNullOrWhiteSpace(message))
            {
                return;
            }

            var kind = !string.IsNullOrEmpty(eventId.Name) ? eventId.Name
                : eventId.Id != 0 ? $"{ShortCategory()}#{eventId.Id}"
                : ShortCategory();
            owner._alerts.ReportLogged(kind, message, Severity(logLevel), category);
        }

        private string ShortCategory() => category[(category.LastIndexOf('.') + 1)..] is { Length: > 0 } last ? last : category;
    }
}
