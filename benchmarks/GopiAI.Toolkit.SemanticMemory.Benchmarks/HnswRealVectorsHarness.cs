using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloud.Unum.USearch;
using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// HNSW recall@10 against exact search on real all-MiniLM-L6-v2 embeddings of real text, where the scale benchmark
/// uses fake clustered vectors. Texts (deduplicated, 6 to 80 words): the STS-B test sentences (../shared/data), the
/// assistant sample's conversation turns, and the sentences of this repository's Markdown docs and code comments.
/// Queries are fresh: the STS-B sentence 1 of every other pair and the sample's scripted questions, none of them stored.
/// Run: <c>dotnet run -c Release -- harness hnsw-real [--size N] [--queries N]</c>.
/// </summary>
/// <remarks>
/// Two measurements over the same vectors:
/// <list type="number">
/// <item>Public API: one manager stores every text with HNSW off (<c>HnswThreshold = int.MaxValue</c>) and answers
/// Dense top-10 for each query (the ground truth); a second manager over the same file with <c>HnswThreshold = 1,000</c>
/// builds the graph in the background (the engine's shape, <see cref="HnswParameters.For"/>) and answers the same
/// queries once it is active. Recall@10 is the overlap of the two top-10s.</item>
/// <item>Search core: the same texts' vectors in an exact float32 <see cref="VectorIndex"/> and in graphs of a few
/// shapes (int8 and float32 storage, ef_search 96 and wider): recall@10 of the graph's own ranking and after the
/// engine's exact re-scoring, which separates quantisation from graph quality.</item>
/// </list>
/// </remarks>
public static class HnswRealVectorsHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(string repositoryRoot, int maxTexts, int maxQueries)
    {
        var (texts, queries) = Texts(repositoryRoot, maxTexts, maxQueries);
        Console.WriteLine($"## HNSW vs exact on all-MiniLM-L6-v2 vectors: {texts.Count:N0} texts, {queries.Count} fresh queries, {Environment.ProcessorCount} processors, load {HnswTuning.LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        var folder = Directory.CreateTempSubdirectory("gopiai-hnsw-real-");
        try
        {
            // One cache for every text and query: the manager's embeddings of the stored texts are then the vectors
            // the core measurement uses, computed once.
            using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = texts.Count + queries.Count + 100 });
            var start = Stopwatch.GetTimestamp();
            var vectors = generator.Embed(texts);
            var queryVectors = generator.Embed(queries);
            Console.WriteLine($"  embedded in {Stopwatch.GetElapsedTime(start).TotalSeconds:F0} s (the managers below find these vectors in the generator's cache, queries included: their timings are search only)");

            var config = new MemoryConfig
            {
                IndexPath = Path.Combine(folder.FullName, "memory.db"),
                MaxDocuments = texts.Count + 1_000,
                ResultCacheSize = 0,
                SimilarityThreshold = 0f,
                HnswThreshold = int.MaxValue,
            };
            var dense = new SearchOptions { Mode = SearchMode.Dense };
            List<string>[] truth;
            List<double> exactTimes;
            await using (var exact = await SemanticMemoryManager.OpenAsync(config, generator).ConfigureAwait(false))
            {
                await exact.StoreDocumentsAsync(texts.Select((t, i) => new MemoryDocument { Id = "r" + i.ToString(Inv), Content = t })).ConfigureAwait(false);
                (exactTimes, truth) = await SearchAllAsync(exact, queries, dense).ConfigureAwait(false);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await using (var approximate = await SemanticMemoryManager.OpenAsync(config with { HnswThreshold = 1_000 }, generator).ConfigureAwait(false))
            {
                start = Stopwatch.GetTimestamp();
                await approximate.SearchMemoryAsync(queries[0], 10, dense).ConfigureAwait(false);
                while (!(await approximate.GetStatsAsync().ConfigureAwait(false)).HnswActive)
                {
                    await Task.Delay(50).ConfigureAwait(false);
                    if (Stopwatch.GetElapsedTime(start) > TimeSpan.FromMinutes(30))
                    {
                        throw new TimeoutException("HNSW did not become active within 30 minutes.");
                    }
                }

                var build = Stopwatch.GetElapsedTime(start);
                var shape = HnswParameters.For(texts.Count);
                var (times, found) = await SearchAllAsync(approximate, queries, dense).ConfigureAwait(false);
                var hits = 0;
                var complete = 0;
                var firstSame = 0;
                for (var q = 0; q < queries.Count; q++)
                {
                    var overlap = found[q].Intersect(truth[q], StringComparer.Ordinal).Count();
                    hits += overlap;
                    complete += overlap == Math.Min(10, truth[q].Count) ? 1 : 0;
                    firstSame += found[q].Count > 0 && truth[q].Count > 0 && found[q][0] == truth[q][0] ? 1 : 0;
                }

                Console.WriteLine("### Public API (SearchMemoryAsync, Dense top-10; exact = HNSW off over the same file)");
                Console.WriteLine("| Texts | Queries | Dense index | Build (load included) | p50 | p95 | recall@10 | queries with all 10 | same top-1 |");
                Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|");
                Console.WriteLine($"| {texts.Count:N0} | {queries.Count} | exact (int8 matrix, float re-scoring) | - | {Harness.P(exactTimes, 50)} | {Harness.P(exactTimes, 95)} | 1.000 | {queries.Count} | {queries.Count} |");
                Console.WriteLine($"| {texts.Count:N0} | {queries.Count} | HNSW (M {shape.Connectivity}, ef_add {shape.ExpansionAdd}, ef_search {shape.ExpansionSearch}, {shape.Quantization} graph) | {build.TotalSeconds:F1} s | {Harness.P(times, 50)} | {Harness.P(times, 95)} | **{hits / (double)truth.Sum(t => Math.Min(10, t.Count)):F3}** | {complete} | {firstSame} |");
            }

            Core(vectors, queryVectors);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static void Core(float[][] vectors, float[][] queries)
    {
        HnswIndex.LowerBuildPriority = false;
        var dims = vectors[0].Length;
        var ids = Enumerable.Range(1, vectors.Length).Select(i => (long)i).ToArray();
        using var exact = new VectorIndex(dims, int8: false);
        exact.Apply(vectors.Select((v, i) => new VectorChange(i + 1, v)).ToArray());
        var truth = queries.Select(q => exact.Search(q, 10, -1f, null).Select(t => t.RowId).ToHashSet()).ToArray();
        Console.WriteLine("### Search core (same vectors; exact float32 scan as the truth)");
        Console.WriteLine("| Graph | M | ef_add | ef_search | Build | recall@10, graph's own ranking | recall@10, best 20 re-scored (engine) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var shape in new[] { HnswParameters.For(vectors.Length), HnswParameters.For(vectors.Length) with { Quantization = ScalarKind.Float32 } })
        {
            var start = Stopwatch.GetTimestamp();
            using var graph = HnswIndex.TryBuild(ids, vectors, dims, out var failure, 0, shape) ?? throw new InvalidOperationException("HNSW unavailable: " + failure);
            var build = Stopwatch.GetElapsedTime(start);
            foreach (var width in new[] { shape.ExpansionSearch, 4 * shape.ExpansionSearch })
            {
                _ = graph.TrySetExpansionSearch(width);
                int own = 0, rescored = 0;
                for (var q = 0; q < queries.Length; q++)
                {
                    own += graph.Search(queries[q], 10).Count(f => truth[q].Contains(f.RowId));
                    rescored += graph.Search(queries[q], 10, exact).Count(f => truth[q].Contains(f.RowId));
                }

                Console.WriteLine($"| {shape.Quantization} | {shape.Connectivity} | {shape.ExpansionAdd} | {width} | {build.TotalSeconds:F1} s | {own / (10.0 * queries.Length):F3} | {rescored / (10.0 * queries.Length):F3} |");
            }
        }
    }

    private static async Task<(List<double> Times, List<string>[] Ids)> SearchAllAsync(SemanticMemoryManager memory, IReadOnlyList<string> queries, SearchOptions options)
    {
        var times = new List<double>();
        var ids = new List<string>[queries.Count];
        for (var q = 0; q < queries.Count; q++)
        {
            var start = Stopwatch.GetTimestamp();
            var results = await memory.SearchMemoryAsync(queries[q], 10, options).ConfigureAwait(false);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            ids[q] = results.Select(r => r.Id).ToList();
        }

        return (times, ids);
    }

    /// <summary>The stored texts and the fresh queries, deterministic for a given checkout.</summary>
    internal static (List<string> Texts, List<string> Queries) Texts(string root, int maxTexts, int maxQueries)
    {
        var stored = new List<string>();
        var queries = new List<string>();
        var sts = Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "stsbenchmark", "sts-test.csv"));
        if (File.Exists(sts))
        {
            var pairs = File.ReadLines(sts).Select(l => l.Split('\t')).Where(f => f.Length >= 7).ToList();
            for (var i = 0; i < pairs.Count; i++)
            {
                (i % 2 == 0 ? queries : stored).Add(pairs[i][5]);
                stored.Add(pairs[i][6]);
            }
        }

        var data = Path.Combine(root, "samples", "GopiAI.Toolkit.Samples.Assistant", "Data");
        stored.AddRange(File.ReadLines(Path.Combine(data, "conversations.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("content").GetString()!));
        using (var questions = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "questions.json"))))
        {
            queries.AddRange(questions.RootElement.EnumerateArray().Select(q => q.GetProperty("question").GetString()!));
        }

        var markdown = new[] { "README.md", "CHANGELOG.md" }.Select(f => Path.Combine(root, f))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        foreach (var file in markdown.Where(File.Exists))
        {
            var text = Regex.Replace(File.ReadAllText(file), "```.*?```", " ", RegexOptions.Singleline);
            stored.AddRange(text.Split('\n').Where(l => !l.StartsWith('|') && !l.StartsWith('#')).SelectMany(Sentences));
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            // Comment blocks (XML docs and why-comments) as prose.
            var block = new List<string>();
            foreach (var line in File.ReadLines(file).Append(""))
            {
                var t = line.Trim();
                if (t.StartsWith("//", StringComparison.Ordinal))
                {
                    block.Add(Regex.Replace(t.TrimStart('/').Trim(), "<[^>]+>", ""));
                }
                else if (block.Count > 0)
                {
                    stored.AddRange(Sentences(string.Join(' ', block)));
                    block.Clear();
                }
            }
        }

        var fresh = queries.Distinct(StringComparer.Ordinal).Take(maxQueries).ToList();
        var asked = fresh.ToHashSet(StringComparer.Ordinal);
        var texts = stored.Select(s => s.Trim()).Where(s => s.Length > 0 && !asked.Contains(s)).Distinct(StringComparer.Ordinal).Take(maxTexts).ToList();
        return (texts, fresh);
    }

    private static IEnumerable<string> Sentences(string text) =>
        Regex.Split(text, @"(?<=[.!?])\s+").Select(s => s.Trim()).Where(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is >= 6 and <= 80);
}
