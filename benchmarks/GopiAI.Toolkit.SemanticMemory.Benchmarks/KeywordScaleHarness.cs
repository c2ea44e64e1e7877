using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// Dense, Keyword and Hybrid side by side at <c>--size</c> documents before any HNSW build (issue 13, "bounded keyword
/// work"): <c>HnswThreshold</c> above the store size, result cache off, fake deterministic embeddings (as in <c>e2e</c>).
/// Each round runs the three modes in rotating order, each on a fresh query of the round's shape, from a mix of four
/// shapes: four words of a stored document (the <c>e2e</c> queries), a question of common words, a rare identifier
/// (one stored document in 100 carries one), and 1,000 characters of corpus words (the <c>longquery</c> worst shape).
/// Prints p50/p95/max per mode over the whole mix and per shape, and the load average before and after.
/// <c>--db PATH</c> keeps the store at PATH (built when missing) so repeated runs skip the ingest.
/// </summary>
public static class KeywordScaleHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly SearchMode[] Modes = [SearchMode.Dense, SearchMode.Keyword, SearchMode.Hybrid];

    public static async Task RunAsync(int count, int rounds, string? keepPath)
    {
        var folder = keepPath is null ? Directory.CreateTempSubdirectory("gopiai-bench-keyword-") : null;
        try
        {
            var path = keepPath ?? Path.Combine(folder!.FullName, "memory.db");
            using var generator = new HashEmbeddingGenerator();
            var config = new MemoryConfig
            {
                IndexPath = path,
                MaxDocuments = count * 2,
                HnswThreshold = (count * 2) + 1,
                ResultCacheSize = 0,
                SimilarityThreshold = 0f,
            };
            var corpus = new SyntheticCorpus();
            var existed = File.Exists(path);
            await using var memory = await SemanticMemoryManager.OpenAsync(config, generator).ConfigureAwait(false);
            if (!existed)
            {
                var start = Stopwatch.GetTimestamp();
                await memory.StoreDocumentsAsync(Enumerable.Range(0, count).Select(i => new MemoryDocument { Id = "d" + i.ToString(Inv), Content = Document(corpus, i) })).ConfigureAwait(false);
                Console.WriteLine($"Ingest of {count:N0} documents: {Stopwatch.GetElapsedTime(start).TotalSeconds:F0} s");
            }

            var stats = await memory.GetStatsAsync().ConfigureAwait(false);
            Console.WriteLine($"## Dense, Keyword and Hybrid side by side at {stats.DocumentCount:N0} documents, exact dense (HNSW active: {stats.HnswActive}), {rounds} rounds");
            Console.WriteLine($"Load average before: {LoadAverage()}");
            foreach (var mode in Modes)
            {
                await memory.SearchMemoryAsync("warm up " + mode, 10, new SearchOptions { Mode = mode }).ConfigureAwait(false);
            }

            var shapes = Shapes(corpus, count);
            var times = Modes.ToDictionary(m => m, _ => shapes.Select(_ => new List<double>()).ToArray());
            for (var round = 0; round < rounds; round++)
            {
                var shape = round % shapes.Length;
                for (var m = 0; m < Modes.Length; m++)
                {
                    // Rotate which mode goes first, and give every (round, mode) its own query: no cache helps anyone.
                    var mode = Modes[(round + m) % Modes.Length];
                    var query = shapes[shape].Make((round * Modes.Length) + m);
                    var start = Stopwatch.GetTimestamp();
                    await memory.SearchMemoryAsync(query, 10, new SearchOptions { Mode = mode }).ConfigureAwait(false);
                    times[mode][shape].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            Console.WriteLine($"Load average after: {LoadAverage()}");
            Console.WriteLine("| Mode | p50 | p95 | max |" + string.Concat(shapes.Select(s => $" {s.Name} p50 / p95 |")));
            Console.WriteLine("|---|---:|---:|---:|" + string.Concat(shapes.Select(_ => "---:|")));
            foreach (var mode in Modes)
            {
                var all = times[mode].SelectMany(t => t).ToList();
                Console.WriteLine($"| {mode} | {Harness.P(all, 50)} | {Harness.P(all, 95)} | {all.Max():F1} ms |"
                    + string.Concat(times[mode].Select(t => $" {Harness.P(t, 50)} / {Harness.P(t, 95)} |")));
            }

            await memory.DisposeAsync().ConfigureAwait(false);
            await WorkAsync(config, shapes, corpus, count).ConfigureAwait(false);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder?.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The keyword leg's work per shape, at the store (what the bound promises): document-count lookups read from the
    /// index, required and scoring words of the match and rows ranked by BM25, p50 / max over fresh queries; and, for the four-word queries,
    /// MRR@10 of the document they were taken from (the keyword leg's quality at this size).
    /// </summary>
    private static async Task WorkAsync(MemoryConfig config, (string Name, Func<int, string> Make)[] shapes, SyntheticCorpus corpus, int count)
    {
        await using var store = await Storage.Sqlite.SqliteMemoryStore.OpenAsync(config, SyntheticVectors.Dimensions, new NoObserver(), CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine("| Query shape | lookups p50 / max | required + scoring words p50 / max | rows ranked p50 / max | store call p50 / p95 | CPU p50 / p95 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, make) in shapes)
        {
            var work = new List<Storage.Sqlite.SqliteMemoryStore.KeywordWork>();
            var times = new List<double>();
            var cpu = new List<double>();
            for (var round = 0; round < 100; round++)
            {
                var words = Search.KeywordQuery.Words(make(100_000 + round));
                var start = Stopwatch.GetTimestamp();
                var cpuStart = ProcessCpuMilliseconds();
                await store.SearchKeywordAsync(words, Storage.RowFilter.None, 50, CancellationToken.None).ConfigureAwait(false);
                cpu.Add(ProcessCpuMilliseconds() - cpuStart);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                work.Add(store.LastKeywordWork);
            }

            Console.WriteLine($"| {name} | {Median(work.Select(w => (long)w.Lookups))} / {work.Max(w => w.Lookups)} | {Median(work.Select(w => (long)w.Required.Count))} + {Median(work.Select(w => (long)w.Scoring.Count))} / {work.Max(w => w.Required.Count)} + {work.Max(w => w.Scoring.Count)} | {Median(work.Select(w => w.RowsRanked))} / {work.Max(w => w.RowsRanked)} | {Harness.P(times, 50)} / {Harness.P(times, 95)} | {Harness.P(cpu, 50)} / {Harness.P(cpu, 95)} |");
        }

        var reciprocal = 0.0;
        const int Queries = 200;
        for (var round = 0; round < Queries; round++)
        {
            var source = ((round * 7_919) + 13) % count;
            var hits = await store.SearchKeywordAsync(Search.KeywordQuery.Words(corpus.Query(source)), Storage.RowFilter.None, 10, CancellationToken.None).ConfigureAwait(false);
            var rows = await store.GetRowsAsync(hits.Select(h => h.RowId).ToList(), null, CancellationToken.None).ConfigureAwait(false);
            var rank = hits.Select((h, i) => (h, i)).FirstOrDefault(x => rows.TryGetValue(x.h.RowId, out var row) && row.Id == "d" + source.ToString(Inv)).i;
            reciprocal += hits.Any(h => rows.TryGetValue(h.RowId, out var row) && row.Id == "d" + source.ToString(Inv)) ? 1.0 / (rank + 1) : 0;
        }

        Console.WriteLine($"Keyword MRR@10 of the source document, {Queries} four-word queries: {reciprocal / Queries:F3}");
    }

    /// <summary>CPU time of the whole process (all threads; the harness runs one search at a time), which load on the machine inflates far less than wall time.</summary>
    private static double ProcessCpuMilliseconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        _ = ClockGetTime(2, out var time); // CLOCK_PROCESS_CPUTIME_ID
        return (time.Seconds * 1e3) + (time.Nanoseconds / 1e6);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private readonly struct TimeSpec
    {
        public readonly long Seconds;
        public readonly long Nanoseconds;
    }

    private static long Median(IEnumerable<long> values) => values.Order().ElementAt(values.Count() / 2);

    private sealed class NoObserver : Storage.IStoreObserver
    {
        public void OnStoreChanged(Storage.StoreChange change)
        {
        }
    }

    /// <summary>A corpus document; one in 100 also carries an error identifier such as <c>ERR_CONN_4700</c>.</summary>
    private static string Document(SyntheticCorpus corpus, int index) =>
        index % 100 == 0 ? corpus.Document(index) + " " + Identifier(index) : corpus.Document(index);

    private static string Identifier(int index) => "ERR_CONN_" + index.ToString(Inv);

    private static (string Name, Func<int, string> Make)[] Shapes(SyntheticCorpus corpus, int count) =>
    [
        ("4 words of a document", seed => corpus.Query(seed * 7919 % count)),
        ("common-word question", seed => CommonQuestion(seed)),
        ("rare identifier", seed => $"what does {Identifier(seed * 7_919 % (count / 100) * 100)} mean"),
        ("1,000 chars", seed => Words(corpus, seed, 1_000)),
    ];

    /// <summary>A question of six words among the 40 most common of the corpus (each in 2 % to 80 % of the documents).</summary>
    private static string CommonQuestion(int seed)
    {
        var random = new Random(seed + 1_000_003);
        var words = Enumerable.Range(0, 6).Select(_ => "w" + random.Next(1, 41).ToString(Inv));
        return "how do I " + string.Join(' ', words) + "?";
    }

    private static string Words(SyntheticCorpus corpus, int seed, int length)
    {
        var builder = new StringBuilder(length + 400);
        for (var i = 0; builder.Length < length; i++)
        {
            builder.Append(corpus.Document((seed * 1_000_003) + 500_000_000 + i)).Append(' ');
        }

        return builder.ToString(0, length).TrimEnd();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
