using System.Globalization;
using System.Net;
using System.Text;

namespace GopiAI.Toolkit.Samples.Assistant.Reporting;

/// <summary>
/// Draws the report's charts as inline SVG: no script, no external resources, and well-formed XML so the HTML page stays
/// parseable by XML tools. Every chart is an <c>&lt;svg class="chart" data-chart="…"&gt;</c> element; tooltips are native
/// SVG <c>&lt;title&gt;</c> elements.
/// </summary>
public static class SvgCharts
{
    /// <summary>The <c>data-chart</c> value of the startup timeline.</summary>
    public const string StartupTimeline = "startup-timeline";

    /// <summary>The <c>data-chart</c> value of a latency histogram (one per endpoint).</summary>
    public const string LatencyHistogram = "latency-histogram";

    /// <summary>The <c>data-chart</c> value of the cache hit-rate bars.</summary>
    public const string CacheHitRate = "cache-hit-rate";

    /// <summary>The <c>data-chart</c> value of the memory usage line chart.</summary>
    public const string MemoryUsage = "memory-usage";

    private static readonly string[] Palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"];

    /// <summary>Draws the startup timeline as a Gantt chart: one row per task or component, bars placed by start and length.</summary>
    /// <param name="spans">The spans to draw.</param>
    /// <returns>The SVG element.</returns>
    public static string Gantt(IReadOnlyList<StartupSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        const int width = 920, labelWidth = 260, rowHeight = 26, top = 10, axisHeight = 34, right = 70;
        if (spans.Count == 0)
        {
            return Empty(StartupTimeline, width, "No startup tasks were recorded.");
        }

        var ordered = spans.OrderBy(s => s.Start).ThenBy(s => s.Name, StringComparer.Ordinal).ToArray();
        var totalMs = Math.Max(1, ordered.Max(s => s.End.TotalMilliseconds));
        var (axisMax, step) = NiceAxis(totalMs, 8);
        var plotWidth = width - labelWidth - right;
        var height = top + (ordered.Length * rowHeight) + axisHeight;
        var kinds = ordered.Select(s => s.Kind).Distinct(StringComparer.Ordinal).ToList();
        double X(double ms) => labelWidth + (ms / axisMax * plotWidth);

        var svg = Open(StartupTimeline, width, height, "Startup timeline", ordered.Length);
        for (var tick = 0.0; tick <= axisMax + 1e-9; tick += step)
        {
            var x = X(tick);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{F(x)}\" y1=\"{top}\" x2=\"{F(x)}\" y2=\"{height - axisHeight + 4}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{F(x)}\" y=\"{height - axisHeight + 18}\" text-anchor=\"middle\">{Esc(FormatMs(tick))}</text>");
        }

        for (var i = 0; i < ordered.Length; i++)
        {
            var span = ordered[i];
            var y = top + (i * rowHeight);
            var x = X(span.Start.TotalMilliseconds);
            var w = Math.Max(2, X(span.End.TotalMilliseconds) - x);
            var color = Palette[kinds.IndexOf(span.Kind) % Palette.Length];
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{labelWidth - 8}\" y=\"{y + 17}\" text-anchor=\"end\">{Esc(Truncate(span.Name, 38))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{F(x)}\" y=\"{y + 4}\" width=\"{F(w)}\" height=\"{rowHeight - 8}\" rx=\"3\" fill=\"{color}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<title>{Esc(span.Name)} ({Esc(span.Kind)}): starts at {Esc(FormatMs(span.Start.TotalMilliseconds))}, takes {Esc(FormatMs(span.Duration.TotalMilliseconds))}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{F(x + w + 5)}\" y=\"{y + 17}\">{Esc(FormatMs(span.Duration.TotalMilliseconds))}</text>");
        }

        var legendX = labelWidth;
        foreach (var kind in kinds)
        {
            var color = Palette[kinds.IndexOf(kind) % Palette.Length];
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{legendX}\" y=\"{height - 12}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text class=\"tick\" x=\"{legendX + 14}\" y=\"{height - 3}\">{Esc(kind)}</text>");
            legendX += 24 + (kind.Length * 7);
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Draws a latency histogram for one endpoint, with the average and p95 marked.</summary>
    /// <param name="endpoint">The endpoint to draw.</param>
    /// <returns>The SVG element.</returns>
    public static string Histogram(EndpointReport endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        const int width = 440, height = 230, left = 44, right = 30, top = 28, bottom = 40, binCount = 12;
        if (endpoint.SamplesMs.Count == 0)
        {
            return Empty(LatencyHistogram, width, $"No calls recorded for {endpoint.Endpoint}.", endpoint.Endpoint);
        }

        var maxSample = Math.Max(endpoint.SamplesMs.Max(), endpoint.P95Ms);
        var (xMax, xStep) = NiceAxis(Math.Max(maxSample, 0.001), 6);
        var binWidth = xMax / binCount;
        var counts = new int[binCount];
        foreach (var sample in endpoint.SamplesMs)
        {
            counts[Math.Clamp((int)(sample / binWidth), 0, binCount - 1)]++;
        }

        var (yMax, yStep) = NiceAxis(Math.Max(1, counts.Max()), 4);
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        double X(double ms) => left + (ms / xMax * plotW);
        double Y(double count) => top + plotH - (count / yMax * plotH);

        var svg = Open(LatencyHistogram, width, height, $"Latency histogram: {endpoint.Endpoint}", endpoint.SamplesMs.Count, endpoint.Endpoint);
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-title\" x=\"{left}\" y=\"16\">{Esc(Truncate(endpoint.Endpoint, 52))}</text>");
        for (var tick = 0.0; tick <= yMax + 1e-9; tick += yStep)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{left}\" y1=\"{F(Y(tick))}\" x2=\"{width - right}\" y2=\"{F(Y(tick))}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{left - 6}\" y=\"{F(Y(tick) + 4)}\" text-anchor=\"end\">{F0(tick)}</text>");
        }

        for (var tick = 0.0; tick <= xMax + 1e-9; tick += xStep)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{F(X(tick))}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{Esc(FormatMs(tick))}</text>");
        }

        for (var i = 0; i < binCount; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            var x = X(i * binWidth) + 1;
            var w = Math.Max(1, (plotW / (double)binCount) - 2);
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{F(x)}\" y=\"{F(Y(counts[i]))}\" width=\"{F(w)}\" height=\"{F(Y(0) - Y(counts[i]))}\" fill=\"{Palette[0]}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<title>{counts[i]} calls between {Esc(FormatMs(i * binWidth))} and {Esc(FormatMs((i + 1) * binWidth))}</title></rect>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{left}\" y1=\"{F(Y(0))}\" x2=\"{width - right}\" y2=\"{F(Y(0))}\"/>");
        Marker(svg, X(endpoint.AverageMs), top, Y(0), "#59a14f", $"avg {FormatMs(endpoint.AverageMs)}", 0);
        Marker(svg, X(endpoint.P95Ms), top, Y(0), "#e15759", $"p95 {FormatMs(endpoint.P95Ms)}", 12);
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{left + (plotW / 2)}\" y=\"{height - 6}\" text-anchor=\"middle\">duration ({endpoint.Calls} calls, {F1(endpoint.ErrorRate * 100)}% errors)</text>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Draws one horizontal bar per cache showing its hit rate from 0 to 100 %.</summary>
    /// <param name="caches">The caches to draw.</param>
    /// <returns>The SVG element.</returns>
    public static string HitRateBars(IReadOnlyList<CacheReport> caches)
    {
        ArgumentNullException.ThrowIfNull(caches);
        const int width = 920, labelWidth = 300, rowHeight = 28, top = 10, axisHeight = 26, right = 170;
        if (caches.Count == 0)
        {
            return Empty(CacheHitRate, width, "No cache lookups were recorded.");
        }

        var plotWidth = width - labelWidth - right;
        var height = top + (caches.Count * rowHeight) + axisHeight;
        var svg = Open(CacheHitRate, width, height, "Cache hit rates", caches.Count);
        for (var pct = 0; pct <= 100; pct += 20)
        {
            var x = labelWidth + (pct / 100.0 * plotWidth);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{F(x)}\" y1=\"{top}\" x2=\"{F(x)}\" y2=\"{height - axisHeight + 4}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{F(x)}\" y=\"{height - 8}\" text-anchor=\"middle\">{pct}%</text>");
        }

        for (var i = 0; i < caches.Count; i++)
        {
            var cache = caches[i];
            var y = top + (i * rowHeight);
            var w = Math.Max(cache.Hits > 0 ? 2 : 0, cache.HitRate * plotWidth);
            var color = cache.HitRate >= 0.5 ? Palette[2] : cache.HitRate >= 0.2 ? Palette[5] : Palette[3];
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{labelWidth - 8}\" y=\"{y + 18}\" text-anchor=\"end\">{Esc(Truncate(cache.Name, 42))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"track\" x=\"{labelWidth}\" y=\"{y + 5}\" width=\"{plotWidth}\" height=\"{rowHeight - 10}\" rx=\"3\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{labelWidth}\" y=\"{y + 5}\" width=\"{F(w)}\" height=\"{rowHeight - 10}\" rx=\"3\" fill=\"{color}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<title>{Esc(cache.Name)} ({Esc(cache.Kind)}): {cache.Hits} hits, {cache.Misses} misses, {cache.Size}/{cache.MaxSize} entries, {cache.Evictions} evictions</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{labelWidth + plotWidth + 8}\" y=\"{y + 18}\">{F1(cache.HitRate * 100)}% ({cache.Hits}/{cache.Hits + cache.Misses})</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Draws memory usage over time as a line, with the baseline and the leak threshold as horizontal lines.</summary>
    /// <param name="samples">The samples, oldest first.</param>
    /// <param name="baselineBytes">The baseline usage in bytes (0 to omit).</param>
    /// <param name="leakThresholdBytes">The leak threshold in bytes (0 to omit).</param>
    /// <returns>The SVG element.</returns>
    public static string MemoryLine(IReadOnlyList<MemorySample> samples, long baselineBytes, long leakThresholdBytes)
    {
        ArgumentNullException.ThrowIfNull(samples);
        const int width = 920, height = 300, left = 70, right = 150, top = 16, bottom = 36;
        if (samples.Count == 0)
        {
            return Empty(MemoryUsage, width, "No memory samples were recorded.");
        }

        var ordered = samples.OrderBy(s => s.At).ToArray();
        var t0 = ordered[0].At.TotalSeconds;
        var span = Math.Max(0.001, ordered[^1].At.TotalSeconds - t0);
        var (xMax, xStep) = NiceAxis(span, 8);
        var maxMb = Math.Max(ordered.Max(s => s.Bytes), Math.Max(baselineBytes, leakThresholdBytes)) / 1048576.0;
        var (yMax, yStep) = NiceAxis(Math.Max(1, maxMb * 1.05), 5);
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        double X(double seconds) => left + ((seconds - t0) / xMax * plotW);
        double Y(double mb) => top + plotH - (mb / yMax * plotH);

        var svg = Open(MemoryUsage, width, height, "Memory usage over time", ordered.Length);
        for (var tick = 0.0; tick <= yMax + 1e-9; tick += yStep)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{left}\" y1=\"{F(Y(tick))}\" x2=\"{width - right}\" y2=\"{F(Y(tick))}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{left - 6}\" y=\"{F(Y(tick) + 4)}\" text-anchor=\"end\">{F0(tick)} MB</text>");
        }

        for (var tick = 0.0; tick <= xMax + 1e-9; tick += xStep)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{F(X(t0 + tick))}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{Esc(FormatSeconds(tick))}</text>");
        }

        var points = string.Join(' ', ordered.Select(s => $"{F(X(s.At.TotalSeconds))},{F(Y(s.Bytes / 1048576.0))}"));
        var area = $"{F(X(ordered[0].At.TotalSeconds))},{F(Y(0))} {points} {F(X(ordered[^1].At.TotalSeconds))},{F(Y(0))}";
        svg.Append(CultureInfo.InvariantCulture, $"<polygon class=\"area\" points=\"{area}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"line\" points=\"{points}\" fill=\"none\" stroke=\"{Palette[0]}\"/>");
        foreach (var sample in ordered)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"point\" cx=\"{F(X(sample.At.TotalSeconds))}\" cy=\"{F(Y(sample.Bytes / 1048576.0))}\" r=\"2.5\" fill=\"{Palette[0]}\"><title>{Esc(FormatSeconds(sample.At.TotalSeconds))}: {F1(sample.Bytes / 1048576.0)} MB</title></circle>");
        }

        if (baselineBytes > 0)
        {
            Threshold(svg, left, width - right, Y(baselineBytes / 1048576.0), "#888888", $"baseline {F1(baselineBytes / 1048576.0)} MB", "baseline");
        }

        if (leakThresholdBytes > 0)
        {
            Threshold(svg, left, width - right, Y(leakThresholdBytes / 1048576.0), "#e15759", $"leak threshold {F1(leakThresholdBytes / 1048576.0)} MB", "leak-threshold");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{left}\" y1=\"{F(Y(0))}\" x2=\"{width - right}\" y2=\"{F(Y(0))}\"/>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Formats a duration in milliseconds with a unit that suits its size (µs, ms or s).</summary>
    /// <param name="ms">The duration in milliseconds.</param>
    /// <returns>The formatted duration.</returns>
    public static string FormatMs(double ms) => ms switch
    {
        0 => "0",
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{ms * 1000:0.#} µs"),
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{ms:0.##} ms"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{ms:0} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.##} s"),
    };

    /// <summary>Rounds an axis up to a "nice" maximum (1, 2, 2.5 or 5 × 10ⁿ steps) with about <paramref name="ticks"/> ticks.</summary>
    /// <param name="max">The largest value to show; must be positive.</param>
    /// <param name="ticks">The wanted number of ticks.</param>
    /// <returns>The axis maximum and the tick step.</returns>
    internal static (double Max, double Step) NiceAxis(double max, int ticks)
    {
        var raw = max / ticks;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        return (Math.Ceiling((max / step) - 1e-9) * step, step);
    }

    /// <summary>Draws a placeholder chart of the given kind that only says why there is nothing to draw.</summary>
    /// <param name="kind">The <c>data-chart</c> kind, e.g. <see cref="LatencyHistogram"/>.</param>
    /// <param name="message">The text to show.</param>
    /// <returns>The SVG element (with <c>data-items="0"</c>).</returns>
    public static string NoData(string kind, string message) => Empty(kind, 920, message);

    private static StringBuilder Open(string kind, int width, int height, string label, int items, string? series = null)
    {
        var svg = new StringBuilder(4096);
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"{kind}\" data-items=\"{items}\"");
        if (series is not null)
        {
            svg.Append(CultureInfo.InvariantCulture, $" data-series=\"{Esc(series)}\"");
        }

        svg.Append(CultureInfo.InvariantCulture, $" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{Esc(label)}\">");
        return svg;
    }

    private static string Empty(string kind, int width, string message, string? series = null) =>
        Open(kind, width, 40, message, 0, series)
            .Append(CultureInfo.InvariantCulture, $"<text class=\"empty\" x=\"10\" y=\"24\">{Esc(message)}</text></svg>")
            .ToString();

    private static void Marker(StringBuilder svg, double x, double top, double bottom, string color, string text, int dy)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"marker\" x1=\"{F(x)}\" y1=\"{F(top)}\" x2=\"{F(x)}\" y2=\"{F(bottom)}\" stroke=\"{color}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"marker-label\" x=\"{F(x + 4)}\" y=\"{F(top + 10 + dy)}\" fill=\"{color}\">{Esc(text)}</text>");
    }

    private static void Threshold(StringBuilder svg, double x1, double x2, double y, string color, string text, string cssClass)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"{cssClass}\" x1=\"{F(x1)}\" y1=\"{F(y)}\" x2=\"{F(x2)}\" y2=\"{F(y)}\" stroke=\"{color}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"marker-label\" x=\"{F(x2 + 6)}\" y=\"{F(y + 4)}\" fill=\"{color}\">{Esc(text)}</text>");
    }

    private static string FormatSeconds(double seconds) =>
        seconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.#} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(seconds / 60):0}m{seconds % 60:00}s");

    private static string Truncate(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static string Esc(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string F0(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string F1(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
