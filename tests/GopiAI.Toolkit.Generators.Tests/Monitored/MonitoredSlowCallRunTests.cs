using GopiAI.Toolkit.Generators.Tests.Infrastructure;

namespace GopiAI.Toolkit.Generators.Tests.Monitored;

/// <summary>Compiles a [Monitored] method with a slow-call threshold and checks the warning its logger receives.</summary>
[Collection(RunCollection.Name)]
public sealed class MonitoredSlowCallRunTests
{
    [Fact]
    public void Work_SlowerThanThreshold_LogsOneWarningThroughTheDefinedMessage()
    {
        using var assembly = GeneratorHarness.CompileAndLoad("""
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using GopiAI.Toolkit;
            using Microsoft.Extensions.Logging;

            namespace SlowRun;

            public sealed class ListLogger : ILogger
            {
                public List<string> Lines { get; } = new();
                public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
                public bool IsEnabled(LogLevel logLevel) => true;
                public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                    Lines.Add(logLevel + "|" + eventId.Id + "|" + eventId.Name + "|" + formatter(state, exception));
            }

            public partial class Slow
            {
                private readonly ILogger _logger = new ListLogger();

                public ListLogger Logger => (ListLogger)_logger;

                [Monitored(Name = "SlowRun.Work", SlowThresholdMs = 1)]
                public partial int Work(int delay);

                private int WorkCore(int delay)
                {
                    Thread.Sleep(delay);
                    return delay;
                }
            }
            """);
        var slow = assembly.Create("SlowRun.Slow");

        Assert.Equal(30, (int)slow.Work(30));

        List<string> lines = slow.Logger.Lines;
        var line = Assert.Single(lines);
        Assert.StartsWith("Warning|1|SlowCall|Slow call to SlowRun.Work: ", line, StringComparison.Ordinal);
        Assert.EndsWith(" ms (threshold 1 ms)", line, StringComparison.Ordinal);
    }
}
