using GopiAI.Toolkit.Samples.Assistant.Reporting;
using Spectre.Console;

namespace GopiAI.Toolkit.Samples.Tests.Reporting;

public sealed class ConsoleSummaryTests
{
    [Fact]
    public void Write_FullReport_PrintsEverySectionAndFigure()
    {
        var report = SampleReports.Full();

        var output = Render(report);

        Assert.All(ConsoleSummary.SectionTitles, title => Assert.Contains(title, output, StringComparison.Ordinal));
        Assert.Contains("KnowledgeBase.Search", output, StringComparison.Ordinal);
        Assert.Contains("50.0%", output, StringComparison.Ordinal);
        Assert.Contains("PromptScratchBuffer", output, StringComparison.Ordinal);
        Assert.Contains(report.Alerts[0], output, StringComparison.Ordinal);
        Assert.Contains(report.LeakWarnings[0], output, StringComparison.Ordinal);
        Assert.Contains(report.UnusualUsage[0], output, StringComparison.Ordinal);
        Assert.Contains(report.UnusualUsageThresholds, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_EmptyReport_SaysNothingWasFound()
    {
        var output = Render(new PerformanceReport());

        Assert.Contains("no alert raised", output, StringComparison.Ordinal);
        Assert.Contains("no unusual usage detected", output, StringComparison.Ordinal);
        Assert.Contains("no leak detected", output, StringComparison.Ordinal);
        Assert.Contains("no bottleneck found", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_MeanAboveP95_ShowsP50P99MaxAndExplainsTheMarkedRow()
    {
        var report = SampleReports.Full() with
        {
            Endpoints = [new("PromptAssembler.Assemble", 24, 0.73, 0.4, 0, [.. Enumerable.Repeat(0.4, 23), 8.0], P50Ms: 0.4, P99Ms: 8, MaxMs: 8)],
        };

        var output = Render(report);

        Assert.Matches(@"PromptAssembler\.Assemble\s+24\s+730 µs \*\s+400 µs\s+400 µs\s+8 ms\s+8 ms", output);
        Assert.Contains("percentiles: nearest-rank", output, StringComparison.Ordinal);
        Assert.Contains("* " + ReportText.MeanAboveP95[..40], output, StringComparison.Ordinal);
    }

    private static string Render(PerformanceReport report)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 240;
        ConsoleSummary.Write(console, report);
        return writer.ToString();
    }
}
