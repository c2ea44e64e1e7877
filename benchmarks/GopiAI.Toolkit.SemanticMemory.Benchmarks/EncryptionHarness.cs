using System.Diagnostics;
using System.Globalization;
using GopiAI.Toolkit.Security;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// The cost of encryption at rest, against the same memory stored in plaintext, in the same process: ingest throughput,
/// search p50/p95 in each mode, and file size. Plain and encrypted runs alternate (P, E, P, E) on fresh files with
/// the same documents and queries, so load on the machine hits both alike. Fake deterministic embeddings (what is
/// measured is the store); result cache off. Run: <c>dotnet run -c Release -- harness encryption [--size N]</c>.
/// </summary>
internal static class EncryptionHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(int count)
    {
        var corpus = new SyntheticCorpus();
        var documents = Enumerable.Range(0, count).Select(i => new MemoryDocument
        {
            Id = "d" + i.ToString(Inv),
            Content = corpus.Document(i),
            ConversationId = "c" + (i / 20).ToString(Inv),
            Role = i % 2 == 0 ? "user" : "assistant",
            Metadata = new Dictionary<string, string> { ["tenant"] = "t" + (i % 7).ToString(Inv) },
        }).ToList();
        var queries = Enumerable.Range(0, 200).Select(i => corpus.Query(i * 7919 % count)).ToArray();
        Console.WriteLine($"## Encryption at rest: {count:N0} synthetic documents (fake embeddings, int8 vectors), 200 queries, alternating runs");
        Console.WriteLine("| Run | File | Ingest | Hybrid p50 | Hybrid p95 | Dense p50 | Keyword p50 | Filtered (metadata) p50 | File size (after optimize) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (var round = 1; round <= 2; round++)
        {
            foreach (var encrypted in new[] { false, true })
            {
                using var key = encrypted ? MemoryEncryptionKey.Generate() : null;
                await RunOnceAsync(round, key, documents, queries).ConfigureAwait(false);
            }
        }
    }

    private static async Task RunOnceAsync(int round, SecretBuffer? key, List<MemoryDocument> documents, string[] queries)
    {
        var folder = Directory.CreateTempSubdirectory("gopiai-bench-enc-");
        try
        {
            using var generator = new HashEmbeddingGenerator();
            var config = new MemoryConfig
            {
                IndexPath = Path.Combine(folder.FullName, "memory.db"),
                MaxDocuments = documents.Count * 2,
                ResultCacheSize = 0,
                SimilarityThreshold = 0f,
                EncryptionKey = key,
            };
            await using var memory = await SemanticMemoryManager.OpenAsync(config, generator).ConfigureAwait(false);
            var start = Stopwatch.GetTimestamp();
            await memory.StoreDocumentsAsync(documents).ConfigureAwait(false);
            var ingest = documents.Count / Stopwatch.GetElapsedTime(start).TotalSeconds;
            await memory.OptimizeIndexAsync().ConfigureAwait(false);
            var size = (await memory.GetStatsAsync().ConfigureAwait(false)).FileSizeBytes;

            var cells = new List<string>();
            foreach (var options in new[]
            {
                new SearchOptions { Mode = SearchMode.Hybrid },
                new SearchOptions { Mode = SearchMode.Dense },
                new SearchOptions { Mode = SearchMode.Keyword },
                new SearchOptions { Mode = SearchMode.Hybrid, Metadata = new Dictionary<string, string> { ["tenant"] = "t3" } },
            })
            {
                await memory.SearchMemoryAsync("warm up", 10, options).ConfigureAwait(false);
                var times = new List<double>(queries.Length);
                foreach (var query in queries)
                {
                    start = Stopwatch.GetTimestamp();
                    await memory.SearchMemoryAsync(query, 10, options).ConfigureAwait(false);
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }

                cells.Add(Harness.P(times, 50));
                if (options.Mode == SearchMode.Hybrid && options.Metadata is null)
                {
                    cells.Add(Harness.P(times, 95));
                }
            }

            Console.WriteLine($"| {round} | {(key is null ? "plain" : "encrypted")} | {ingest:N0} docs/s | {string.Join(" | ", cells)} | {size / 1048576.0:F1} MiB |");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
