using System.Globalization;
using System.Text;

namespace GopiAI.Toolkit.Benchmarks.HitRatio;

/// <summary>
/// Replays the same traces through every cache in <see cref="SimulatedCache.All"/> and prints the hit ratios as a Markdown
/// table (with the issue's targets checked), optionally writing an SVG chart. Caches whose maintenance runs on other
/// threads (ConcurrentLfu, MemoryCache, and GopiAI's read buffer when a ring wraps) vary a little from run to run, so each
/// trace is replayed <c>--runs</c> times (default 3) and the table shows the mean and the spread. Reproduce:
/// <c>dotnet run -c Release --project benchmarks/GopiAI.Toolkit.Benchmarks -- hitratio --svg docs/images/hit-ratio.svg</c>.
/// </summary>
internal static class HitRatioSimulator
{
    private const string Ours = "GopiAI LruCache (W-TinyLFU)";

    public static int Run(string[] args)
    {
        var svgPath = Option(args, "--svg");
        var only = Option(args, "--trace");
        var cacheFilter = Option(args, "--cache");
        var runs = int.Parse(Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var rows = new List<Row>();
        var traces = Trace.All().Where(t => only is null || t.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var trace in traces)
        {
            rows.Add(Replay(trace, threads: 1, cacheFilter, runs));
        }

        // Two threads at once over one cache: each replays every other lookup of the trace.
        foreach (var trace in traces.Where(t => t.Name.StartsWith("Zipf s = 0.86, 10,000", StringComparison.Ordinal) || t.Name.StartsWith("Scan", StringComparison.Ordinal)))
        {
            rows.Add(Replay(trace, threads: 2, cacheFilter, runs));
        }

        if (cacheFilter is not null)
        {
            // A partial run (tuning one cache): no table, the per-cache lines above are the result.
            return 0;
        }

        Console.WriteLine(Table(rows));
        if (svgPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(svgPath))!);
            File.WriteAllText(svgPath, Chart(rows));
            Console.WriteLine($"Chart written to {svgPath}");
        }

        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static Row Replay(Trace trace, int threads, string? cacheFilter, int runs)
    {
        var ratios = new Dictionary<string, double>(StringComparer.Ordinal);
        var spreads = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, create) in SimulatedCache.All)
        {
            if (cacheFilter is not null && !name.Contains(cacheFilter, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var results = Enumerable.Range(0, runs).Select(_ => ReplayOnce(trace, threads, create)).ToList();
            ratios[name] = results.Average();
            spreads[name] = results.Max() - results.Min();
            Console.Error.WriteLine($"{trace.Name} [{threads} thread(s)] {name}: {ratios[name]:0.00} % (runs: {string.Join(", ", results.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))})");
        }

        var label = threads == 1 ? trace.Name : $"{trace.Name}, {threads} threads";
        return new Row(label, trace.IsZipf, ratios, spreads);
    }

    private static double ReplayOnce(Trace trace, int threads, Func<int, SimulatedCache> create)
    {
        using var cache = create(trace.Capacity);
        long hits = 0;
        if (threads == 1)
        {
            foreach (var key in trace.Keys)
            {
                hits += cache.Lookup(key) ? 1 : 0;
            }
        }
        else
        {
            using var start = new Barrier(threads);
            var counts = new long[threads];
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                long mine = 0;
                for (var i = t; i < trace.Keys.Length; i += threads)
                {
                    mine += cache.Lookup(trace.Keys[i]) ? 1 : 0;
                }

                counts[t] = mine;
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
            hits = counts.Sum();
        }

        return 100.0 * hits / trace.Keys.Length;
    }

    private static string Table(List<Row> rows)
    {
        var names = SimulatedCache.All.Select(c => c.Name).ToList();
        var sb = new StringBuilder();
        sb.Append("| Trace | ").AppendJoin(" | ", names).AppendLine(" | vs ConcurrentLfu | vs ConcurrentLru | vs best other | spread GopiAI / ConcurrentLfu |");
        sb.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", names.Count + 4))).AppendLine();
        foreach (var row in rows)
        {
            var best = row.Ratios.Max(p => p.Value);
            sb.Append("| ").Append(row.Name).Append(" | ");
            sb.AppendJoin(" | ", names.Select(n => row.Ratios[n] >= best - 0.005 ? $"**{F(row.Ratios[n])}**" : F(row.Ratios[n])));
            var ours = row.Ratios[Ours];
            var others = row.Ratios.Where(p => !p.Key.StartsWith("GopiAI", StringComparison.Ordinal)).Max(p => p.Value);
            sb.Append(" | ").Append(Delta(ours - row.Ratios["BitFaster ConcurrentLfu"]))
              .Append(" | ").Append(Delta(ours - row.Ratios["BitFaster ConcurrentLru"]))
              .Append(" | ").Append(Delta(ours - others))
              .Append(" | ").Append(row.Spreads[Ours].ToString("0.00", CultureInfo.InvariantCulture)).Append(" / ")
              .Append(row.Spreads["BitFaster ConcurrentLfu"].ToString("0.00", CultureInfo.InvariantCulture)).AppendLine(" |");
        }

        return sb.ToString();
    }

    private static string F(double percent) => percent.ToString("0.00", CultureInfo.InvariantCulture) + " %";

    private static string Delta(double points) => points.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture);

    private static string Chart(List<Row> rows)
    {
        // Horizontal grouped bars: one group per trace, one bar per cache, hit ratio 0–100 %.
        string[] colors = ["#1f77b4", "#aec7e8", "#ff7f0e", "#d62728", "#2ca02c", "#7f7f7f"];
        var names = SimulatedCache.All.Select(c => c.Name).ToList();
        const int Left = 420;
        const int BarHeight = 9;
        const int PlotWidth = 560;
        var groupHeight = (names.Count * BarHeight) + 14;
        var top = 30 + (((names.Count + 1) / 2) * 18);
        var height = top + (rows.Count * groupHeight) + 30;
        var width = Left + PlotWidth + 60;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append("<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">Hit ratio (%) on 1,000,000-lookup traces: TryGet, Set on a miss</text>\n");
        for (var i = 0; i < names.Count; i++)
        {
            var x = 10 + ((i % 2) * 330);
            var y = 30 + ((i / 2) * 18);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{colors[i]}\"/><text x=\"{x + 18}\" y=\"{y + 10}\">{Escape(names[i])}</text>\n");
        }

        for (var p = 0; p <= 100; p += 20)
        {
            var x = Left + (PlotWidth * p / 100);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"{top - 4}\" x2=\"{x}\" y2=\"{height - 24}\" stroke=\"#ddd\"/><text x=\"{x}\" y=\"{height - 10}\" text-anchor=\"middle\">{p}</text>\n");
        }

        for (var r = 0; r < rows.Count; r++)
        {
            var y0 = top + (r * groupHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{y0 + (groupHeight / 2)}\" text-anchor=\"end\">{Escape(rows[r].Name)}</text>\n");
            for (var i = 0; i < names.Count; i++)
            {
                var value = rows[r].Ratios[names[i]];
                var w = PlotWidth * value / 100;
                var y = y0 + (i * BarHeight);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{y}\" width=\"{w:0.0}\" height=\"{BarHeight - 1}\" fill=\"{colors[i]}\"><title>{Escape(names[i])}: {value:0.00} %</title></rect>\n");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + w + 3:0.0}\" y=\"{y + BarHeight - 1}\" font-size=\"8\">{value:0.0}</text>\n");
            }
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private sealed record Row(string Name, bool IsZipf, Dictionary<string, double> Ratios, Dictionary<string, double> Spreads);
}
