using System.Globalization;
using System.Net;
using System.Text;

namespace GopiAI.Toolkit.Samples.Assistant.Reporting;

/// <summary>
/// Renders a <see cref="PerformanceReport"/> as one self-contained HTML page: inline CSS and inline SVG charts, no scripts,
/// no links to anything outside the file. The markup is well-formed XML (XHTML-style), so tests can parse it.
/// </summary>
public static class HtmlReportRenderer
{
    private const string Css = """
        body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0; background: #f6f7f9; color: #1f2328; }
        header { background: #24292f; color: #fff; padding: 18px 32px; }
        header h1 { margin: 0; font-size: 22px; }
        header p { margin: 4px 0 0; color: #c9d1d9; font-size: 13px; }
        main { padding: 12px 32px 32px; max-width: 1000px; }
        section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px 18px; margin: 16px 0; }
        h2 { font-size: 17px; margin: 4px 0 10px; }
        .cards { display: flex; gap: 12px; flex-wrap: wrap; }
        .card { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 16px; min-width: 150px; }
        .card b { display: block; font-size: 20px; }
        .card span { color: #57606a; font-size: 12px; }
        .histograms { display: flex; flex-wrap: wrap; gap: 8px; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; margin-top: 8px; }
        th, td { border-bottom: 1px solid #d8dee4; padding: 4px 8px; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        ul { margin: 6px 0; padding-left: 20px; font-size: 14px; }
        li { margin: 3px 0; }
        .none { color: #57606a; font-style: italic; }
        .note { color: #57606a; font-size: 12px; }
        .warn li { color: #9a6700; }
        svg.chart { display: block; max-width: 100%; height: auto; font-size: 11px; }
        svg .grid { stroke: #e6e8eb; stroke-width: 1; }
        svg .axis { stroke: #57606a; stroke-width: 1; }
        svg .tick { fill: #57606a; font-size: 10px; }
        svg .label { fill: #1f2328; font-size: 12px; }
        svg .value { fill: #1f2328; font-size: 11px; }
        svg .chart-title { fill: #1f2328; font-size: 12px; font-weight: bold; }
        svg .track { fill: #eef1f4; }
        svg .area { fill: #4e79a7; fill-opacity: 0.15; }
        svg .line { stroke-width: 2; }
        svg .marker { stroke-width: 1.5; stroke-dasharray: 4 3; }
        svg .marker-label { font-size: 10px; }
        svg .leak-threshold { stroke-width: 1.5; stroke-dasharray: 6 4; }
        svg .baseline { stroke-width: 1; stroke-dasharray: 2 3; }
        svg .empty { fill: #57606a; font-style: italic; font-size: 13px; }
        """;

    /// <summary>Renders the report.</summary>
    /// <param name="report">The report to render.</param>
    /// <returns>The complete HTML document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is <see langword="null"/>.</exception>
    public static string Render(PerformanceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .Append(CultureInfo.InvariantCulture, $"<title>{Esc(report.Title)}</title>\n<style>\n{Css}\n</style>\n</head>\n<body>\n")
            .Append(CultureInfo.InvariantCulture, $"<header><h1>{Esc(report.Title)}</h1><p>Generated {Esc(report.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'zzz", CultureInfo.InvariantCulture))} by the GopiAI.Toolkit assistant sample.</p></header>\n<main>\n");

        Cards(html, report);

        Section(html, "startup", "Startup timeline", SvgCharts.Gantt(report.Startup));

        var histograms = new StringBuilder();
        histograms.Append("<div class=\"histograms\">");
        foreach (var endpoint in report.Endpoints)
        {
            histograms.Append(SvgCharts.Histogram(endpoint));
        }

        if (report.Endpoints.Count == 0)
        {
            histograms.Append(SvgCharts.NoData(SvgCharts.LatencyHistogram, "No monitored endpoint was called."));
        }

        histograms.Append("</div>");
        histograms.Append(Table(
            ["Endpoint", "Calls", "Avg", "p50", "p95", "p99", "Max", "Error rate"],
            report.Endpoints.Select(e => new[]
            {
                e.Endpoint, N(e.Calls), SvgCharts.FormatMs(e.AverageMs) + (e.MeanAboveP95 ? " *" : string.Empty), SvgCharts.FormatMs(e.P50Ms),
                SvgCharts.FormatMs(e.P95Ms), SvgCharts.FormatMs(e.P99Ms), SvgCharts.FormatMs(e.MaxMs), P(e.ErrorRate),
            })));
        histograms.Append(CultureInfo.InvariantCulture, $"<p class=\"note\" id=\"percentile-method\">Percentiles: {Esc(report.PercentileMethod)}.</p>");
        if (report.Endpoints.Any(e => e.MeanAboveP95))
        {
            histograms.Append(CultureInfo.InvariantCulture, $"<p class=\"note\" id=\"mean-above-p95\">* {Esc(ReportText.MeanAboveP95)}</p>");
        }

        Section(html, "latency", "Latency per monitored endpoint", histograms.ToString());

        Section(html, "caches", "Cache hit rates", SvgCharts.HitRateBars(report.Caches) + Table(
            ["Cache", "Kind", "Hits", "Misses", "Hit rate", "Size", "Evictions"],
            report.Caches.Select(c => new[] { c.Name, c.Kind, N(c.Hits), N(c.Misses), P(c.HitRate), $"{N(c.Size)} / {N(c.MaxSize)}", N(c.Evictions) })));

        Section(html, "pools", "Object pools", Table(
            ["Pool", "Created", "Rented", "Returned", "Outstanding", "Reuse"],
            report.Pools.Select(p => new[] { p.Name, N(p.Created), N(p.Rented), N(p.Returned), N(p.Outstanding), P(p.ReuseRate) })));

        var memory = new StringBuilder(SvgCharts.MemoryLine(report.Memory, report.MemoryBaselineBytes, report.LeakThresholdBytes));
        memory.Append("<h3>Leak warnings</h3>").Append(List(report.LeakWarnings, "No leak detected: usage stayed below the leak threshold.", "warn"));
        Section(html, "memory", "Memory usage", memory.ToString());

        Section(html, "alerts", "Alerts and automated clean-up", List(report.Alerts, "No alert was raised.", "warn"));
        var thresholds = report.UnusualUsageThresholds.Length == 0 ? string.Empty : $"<p class=\"none\">{Esc(report.UnusualUsageThresholds)}</p>";
        Section(html, "unusual-usage", "Unusual resource usage", List(report.UnusualUsage, "No unusual usage was detected.", "warn") + thresholds);
        Section(html, "bottlenecks", "Bottlenecks", List(report.Bottlenecks, "No bottleneck found.", "warn"));
        Section(html, "suggestions", "Suggestions", List(report.Suggestions, "Nothing to suggest.", null));

        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Renders the report and writes it to <paramref name="path"/> (UTF-8), creating the folder when needed.</summary>
    /// <param name="report">The report to render.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or whitespace.</exception>
    public static async Task WriteAsync(PerformanceReport report, string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, Render(report), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
    }

    private static void Cards(StringBuilder html, PerformanceReport report)
    {
        var startup = report.Startup.Count == 0 ? TimeSpan.Zero : report.Startup.Max(s => s.End);
        var lookups = report.Caches.Sum(c => c.Hits + c.Misses);
        var hitRate = lookups == 0 ? 0 : (double)report.Caches.Sum(c => c.Hits) / lookups;
        var calls = report.Endpoints.Sum(e => e.Calls);
        var peak = report.Memory.Count == 0 ? 0 : report.Memory.Max(m => m.Bytes);
        html.Append("<div class=\"cards\">");
        Card(html, SvgCharts.FormatMs(startup.TotalMilliseconds), "startup (all tasks)");
        Card(html, N(calls), $"monitored calls, {report.Endpoints.Count} endpoints");
        Card(html, P(hitRate), $"cache hit rate over {N(lookups)} lookups");
        Card(html, string.Create(CultureInfo.InvariantCulture, $"{peak / 1048576.0:0.0} MB"), "peak memory");
        Card(html, N(report.Alerts.Count + report.LeakWarnings.Count + report.UnusualUsage.Count), "alerts, leak warnings and unusual usage");
        html.Append("</div>\n");
    }

    private static void Card(StringBuilder html, string value, string caption) =>
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><b>{Esc(value)}</b><span>{Esc(caption)}</span></div>");

    private static void Section(StringBuilder html, string id, string title, string body) =>
        html.Append(CultureInfo.InvariantCulture, $"<section id=\"{id}\">\n<h2>{Esc(title)}</h2>\n{body}\n</section>\n");

    private static string Table(string[] headers, IEnumerable<string[]> rows)
    {
        var table = new StringBuilder("<table><thead><tr>");
        foreach (var header in headers)
        {
            table.Append(CultureInfo.InvariantCulture, $"<th>{Esc(header)}</th>");
        }

        table.Append("</tr></thead><tbody>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            table.Append("<tr>");
            foreach (var cell in row)
            {
                table.Append(CultureInfo.InvariantCulture, $"<td>{Esc(cell)}</td>");
            }

            table.Append("</tr>");
        }

        if (!any)
        {
            table.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"none\" colspan=\"{headers.Length}\">none recorded</td></tr>");
        }

        return table.Append("</tbody></table>").ToString();
    }

    private static string List(IReadOnlyList<string> items, string whenEmpty, string? cssClass)
    {
        if (items.Count == 0)
        {
            return $"<p class=\"none\">{Esc(whenEmpty)}</p>";
        }

        var list = new StringBuilder(cssClass is null ? "<ul>" : $"<ul class=\"{cssClass}\">");
        foreach (var item in items)
        {
            list.Append(CultureInfo.InvariantCulture, $"<li>{Esc(item)}</li>");
        }

        return list.Append("</ul>").ToString();
    }

    private static string Esc(string text) => WebUtility.HtmlEncode(text);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string P(double share) => share.ToString("0.0%", CultureInfo.InvariantCulture);
}
