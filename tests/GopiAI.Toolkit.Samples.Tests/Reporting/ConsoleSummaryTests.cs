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

    private static string Render(PerformanceReport report)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 240;
        ConsoleSummary.Write(console, report);
        return writer.ToString();
    }
}
