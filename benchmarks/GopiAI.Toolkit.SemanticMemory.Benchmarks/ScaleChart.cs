using System.Globalization;
using System.Text;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>Draws the scale curve as a self-contained SVG (no external tools): two log-log panels over the document count.</summary>
public static class ScaleChart
{
    private const int PanelWidth = 420;
    private const int PanelHeight = 300;
    private const int Left = 60;
    private const int Top = 40;
    private const int Bottom = 50;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] Colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

    public static string Render(IReadOnlyList<ScaleRow> rows)
    {
        // The latest row per size wins (a rerun replaces an older figure).
        var points = rows.GroupBy(r => r.Documents).Select(g => g.Last()).OrderBy(r => r.Documents).ToList();
        var width = 2 * (Left + PanelWidth + 30);
        var height = Top + PanelHeight + Bottom + 110;
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(Inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        Panel(svg, 0, "Query latency p50 (ms), top-10", points,
        [
            ("Dense, exact", r => r.ExactDense.P50),
            ("Dense, HNSW", r => r.HnswDense.P50),
            ("Keyword", r => r.Keyword.P50),
            ("Hybrid, exact dense leg", r => r.ExactHybrid.P50),
            ("Hybrid, HNSW dense leg", r => r.HnswHybrid.P50),
        ]);
        Panel(svg, Left + PanelWidth + 30, "Cost of size", points,
        [
            ("File (MiB)", r => r.FileMiB),
            ("Peak RSS with HNSW (MiB)", r => r.PeakRssHnswMiB),
            ("HNSW build, load included (s, wall)", r => r.HnswBuildSeconds),
            ("HNSW build (s of CPU)", r => r.HnswBuildCpuSeconds),
            ("Ingest (docs/s)", r => r.IngestDocsPerSecond),
        ]);
        var dates = string.Join(", ", points.Select(p => $"{p.Documents:N0}: {p.Date} UTC, load {p.LoadBefore}, HNSW recall@10 {p.RecallAt10:F3}"));
        svg.Append(Inv, $"<text x=\"10\" y=\"{height - 8}\" font-size=\"10\" fill=\"#555\">harness scale (GopiAI.Toolkit.SemanticMemory.Benchmarks), fake topic embeddings; {Escape(dates)}</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int x0, string title, List<ScaleRow> points, (string Label, Func<ScaleRow, double> Value)[] series)
    {
        var values = points.SelectMany(p => series.Select(s => s.Value(p))).Where(v => v > 0).DefaultIfEmpty(1).ToList();
        var yMin = Math.Floor(Math.Log10(values.Min()));
        var yMax = Math.Max(yMin + 1, Math.Ceiling(Math.Log10(values.Max())));
        var xMin = Math.Log10(points.Count > 0 ? points[0].Documents : 10_000);
        var xMax = Math.Max(xMin + 1, Math.Log10(points.Count > 0 ? points[^1].Documents : 1_000_000));
        double X(double documents) => x0 + Left + (Math.Log10(documents) - xMin) / (xMax - xMin) * PanelWidth;
        double Y(double value) => Top + PanelHeight - (Math.Log10(value) - yMin) / (yMax - yMin) * PanelHeight;

        svg.Append(Inv, $"<text x=\"{x0 + Left}\" y=\"{Top - 15}\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>\n");
        svg.Append(Inv, $"<rect x=\"{x0 + Left}\" y=\"{Top}\" width=\"{PanelWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#999\"/>\n");
        for (var decade = yMin; decade <= yMax; decade++)
        {
            var y = Y(Math.Pow(10, decade));
            svg.Append(Inv, $"<line x1=\"{x0 + Left}\" y1=\"{y:F1}\" x2=\"{x0 + Left + PanelWidth}\" y2=\"{y:F1}\" stroke=\"#eee\"/>\n");
            svg.Append(Inv, $"<text x=\"{x0 + Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Tick(Math.Pow(10, decade))}</text>\n");
        }

        foreach (var p in points)
        {
            var x = X(p.Documents);
            svg.Append(Inv, $"<line x1=\"{x:F1}\" y1=\"{Top}\" x2=\"{x:F1}\" y2=\"{Top + PanelHeight}\" stroke=\"#eee\"/>\n");
            svg.Append(Inv, $"<text x=\"{x:F1}\" y=\"{Top + PanelHeight + 16}\" text-anchor=\"middle\">{Tick(p.Documents)}</text>\n");
        }

        svg.Append(Inv, $"<text x=\"{x0 + Left + PanelWidth / 2}\" y=\"{Top + PanelHeight + 34}\" text-anchor=\"middle\">documents (log scale)</text>\n");
        for (var s = 0; s < series.Length; s++)
        {
            var colour = Colours[s % Colours.Length];
            var line = points.Where(p => series[s].Value(p) > 0).Select(p => string.Create(Inv, $"{X(p.Documents):F1},{Y(series[s].Value(p)):F1}")).ToList();
            if (line.Count > 1)
            {
                svg.Append(Inv, $"<polyline points=\"{string.Join(' ', line)}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n");
            }

            foreach (var p in points.Where(p => series[s].Value(p) > 0))
            {
                svg.Append(Inv, $"<circle cx=\"{X(p.Documents):F1}\" cy=\"{Y(series[s].Value(p)):F1}\" r=\"3\" fill=\"{colour}\"><title>{Escape(series[s].Label)} at {p.Documents:N0}: {series[s].Value(p):G4}</title></circle>\n");
            }

            var ly = Top + PanelHeight + Bottom + 14 * s;
            svg.Append(Inv, $"<line x1=\"{x0 + Left}\" y1=\"{ly - 4}\" x2=\"{x0 + Left + 20}\" y2=\"{ly - 4}\" stroke=\"{colour}\" stroke-width=\"2\"/>\n");
            svg.Append(Inv, $"<text x=\"{x0 + Left + 26}\" y=\"{ly}\">{Escape(series[s].Label)}</text>\n");
        }
    }

    private static string Tick(double value) => value switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.#", Inv) + "M",
        >= 1_000 => (value / 1_000).ToString("0.#", Inv) + "k",
        >= 1 => value.ToString("0.#", Inv),
        _ => value.ToString("0.###", Inv),
    };

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
