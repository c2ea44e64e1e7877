using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace GopiAI.Toolkit.Samples.Assistant.Monitoring;

/// <summary>
/// Writes log entries through the run's <see cref="IAnsiConsole"/>, one line per entry (<c>warn: Category[EventId] message</c>),
/// on the thread that logs. The sample's own output goes through the same console, whose writes are serialized, so a log line
/// and a line of output never split each other; with the framework's console logger (its own writer thread, writing past
/// the console) a warning could land in the middle of an alert line when the machine was busy.
/// </summary>
public sealed class AnsiConsoleLoggerProvider : ILoggerProvider
{
    private readonly IAnsiConsole _console;
    private readonly LogLevel _minimumLevel;

    /// <summary>Creates the provider.</summary>
    /// <param name="console">Where the entries are written.</param>
    /// <param name="minimumLevel">The lowest level written.</param>
    /// <exception cref="ArgumentNullException"><paramref name="console"/> is <see langword="null"/>.</exception>
    public AnsiConsoleLoggerProvider(IAnsiConsole console, LogLevel minimumLevel = LogLevel.Information)
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        _minimumLevel = minimumLevel;
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) =>
        _minimumLevel == LogLevel.None ? NullLogger.Instance : new ConsoleLogger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
        // The console belongs to the caller; nothing is buffered.
    }

    private static (string Label, Style Style) Label(LogLevel level) => level switch
    {
        LogLevel.Trace => ("trce", new Style(Color.Grey)),
        LogLevel.Debug => ("dbug", new Style(Color.Grey)),
        LogLevel.Information => ("info", new Style(Color.Green)),
        LogLevel.Warning => ("warn", new Style(Color.Yellow)),
        LogLevel.Error => ("fail", new Style(Color.Red)),
        _ => ("crit", new Style(Color.White, Color.Red)),
    };

    private sealed class ConsoleLogger(AnsiConsoleLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (string.IsNullOrEmpty(message) && exception is null)
            {
                return;
            }

            var (label, style) = Label(logLevel);
            var text = string.Create(CultureInfo.InvariantCulture, $": {category}[{eventId.Id}] {message}");
            if (exception is not null)
            {
                text += Environment.NewLine + exception;
            }

            // One renderable, one Write: the console writes it whole, between the other threads' writes.
            owner._console.Write(new Paragraph().Append(label, style).Append(text + Environment.NewLine));
        }
    }
}
