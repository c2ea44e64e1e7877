using System.Diagnostics;
using System.Globalization;
using Cloud.Unum.USearch;
using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// Why HNSW recall falls with N, on the scale benchmark's own vectors (<see cref="TopicCorpus"/>: one topic cluster per
/// 100 documents, so 1,000 clusters at 100k and 10,000 at 1M) and the search core (no SQLite): each graph shape is
/// built once, then searched with several ef_search widths and re-scored candidate counts. Separates graph quality
/// (float32 vs int8 graph, M), navigation (queries whose top-10 misses its cluster entirely) and re-scoring.
/// Run: <c>dotnet run -c Release -- harness hnsw-shape --size 300000 [--builds 16:64:Int8,16:64:Float32] [--ef 96,192,384] [--candidates 20,100]</c>.
/// </summary>
public static class HnswShapeHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Run(int count, string builds, string efs, string candidates)
    {
        HnswIndex.LowerBuildPriority = false;
        var corpus = new TopicCorpus(count);
        var vectors = new float[count][];
        Parallel.For(0, count, i => vectors[i] = corpus.Embed(corpus.Document(i)));
        var queries = Enumerable.Range(0, 200).Select(i => corpus.Embed(corpus.Query((int)(((long)i * 7919 + 13) % count)))).ToArray();
        var ids = Enumerable.Range(1, count).Select(i => (long)i).ToArray();
        using var exact = new VectorIndex(SyntheticVectors.Dimensions, int8: false);
        exact.Apply(vectors.Select((v, i) => new VectorChange(i + 1, v)).ToArray());
        var truth = queries.Select(q => exact.Search(q, 10, -1f, null).Select(t => t.RowId).ToHashSet()).ToArray();

        Console.WriteLine($"## HNSW shape vs recall@10, {count:N0} topic vectors ({corpus.Topics:N0} clusters), 200 queries, {Environment.ProcessorCount} processors, load {HnswTuning.LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine("| M | ef_add | Graph | Build | ef_search | Re-scored | Search p50 | recall@10, graph's ranking | recall@10, re-scored | queries missing all 10 |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var build in builds.Split(','))
        {
            var b = build.Split(':');
            var shape = new HnswParameters(int.Parse(b[0], Inv), int.Parse(b[1], Inv), 96, Enum.Parse<ScalarKind>(b[2]));
            var start = Stopwatch.GetTimestamp();
            using var hnsw = HnswIndex.TryBuild(ids, vectors, SyntheticVectors.Dimensions, out var failure, 0, shape)
                ?? throw new InvalidOperationException("HNSW unavailable: " + failure);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            foreach (var ef in efs.Split(',').Select(e => int.Parse(e, Inv)))
            {
                if (!hnsw.TrySetExpansionSearch(ef))
                {
                    throw new InvalidOperationException("ef_search cannot be changed with this binding.");
                }

                foreach (var c in candidates.Split(',').Select(e => int.Parse(e, Inv)))
                {
                    var times = new List<double>();
                    int own = 0, rescored = 0, missed = 0;
                    for (var q = 0; q < queries.Length; q++)
                    {
                        own += hnsw.Search(queries[q], 10).Count(f => truth[q].Contains(f.RowId));
                        var t0 = Stopwatch.GetTimestamp();
                        var found = hnsw.Search(queries[q], 10, exact, c);
                        times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                        var hits = found.Count(f => truth[q].Contains(f.RowId));
                        rescored += hits;
                        missed += hits == 0 ? 1 : 0;
                    }

                    Console.WriteLine($"| {shape.Connectivity} | {shape.ExpansionAdd} | {shape.Quantization} | {seconds:F1} s | {ef} | {c} | {Harness.P(times, 50)} | {own / 2000.0:F3} | {rescored / 2000.0:F3} | {missed} |");
                }
            }
        }
    }
}
