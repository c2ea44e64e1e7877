using System.Globalization;
using GopiAI.Toolkit.Monitoring;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace GopiAI.Toolkit.Samples.Assistant.Monitoring;

/// <summary>
/// Shows the unusual-usage alerts of the toolkit's monitors while the assistant runs: each <see cref="ResourceAlert"/> goes to
/// the console as it is raised (the monitors' <c>AlertRaised</c> event) and to the alert logger as a warning. Disposing it
/// unsubscribes, so the process-wide monitors keep no reference to the console.
/// </summary>
public sealed class UnusualUsageConsole : IDisposable
{
    private readonly IAnsiConsole _console;
    private readonly IResourceAlertSource[] _sources;

    private UnusualUsageConsole(IAnsiConsole console, IResourceAlertSource[] sources)
    {
        _console = console;
        _sources = sources;
        foreach (var source in sources)
        {
            source.AlertRaised += OnAlert;
        }
    }

    /// <summary>Subscribes to the monitors' alerts and routes their log lines to <paramref name="logger"/>.</summary>
    /// <param name="console">Where each alert is announced.</param>
    /// <param name="logger">Receives the monitors' alert warnings.</param>
    /// <param name="memory">The memory monitor (memory growth beyond the leak threshold).</param>
    /// <param name="api">The request monitor (request-rate, error-rate and allocation spikes).</param>
    /// <returns>The subscription; dispose it to unsubscribe.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static UnusualUsageConsole Attach(IAnsiConsole console, ILogger logger, MemoryMonitor memory, ApiPerformanceMonitor api)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(api);
        memory.AlertLogger = logger;
        api.AlertLogger = logger;
        return new UnusualUsageConsole(console, [memory, api]);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var source in _sources)
        {
            source.AlertRaised -= OnAlert;
        }
    }

    private void OnAlert(object? sender, ResourceAlert alert) =>
        _console.MarkupLine(CultureInfo.InvariantCulture, "[yellow]AlertRaised event:[/] {0} on {1}", alert.Kind, Markup.Escape(alert.Source));
}
