using System.Diagnostics;
using Cloud.Unum.USearch;
using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// HNSW build time vs recall@10 on the search core (<see cref="HnswIndex"/> vs the exact <see cref="VectorIndex"/>),
/// over clustered synthetic unit vectors: one thread vs one per processor, and a few (M, ef_add) shapes.
/// Run: <c>dotnet run -c Release -- harness hnsw-tune [--size N] [--shapes 16:64:96:Int8@1,...]</c>.
/// </summary>
public static class HnswTuning
{
    public static void Run(int count, string? only = null)
    {
        // The build's own speed, not the scheduler's: the engine lowers its build threads' priority, which on a
        // machine shared with other work would measure that work instead.
        HnswIndex.LowerBuildPriority = false;
        var data = new SyntheticVectors();
        var vectors = data.Many(count);
        var queries = data.Many(200);
        var ids = Enumerable.Range(1, count).Select(i => (long)i).ToArray();
        using var exact = new VectorIndex(SyntheticVectors.Dimensions, int8: false);
        exact.Apply(vectors.Select((v, i) => new VectorChange(i + 1, v)).ToArray());
        var truth = queries.Select(q => exact.Search(q, 10, -1f, null).Select(t => t.RowId).ToHashSet()).ToArray();

        Console.WriteLine($"## HNSW build vs recall@10, {count:N0} clustered 384-dim vectors, 200 queries, {Environment.ProcessorCount} processors, load {LoadAverage()}");
        Console.WriteLine("| M | ef_add | ef_search | Stored as | Threads | Build | Search p50 | recall@10 | recall@10, top-20 re-scored exactly |");
        Console.WriteLine("|---:|---:|---:|---|---:|---:|---:|---:|---:|");
        var shapes = new[]
        {
            new HnswParameters(16, 128, 96), new HnswParameters(16, 64, 96), new HnswParameters(12, 48, 96), new HnswParameters(16, 64, 96, ScalarKind.Float16),
            new HnswParameters(16, 64, 96, ScalarKind.Int8), new HnswParameters(16, 40, 64),
        };
        var runs = shapes.Select(s => (s, 0)).Prepend((shapes[0], 1)).Prepend((HnswParameters.Default, 1));
        if (only is not null)
        {
            // --shapes M:ef_add:ef_search:Float32|Float16|Int8[@threads],... (default: one thread per processor)
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            runs = only.Split(',').Select(x => x.Split('@')).Select(x => (Shape: x[0].Split(':'), Threads: x.Length > 1 ? int.Parse(x[1], inv) : 0))
                .Select(x => (new HnswParameters(int.Parse(x.Shape[0], inv), int.Parse(x.Shape[1], inv), int.Parse(x.Shape[2], inv), Enum.Parse<ScalarKind>(x.Shape[3])), x.Threads));
        }

        foreach (var (shape, threads) in runs)
        {
            var start = Stopwatch.GetTimestamp();
            using var hnsw = HnswIndex.TryBuild(ids, vectors, SyntheticVectors.Dimensions, out var failure, threads, shape)
                ?? throw new InvalidOperationException("HNSW unavailable: " + failure);
            var build = Stopwatch.GetElapsedTime(start);
            var times = new List<double>();
            var hits = 0;
            var rescoredHits = 0;
            for (var q = 0; q < queries.Length; q++)
            {
                start = Stopwatch.GetTimestamp();
                var found = hnsw.Search(queries[q], 10);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                hits += found.Count(f => truth[q].Contains(f.RowId));
                var rescored = hnsw.Search(queries[q], 20).OrderByDescending(f => exact.Similarity(queries[q], f.RowId)).Take(10);
                rescoredHits += rescored.Count(f => truth[q].Contains(f.RowId));
            }

            var used = threads == 0 ? Environment.ProcessorCount : threads;
            Console.WriteLine($"| {shape.Connectivity} | {shape.ExpansionAdd} | {shape.ExpansionSearch} | {shape.Quantization} | {used} | {build.TotalSeconds:F1} s | {Harness.P(times, 50)} | {hits / (10.0 * queries.Length):F3} | {rescoredHits / (10.0 * queries.Length):F3} |");
        }
    }

    /// <summary>The 1-minute load average (Linux), to say how busy the shared machine was.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
