using System.Diagnostics;
using System.Globalization;
using GopiAI.Toolkit.Testing;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// The same synthetic corpus on both providers (<c>harness providers [--size N] [--pg connection-string]</c>): ingest
/// docs/s, Dense/Keyword/Hybrid p50/p95 through <see cref="SemanticMemoryManager.SearchMemoryAsync"/>, recall@10 of the
/// provider's approximate dense index against its exact search, and on PostgreSQL four concurrent clients (four
/// managers, as four app instances would be). Without <c>--pg</c> a PGlite server is started on loopback: PostgreSQL
/// compiled to WebAssembly, single-threaded, so its figures are a floor for a real server.
/// </summary>
internal static class ProviderHarness
{
    private const int Queries = 200;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(int count, string? connectionString)
    {
        PGliteServer? server = null;
        if (connectionString is null)
        {
            server = await PGliteServer.StartAsync().ConfigureAwait(false);
            connectionString = server.ConnectionString(maxPoolSize: 6);
        }

        var folder = Directory.CreateTempSubdirectory("gopiai-providers-");
        try
        {
            var corpus = new SyntheticCorpus();
            var queries = Enumerable.Range(0, Queries).Select(i => corpus.Query(i * 7919 % count)).ToArray();
            Console.WriteLine($"## Providers, {count:N0} synthetic documents (fake deterministic embeddings), {Queries} queries, {(server is null ? "PostgreSQL server given by --pg" : "PGlite (WebAssembly, single-threaded)")}");
            Console.WriteLine("| Provider | Ingest docs/s | Hybrid p50 | Hybrid p95 | Dense p50 | Dense p95 | Keyword p50 | Keyword p95 | Dense index | recall@10 vs exact |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|");
            var sqlite = Config(count) with { IndexPath = Path.Combine(folder.FullName, "memory.db") };
            await MeasureAsync("SQLite", sqlite, count, corpus, queries, optimize: true).ConfigureAwait(false);
            var postgres = Config(count) with
            {
                Provider = MemoryProvider.Postgres,
                ConnectionString = connectionString,
                PostgresSchema = "bench_" + Guid.NewGuid().ToString("N")[..12],
            };
            await MeasureAsync("PostgreSQL", postgres, count, corpus, queries, optimize: false).ConfigureAwait(false);
            await ConcurrentAsync(postgres, queries).ConfigureAwait(false);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static MemoryConfig Config(int count) => new()
    {
        MaxDocuments = count * 2,
        ResultCacheSize = 0,
        SimilarityThreshold = 0f,

        // The approximate index is measured at every size: the default threshold (50,000) at 100k, half the corpus below.
        HnswThreshold = Math.Min(50_000, count / 2),
    };

    private static async Task MeasureAsync(string name, MemoryConfig config, int count, SyntheticCorpus corpus, string[] queries, bool optimize)
    {
        using var generator = new HashEmbeddingGenerator();
        double ingest;
        await using (var memory = await SemanticMemoryManager.OpenAsync(config, generator).ConfigureAwait(false))
        {
            var start = Stopwatch.GetTimestamp();
            var stored = await memory.StoreDocumentsAsync(Documents(count, corpus)).ConfigureAwait(false);
            ingest = stored.Stored / Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (optimize)
            {
                await memory.OptimizeIndexAsync().ConfigureAwait(false);
            }

            var hybrid = await TimeAsync(memory, queries, SearchMode.Hybrid).ConfigureAwait(false);
            var dense = await TimeAsync(memory, queries, SearchMode.Dense).ConfigureAwait(false);
            var keyword = await TimeAsync(memory, queries, SearchMode.Keyword).ConfigureAwait(false);
            var index = (await memory.GetStatsAsync().ConfigureAwait(false)).HnswActive ? "HNSW" : "exact";

            // Recall: the same queries through a second instance whose threshold keeps dense search exact.
            await using var exact = await SemanticMemoryManager.OpenAsync(config with { HnswThreshold = int.MaxValue }, generator).ConfigureAwait(false);
            double hits = 0;
            foreach (var query in queries)
            {
                var truth = (await exact.SearchMemoryAsync(query, 10, new SearchOptions { Mode = SearchMode.Dense }).ConfigureAwait(false)).Select(r => r.Id).ToHashSet();
                var found = await memory.SearchMemoryAsync(query, 10, new SearchOptions { Mode = SearchMode.Dense }).ConfigureAwait(false);
                hits += found.Count(r => truth.Contains(r.Id)) / (double)Math.Max(1, truth.Count);
            }

            Console.WriteLine($"| {name} | {ingest.ToString("N0", Inv)} | {Harness.P(hybrid, 50)} | {Harness.P(hybrid, 95)} | {Harness.P(dense, 50)} | {Harness.P(dense, 95)} | {Harness.P(keyword, 50)} | {Harness.P(keyword, 95)} | {index} | {(hits / queries.Length).ToString("F3", Inv)} |");
        }
    }

    /// <summary>Four instances searching at once (Hybrid), each its own share of the queries; latency per query and total throughput.</summary>
    private static async Task ConcurrentAsync(MemoryConfig config, string[] queries)
    {
        using var generator = new HashEmbeddingGenerator();
        var clients = new List<SemanticMemoryManager>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                clients.Add(await SemanticMemoryManager.OpenAsync(config, generator).ConfigureAwait(false));
            }

            var times = new List<double>();
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
            {
                for (var i = c; i < queries.Length; i += clients.Count)
                {
                    var begin = Stopwatch.GetTimestamp();
                    await client.SearchMemoryAsync(queries[i], 10).ConfigureAwait(false);
                    var elapsed = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
                    lock (times)
                    {
                        times.Add(elapsed);
                    }
                }
            }))).ConfigureAwait(false);
            var total = Stopwatch.GetElapsedTime(start).TotalSeconds;
            Console.WriteLine($"PostgreSQL, 4 concurrent clients (Hybrid): p50 {Harness.P(times, 50)}, p95 {Harness.P(times, 95)}, {(queries.Length / total).ToString("N0", Inv)} queries/s in all");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static List<MemoryDocument> Documents(int count, SyntheticCorpus corpus) =>
        Enumerable.Range(0, count).Select(i => new MemoryDocument
        {
            Id = "d" + i.ToString(Inv),
            Content = corpus.Document(i),
            ConversationId = "c" + (i / 20).ToString(Inv),
            Role = (i % 2 == 0) ? "user" : "assistant",
        }).ToList();

    private static async Task<List<double>> TimeAsync(SemanticMemoryManager memory, string[] queries, SearchMode mode)
    {
        var options = new SearchOptions { Mode = mode };
        await memory.SearchMemoryAsync("warm up", 10, options).ConfigureAwait(false);
        var times = new List<double>(queries.Length);
        foreach (var query in queries)
        {
            var start = Stopwatch.GetTimestamp();
            await memory.SearchMemoryAsync(query, 10, options).ConfigureAwait(false);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return times;
    }
}
