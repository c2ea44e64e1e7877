using GopiAI.Toolkit.Samples.Assistant.Monitoring;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace GopiAI.Toolkit.Samples.Tests.Assistant;

public sealed class AnsiConsoleLoggerProviderTests
{
    private const string Category = "GopiAI.Toolkit.Samples.Assistant.Alerts";

    private readonly StringWriter _writer = new();
    private readonly IAnsiConsole _console;

    public AnsiConsoleLoggerProviderTests()
    {
        // As the sample's output is when redirected: no ANSI, so the console writes a line segment by segment.
        _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        _console.Profile.Width = 200;
    }

    [Fact]
    public void Log_Warning_WritesOneLineWithLevelCategoryEventIdAndMessage()
    {
        using var provider = new AnsiConsoleLoggerProvider(_console, LogLevel.Warning);

        provider.CreateLogger(Category).Log(LogLevel.Warning, new EventId(1, "MemoryUsage"), "Memory usage alert: heap above 141 MB.", null, (s, _) => s);

        Assert.Equal([$"warn: {Category}[1] Memory usage alert: heap above 141 MB."], Lines());
    }

    [Fact]
    public void Log_BelowMinimumLevel_WritesNothing()
    {
        using var provider = new AnsiConsoleLoggerProvider(_console, LogLevel.Warning);
        var logger = provider.CreateLogger(Category);

        logger.Log(LogLevel.Information, default, "routine", null, (s, _) => s);

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Error));
        Assert.Empty(Lines());
    }

    [Fact]
    public void Log_WithException_WritesTheExceptionAfterTheMessage()
    {
        using var provider = new AnsiConsoleLoggerProvider(_console, LogLevel.Warning);

        provider.CreateLogger(Category).Log(LogLevel.Error, new EventId(101), "An AlertRaised handler failed", new InvalidOperationException("handler broke"), (s, _) => s);

        var lines = Lines();
        Assert.Equal($"fail: {Category}[101] An AlertRaised handler failed", lines[0]);
        Assert.Contains(lines, l => l.Contains("System.InvalidOperationException: handler broke", StringComparison.Ordinal));
    }

    [Fact]
    public void Log_FromAnotherThreadWhileTheConsoleIsMidLine_WritesItsLineAfterThatLine()
    {
        const string Event = "AlertRaised event: MemoryGrowth on managed heap";
        const string Message = "Unusual resource usage (memory_growth, managed heap): Memory growth beyond the leak threshold";
        ILogger? logger = null;
        Thread? logging = null;

        // The sample's shape: the monitor's warning is logged on one thread while the console writes the alert's styled line
        // on another. The writer stops after the line's first segment and lets the other thread log; with the framework's
        // console logger the warning landed right there, inside the alert line.
        var writer = new InterruptingWriter("AlertRaised event:", () =>
        {
            logging = new Thread(() => logger!.Log(LogLevel.Warning, new EventId(100), Message, null, (s, _) => s));
            logging.Start();
            SpinWait.SpinUntil(() => (logging.ThreadState & (ThreadState.WaitSleepJoin | ThreadState.Stopped)) != 0);
        });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 200;
        using var provider = new AnsiConsoleLoggerProvider(console, LogLevel.Warning);
        logger = provider.CreateLogger(Category);

        console.MarkupLine("[yellow]AlertRaised event:[/] {0} on {1}", "MemoryGrowth", "managed heap");
        logging!.Join();

        Assert.Equal([Event, $"warn: {Category}[100] {Message}"], Lines(writer));
    }

    private static string[] Lines(StringWriter writer) =>
        [.. writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).Where(l => l.Length > 0)];

    private string[] Lines() => Lines(_writer);

    /// <summary>Runs an action once, right after the first write that contains a trigger.</summary>
    private sealed class InterruptingWriter(string trigger, Action interrupt) : StringWriter
    {
        private bool _fired;

        public override void Write(string? value)
        {
            base.Write(value);
            if (!_fired && value is not null && value.Contains(trigger, StringComparison.Ordinal))
            {
                _fired = true;
                interrupt();
            }
        }
    }
}
