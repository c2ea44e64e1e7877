using System.Globalization;
using Spectre.Console;

namespace GopiAI.Toolkit.Samples.Assistant.Reporting;

/// <summary>Writes the performance summary to the console: the same <see cref="PerformanceReport"/> the HTML report draws.</summary>
public static class ConsoleSummary
{
    /// <summary>The section titles, in order; tests look for them in the output.</summary>
    public static readonly IReadOnlyList<string> SectionTitles =
    [
        "Startup timeline",
        "Cache hit rates",
        "Object pools",
        "Monitored endpoints",
        "Memory",
        "Alerts",
        "Unusual resource usage",
        "Bottlenecks and suggestions",
    ];

    /// <summary>Writes the summary.</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="report">The report.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(IAnsiConsole console, PerformanceReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        console.Write(new Rule("[bold]Performance summary[/]").LeftJustified());

        Section(console, SectionTitles[0]);
        var total = report.Startup.Count == 0 ? 0 : report.Startup.Max(s => s.End.TotalMilliseconds);
        var startup = new Table().Border(TableBorder.Simple).AddColumns("Task / component", "Kind", "Start", "Duration", "Timeline");
        foreach (var span in report.Startup.OrderBy(s => s.Start))
        {
            startup.AddRow(Markup.Escape(span.Name), span.Kind, SvgCharts.FormatMs(span.Start.TotalMilliseconds), SvgCharts.FormatMs(span.Duration.TotalMilliseconds), Gantt(span, total, 30));
        }

        console.Write(startup);

        Section(console, SectionTitles[1]);
        var caches = new Table().Border(TableBorder.Simple).AddColumns("Cache", "Kind", "Hits", "Misses", "Hit rate", "Size", "Evictions");
        foreach (var cache in report.Caches)
        {
            caches.AddRow(Markup.Escape(cache.Name), Markup.Escape(cache.Kind), N(cache.Hits), N(cache.Misses), P(cache.HitRate), $"{N(cache.Size)}/{N(cache.MaxSize)}", N(cache.Evictions));
        }

        console.Write(caches);

        Section(console, SectionTitles[2]);
        var pools = new Table().Border(TableBorder.Simple).AddColumns("Pool", "Created", "Rented", "Returned", "Outstanding", "Reuse");
        foreach (var pool in report.Pools)
        {
            pools.AddRow(Markup.Escape(pool.Name), N(pool.Created), N(pool.Rented), N(pool.Returned), N(pool.Outstanding), P(pool.ReuseRate));
        }

        console.Write(pools);

        Section(console, SectionTitles[3]);
        var endpoints = new Table().Border(TableBorder.Simple).AddColumns("Endpoint", "Calls", "Avg", "p50", "p95", "p99", "Max", "Error rate");
        foreach (var endpoint in report.Endpoints)
        {
            endpoints.AddRow(
                Markup.Escape(endpoint.Endpoint),
                N(endpoint.Calls),
                SvgCharts.FormatMs(endpoint.AverageMs) + (endpoint.MeanAboveP95 ? " *" : string.Empty),
                SvgCharts.FormatMs(endpoint.P50Ms),
                SvgCharts.FormatMs(endpoint.P95Ms),
                SvgCharts.FormatMs(endpoint.P99Ms),
                SvgCharts.FormatMs(endpoint.MaxMs),
                P(endpoint.ErrorRate));
        }

        console.Write(endpoints);
        console.MarkupLine($"  [grey]percentiles: {Markup.Escape(report.PercentileMethod)}[/]");
        if (report.Endpoints.Any(e => e.MeanAboveP95))
        {
            console.MarkupLine($"  [grey]* {Markup.Escape(ReportText.MeanAboveP95)}[/]");
        }

        Section(console, SectionTitles[4]);
        var peak = report.Memory.Count == 0 ? 0 : report.Memory.Max(m => m.Bytes);
        var current = report.Memory.Count == 0 ? 0 : report.Memory[^1].Bytes;
        console.MarkupLine(CultureInfo.InvariantCulture, "  managed heap: baseline {0} MB, current {1} MB, peak {2} MB, leak threshold {3} MB ({4} samples)", Mb(report.MemoryBaselineBytes), Mb(current), Mb(peak), Mb(report.LeakThresholdBytes), report.Memory.Count);
        Lines(console, report.LeakWarnings, "no leak detected", "yellow");

        Section(console, SectionTitles[5]);
        Lines(console, report.Alerts, "no alert raised", "yellow");

        Section(console, SectionTitles[6]);
        Lines(console, report.UnusualUsage, "no unusual usage detected", "yellow");
        if (report.UnusualUsageThresholds.Length > 0)
        {
            console.MarkupLine($"  [grey]{Markup.Escape(report.UnusualUsageThresholds)}[/]");
        }

        Section(console, SectionTitles[7]);
        Lines(console, report.Bottlenecks, "no bottleneck found", "yellow");
        Lines(console, report.Suggestions, "nothing to suggest", null);
    }

    private static void Section(IAnsiConsole console, string title) => console.MarkupLine($"\n[bold underline]{Markup.Escape(title)}[/]");

    private static void Lines(IAnsiConsole console, IReadOnlyList<string> lines, string whenEmpty, string? color)
    {
        if (lines.Count == 0)
        {
            console.MarkupLine($"  [grey]{Markup.Escape(whenEmpty)}[/]");
            return;
        }

        foreach (var line in lines)
        {
            console.MarkupLine(color is null ? $"  - {Markup.Escape(line)}" : $"  - [{color}]{Markup.Escape(line)}[/]");
        }
    }

    private static string Gantt(StartupSpan span, double totalMs, int width)
    {
        if (totalMs <= 0)
        {
            return string.Empty;
        }

        var start = (int)Math.Round(span.Start.TotalMilliseconds / totalMs * width);
        var length = Math.Max(1, (int)Math.Round(span.Duration.TotalMilliseconds / totalMs * width));
        start = Math.Min(start, width - 1);
        length = Math.Min(length, width - start);
        return new string(' ', start) + "[blue]" + new string('█', length) + "[/]" + new string(' ', width - start - length);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string P(double share) => share.ToString("0.0%", CultureInfo.InvariantCulture);

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
}
