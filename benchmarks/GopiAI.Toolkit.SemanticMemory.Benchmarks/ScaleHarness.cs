using System.Diagnostics;
using System.Globalization;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// The scale benchmark: for each size (default 10k, 100k, 1M), the public API end to end over <see cref="TopicCorpus"/>
/// documents and its deterministic fake embeddings. Run:
/// <c>dotnet run -c Release -- harness scale [--sizes 10000,100000,1000000] [--out docs/images] [--queries 200] [--build-priority normal] [--ef-sweep 96,192,384] [--chart-only]</c>.
/// </summary>
/// <remarks>
/// Per size, in one process, phases measured apart (the peak resident set is reset between them through
/// <c>/proc/self/clear_refs</c>):
/// <list type="number">
/// <item>Ingest with HNSW off (<c>HnswThreshold = int.MaxValue</c>): <c>StoreDocumentsAsync</c> in calls of 10,000
/// documents, default batch size (100 per transaction); docs/s, file size, peak RSS.</item>
/// <item>Exact search: Dense, Keyword and Hybrid top-10, each mode over its own fresh queries; the Dense results are
/// the ground truth for recall.</item>
/// <item>A new manager over the same file with HNSW on (<c>HnswThreshold</c> = min(50,000, N/2)): the first search
/// loads the matrix and starts the background build; build time = from that search until <c>HnswActive</c>. Then
/// Dense and Hybrid over fresh queries (Keyword does not use the graph), recall@10 of the Dense ground-truth queries
/// against exact, peak RSS, and the incremental ingest rate of 2,000 more documents with the graph active.
/// With <c>--ef-sweep</c>, the same graph is then searched again at each listed ef_search instead of the engine's own
/// (<see cref="Search.HnswParameters.ExpansionSearchFor"/>): recall@10 and Dense p50 per width, printed only.</item>
/// </list>
/// Each size appends one row to <c>scale.tsv</c> in the output folder and redraws <c>scale.svg</c> from all rows.
/// </remarks>
public static class ScaleHarness
{
    private const int IngestCall = 10_000;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(string[] args, string repositoryRoot)
    {
        var sizes = Arg(args, "--sizes")?.Split(',').Select(s => int.Parse(s, Inv)).ToArray() ?? [10_000, 100_000, 1_000_000];
        var output = Path.GetFullPath(Arg(args, "--out") ?? Path.Combine(repositoryRoot, "docs", "images"));
        var queries = int.Parse(Arg(args, "--queries") ?? "200", Inv);
        var sweep = Arg(args, "--ef-sweep")?.Split(',').Select(s => int.Parse(s, Inv)).ToArray() ?? [];

        // --build-priority normal: the build threads keep the process's priority instead of lowering theirs, so that
        // the build time measures USearch rather than the scheduler when other work shares the machine.
        Search.HnswIndex.LowerBuildPriority = Arg(args, "--build-priority") != "normal";
        Directory.CreateDirectory(output);
        var table = Path.Combine(output, "scale.tsv");
        if (!File.Exists(table))
        {
            File.WriteAllText(table, ScaleRow.Header + "\n");
        }

        if (args.Contains("--chart-only"))
        {
            // Redraws the chart from the rows already measured (e.g. after merging the rows of separate runs).
            File.WriteAllText(Path.Combine(output, "scale.svg"), ScaleChart.Render(File.ReadAllLines(table).Skip(1).Where(l => l.Length > 0).Select(ScaleRow.Parse).ToList()));
            return;
        }

        foreach (var size in sizes)
        {
            var row = await MeasureAsync(size, queries, sweep).ConfigureAwait(false);
            File.AppendAllText(table, row.ToTsv() + "\n");
            var rows = File.ReadAllLines(table).Skip(1).Where(l => l.Length > 0).Select(ScaleRow.Parse).ToList();
            File.WriteAllText(Path.Combine(output, "scale.svg"), ScaleChart.Render(rows));
            Console.WriteLine($"Appended to {table}; chart {Path.Combine(output, "scale.svg")}");
        }
    }

    private static async Task<ScaleRow> MeasureAsync(int count, int queryCount, int[] sweep)
    {
        var folder = Directory.CreateTempSubdirectory("gopiai-scale-");
        try
        {
            var corpus = new TopicCorpus(count);
            var path = Path.Combine(folder.FullName, "memory.db");
            var config = new MemoryConfig
            {
                IndexPath = path,
                MaxDocuments = count + 100_000,
                ResultCacheSize = 0,
                SimilarityThreshold = 0f,
                HnswThreshold = int.MaxValue,
            };
            var row = new ScaleRow { Documents = count, Date = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", Inv), LoadBefore = HnswTuning.LoadAverage() };
            Console.WriteLine($"## Scale, {count:N0} documents ({corpus.Topics:N0} topics), load {row.LoadBefore}, {row.Date} UTC");
            ResetPeak();

            // Phase 1 + 2: ingest and exact search.
            List<string>[] truth;
            await using (var exact = await SemanticMemoryManager.OpenAsync(config, corpus).ConfigureAwait(false))
            {
                var start = Stopwatch.GetTimestamp();
                for (var first = 0; first < count; first += IngestCall)
                {
                    var end = Math.Min(count, first + IngestCall);
                    await exact.StoreDocumentsAsync(Enumerable.Range(first, end - first).Select(i => Document(corpus, i))).ConfigureAwait(false);
                    if (end % 100_000 == 0 || end == count)
                    {
                        Console.WriteLine($"  ingested {end:N0} in {Stopwatch.GetElapsedTime(start).TotalSeconds:F0} s");
                    }
                }

                var ingest = Stopwatch.GetElapsedTime(start);
                row.IngestDocsPerSecond = count / ingest.TotalSeconds;
                row.FileMiB = (await exact.GetStatsAsync().ConfigureAwait(false)).FileSizeBytes / 1048576.0;
                (row.ExactDense, truth) = await TimeAsync(exact, corpus, SearchMode.Dense, Queries(count, queryCount, 0)).ConfigureAwait(false);
                (row.Keyword, _) = await TimeAsync(exact, corpus, SearchMode.Keyword, Queries(count, queryCount, 1)).ConfigureAwait(false);
                (row.ExactHybrid, _) = await TimeAsync(exact, corpus, SearchMode.Hybrid, Queries(count, queryCount, 2)).ConfigureAwait(false);
                row.PeakRssExactMiB = PeakMiB();
                Console.WriteLine($"  ingest {row.IngestDocsPerSecond:N0} docs/s, file {row.FileMiB:F0} MiB, peak RSS {row.PeakRssExactMiB:F0} MiB; exact Dense {row.ExactDense}, Keyword {row.Keyword}, Hybrid {row.ExactHybrid}");
            }

            // Phase 3: the same file with HNSW on; the build starts by itself.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            GC.Collect();
            ResetPeak();
            await using (var approximate = await SemanticMemoryManager.OpenAsync(config with { HnswThreshold = Math.Min(50_000, count / 2) }, corpus).ConfigureAwait(false))
            {
                var options = new SearchOptions { Mode = SearchMode.Dense };
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var start = Stopwatch.GetTimestamp();
                await approximate.SearchMemoryAsync(corpus.Query(0), 10, options).ConfigureAwait(false);
                while (!(await approximate.GetStatsAsync().ConfigureAwait(false)).HnswActive)
                {
                    await Task.Delay(100).ConfigureAwait(false);
                    if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromHours(2))
                    {
                        throw new TimeoutException("HNSW did not become active within 2 hours.");
                    }
                }

                row.HnswBuildSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                row.HnswBuildCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                (row.HnswDense, _) = await TimeAsync(approximate, corpus, SearchMode.Dense, Queries(count, queryCount, 3)).ConfigureAwait(false);
                (row.HnswHybrid, _) = await TimeAsync(approximate, corpus, SearchMode.Hybrid, Queries(count, queryCount, 4)).ConfigureAwait(false);
                (_, row.RecallAt10) = await RecallAsync(approximate, corpus, count, queryCount, truth).ConfigureAwait(false);
                row.HnswExpansionSearch = Search.HnswParameters.ExpansionSearchFor(count);
                row.PeakRssHnswMiB = PeakMiB();
                foreach (var width in sweep)
                {
                    Search.HnswIndex.ExpansionSearchOverride = width;
                    try
                    {
                        var (times, recall) = await RecallAsync(approximate, corpus, count, queryCount, truth).ConfigureAwait(false);
                        Console.WriteLine($"  ef_search {width}: Dense {times}, recall@10 {recall:F3}");
                    }
                    finally
                    {
                        Search.HnswIndex.ExpansionSearchOverride = null;
                    }
                }

                start = Stopwatch.GetTimestamp();
                await approximate.StoreDocumentsAsync(Enumerable.Range(count, 2_000).Select(i => Document(corpus, i))).ConfigureAwait(false);
                row.IncrementalDocsPerSecond = 2_000 / Stopwatch.GetElapsedTime(start).TotalSeconds;
                row.LoadAfter = HnswTuning.LoadAverage();
                Console.WriteLine($"  HNSW build {row.HnswBuildSeconds:F1} s (load + build; {row.HnswBuildCpuSeconds:F0} s of CPU), Dense {row.HnswDense}, Hybrid {row.HnswHybrid}, recall@10 {row.RecallAt10:F3} (ef_search {row.HnswExpansionSearch}), peak RSS {row.PeakRssHnswMiB:F0} MiB, incremental ingest {row.IncrementalDocsPerSecond:N0} docs/s, load {row.LoadAfter}");
            }

            return row;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Dense top-10 of the ground-truth queries through the graph: their timings and recall@10 against exact.</summary>
    private static async Task<(Percentiles Times, double Recall)> RecallAsync(SemanticMemoryManager memory, TopicCorpus corpus, int count, int queryCount, List<string>[] truth)
    {
        var (times, found) = await TimeAsync(memory, corpus, SearchMode.Dense, Queries(count, queryCount, 0)).ConfigureAwait(false);
        var hits = 0;
        for (var q = 0; q < truth.Length; q++)
        {
            hits += found[q].Intersect(truth[q], StringComparer.Ordinal).Count();
        }

        return (times, hits / (double)truth.Sum(t => Math.Min(10, t.Count)));
    }

    private static MemoryDocument Document(TopicCorpus corpus, int i) => new()
    {
        Id = "d" + i.ToString(Inv),
        Content = corpus.Document(i),
        ConversationId = "c" + (i / 20).ToString(Inv),
        Role = (i % 2 == 0) ? "user" : "assistant",
    };

    /// <summary>Query source documents for one round: distinct per round, spread over the whole store.</summary>
    private static int[] Queries(int count, int queryCount, int round) =>
        Enumerable.Range(0, queryCount).Select(i => (int)(((long)(round * queryCount + i) * 7919 + 13) % count)).ToArray();

    private static async Task<(Percentiles Times, List<string>[] Ids)> TimeAsync(SemanticMemoryManager memory, TopicCorpus corpus, SearchMode mode, int[] sources)
    {
        var options = new SearchOptions { Mode = mode };
        await memory.SearchMemoryAsync("warm up " + mode, 10, options).ConfigureAwait(false);
        var times = new List<double>();
        var ids = new List<string>[sources.Length];
        for (var q = 0; q < sources.Length; q++)
        {
            var query = corpus.Query(sources[q]);
            var start = Stopwatch.GetTimestamp();
            var results = await memory.SearchMemoryAsync(query, 10, options).ConfigureAwait(false);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            ids[q] = results.Select(r => r.Id).ToList();
        }

        var sorted = times.Order().ToArray();
        double At(int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return (new Percentiles(At(50), At(95)), ids);
    }

    /// <summary>Resets the kernel's peak-RSS mark (VmHWM) of this process (Linux; elsewhere a no-op).</summary>
    private static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux or not allowed: the peak then covers the whole process.
        }
    }

    private static double PeakMiB()
    {
        if (File.Exists("/proc/self/status"))
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv) / 1024.0;
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

/// <summary>p50 and p95 of one query round, in milliseconds.</summary>
public readonly record struct Percentiles(double P50, double P95)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{P50:F2}/{P95:F2} ms");
}

/// <summary>One size's results: a row of <c>scale.tsv</c>.</summary>
public sealed class ScaleRow
{
    public const string Header = "documents\tdate_utc\tload_before\tload_after\tingest_docs_s\tfile_mib\tpeak_rss_exact_mib\tpeak_rss_hnsw_mib\tdense_exact_p50\tdense_exact_p95\tkeyword_p50\tkeyword_p95\thybrid_exact_p50\thybrid_exact_p95\thnsw_build_s\tdense_hnsw_p50\tdense_hnsw_p95\thybrid_hnsw_p50\thybrid_hnsw_p95\trecall_at_10\tincremental_docs_s\thnsw_build_cpu_s\thnsw_ef_search";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public int Documents { get; set; }
    public string Date { get; set; } = "";
    public string LoadBefore { get; set; } = "";
    public string LoadAfter { get; set; } = "";
    public double IngestDocsPerSecond { get; set; }
    public double FileMiB { get; set; }
    public double PeakRssExactMiB { get; set; }
    public double PeakRssHnswMiB { get; set; }
    public Percentiles ExactDense { get; set; }
    public Percentiles Keyword { get; set; }
    public Percentiles ExactHybrid { get; set; }
    public double HnswBuildSeconds { get; set; }
    public Percentiles HnswDense { get; set; }
    public Percentiles HnswHybrid { get; set; }
    public double RecallAt10 { get; set; }
    public double IncrementalDocsPerSecond { get; set; }
    public double HnswBuildCpuSeconds { get; set; }

    /// <summary>The ef_search the engine's graph used for <see cref="RecallAt10"/> (0: not recorded, rows measured before the rule).</summary>
    public int HnswExpansionSearch { get; set; }

    public string ToTsv() => string.Join('\t',
        Documents.ToString(Inv), Date, LoadBefore, LoadAfter, F(IngestDocsPerSecond, 0), F(FileMiB, 1), F(PeakRssExactMiB, 0), F(PeakRssHnswMiB, 0),
        F(ExactDense.P50, 2), F(ExactDense.P95, 2), F(Keyword.P50, 2), F(Keyword.P95, 2), F(ExactHybrid.P50, 2), F(ExactHybrid.P95, 2),
        F(HnswBuildSeconds, 1), F(HnswDense.P50, 2), F(HnswDense.P95, 2), F(HnswHybrid.P50, 2), F(HnswHybrid.P95, 2), F(RecallAt10, 3), F(IncrementalDocsPerSecond, 0), F(HnswBuildCpuSeconds, 0),
        HnswExpansionSearch.ToString(Inv));

    public static ScaleRow Parse(string line)
    {
        var c = line.Split('\t');
        double D(int i) => double.Parse(c[i], Inv);
        return new ScaleRow
        {
            Documents = int.Parse(c[0], Inv), Date = c[1], LoadBefore = c[2], LoadAfter = c[3], IngestDocsPerSecond = D(4), FileMiB = D(5),
            PeakRssExactMiB = D(6), PeakRssHnswMiB = D(7), ExactDense = new(D(8), D(9)), Keyword = new(D(10), D(11)), ExactHybrid = new(D(12), D(13)),
            HnswBuildSeconds = D(14), HnswDense = new(D(15), D(16)), HnswHybrid = new(D(17), D(18)), RecallAt10 = D(19), IncrementalDocsPerSecond = D(20),
            HnswBuildCpuSeconds = c.Length > 21 ? D(21) : 0,
            HnswExpansionSearch = c.Length > 22 ? int.Parse(c[22], Inv) : 0,
        };
    }

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(Inv), Inv);
}
