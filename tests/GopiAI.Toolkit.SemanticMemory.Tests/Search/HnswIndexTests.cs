using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Search;

public sealed class HnswIndexTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Search_ClusteredVectors_RecallAt10IsAtLeast095AgainstExact()
    {
        var vectors = VectorIndexTests.ClusteredVectors(5000, 384, 11);
        var ids = Enumerable.Range(1, vectors.Length).Select(i => (long)i).ToArray();
        using var exact = new VectorIndex(384, int8: false);
        exact.Apply(ids.Select((id, i) => new VectorChange(id, vectors[i])).ToList());

        using var hnsw = HnswIndex.TryBuild(ids, vectors, 384, out var failure);

        Assert.True(hnsw is not null, $"USearch could not be loaded: {failure}");
        var queries = VectorIndexTests.ClusteredVectors(100, 384, 12);
        var hits = 0;
        foreach (var query in queries)
        {
            var truth = exact.Search(query, 10, -1f, null).Select(x => x.RowId).ToHashSet();
            hits += hnsw.Search(query, 10, exact).Count(x => truth.Contains(x.RowId));
        }

        output.WriteLine($"HNSW ({HnswParameters.Default}) recall@10 vs exact over 5,000 x 384: {hits / 1000.0:F3}");
        Assert.True(hits / 1000.0 >= 0.95, $"recall@10 = {hits / 1000.0}");
    }

    [Fact]
    public void Apply_RemovedAndAddedRows_AreReflectedInSearch()
    {
        var vectors = VectorIndexTests.ClusteredVectors(200, 64, 13);
        var ids = Enumerable.Range(1, 200).Select(i => (long)i).ToArray();
        using var hnsw = HnswIndex.TryBuild(ids, vectors, 64, out _)!;

        hnsw.Apply([new VectorChange(1, null), new VectorChange(500, vectors[0])]);

        var top = hnsw.Search(vectors[0], 1);
        Assert.Equal(500L, top[0].RowId);

        // The graph stores int8: its own score for the identical vector is close to 1, not exact.
        Assert.True(top[0].Score > 0.97f, $"score {top[0].Score}");
        Assert.Equal(200, hnsw.Count);
    }

    [Fact]
    public void TryBuild_TwoWorkers_AddsConcurrentlyWithTheRecallOfOne()
    {
        var vectors = VectorIndexTests.ClusteredVectors(5000, 384, 21);
        var ids = Enumerable.Range(1, vectors.Length).Select(i => (long)i).ToArray();
        using var exact = new VectorIndex(384, int8: false);
        exact.Apply(ids.Select((id, i) => new VectorChange(id, vectors[i])).ToList());
        var queries = VectorIndexTests.ClusteredVectors(100, 384, 22);
        var truth = queries.Select(q => exact.Search(q, 10, -1f, null).Select(x => x.RowId).ToHashSet()).ToArray();

        using var single = HnswIndex.TryBuild(ids, vectors, 384, out var failure, threads: 1);
        using var parallel = HnswIndex.TryBuild(ids, vectors, 384, out _, threads: 2);

        Assert.True(single is not null && parallel is not null, $"USearch could not be loaded: {failure}");
        double Recall(HnswIndex index) => queries.Select((q, i) => index.Search(q, 10, exact).Count(x => truth[i].Contains(x.RowId))).Sum() / 1000.0;
        var (one, two) = (Recall(single), Recall(parallel));
        output.WriteLine($"recall@10, 5,000 x 384: one worker {one:F3}, two workers {two:F3}");
        Assert.Equal(1, single.BuildWorkers);
        Assert.Equal(2, parallel.BuildWorkers);
        Assert.Equal(5000, parallel.Count);
        Assert.True(two >= 0.95 && Math.Abs(one - two) <= 0.02, $"one worker {one}, two workers {two}");
    }

    [Fact]
    public void TryBuild_Cancelled_ThrowsAndStopsBeforeTheEnd()
    {
        var vectors = VectorIndexTests.ClusteredVectors(20_000, 384, 23);
        var ids = Enumerable.Range(1, vectors.Length).Select(i => (long)i).ToArray();
        var full = System.Diagnostics.Stopwatch.StartNew();
        HnswIndex.TryBuild(ids, vectors, 384, out _, threads: 2)!.Dispose();
        full.Stop();
        using var cancel = new CancellationTokenSource();

        // A dedicated thread, not a timer: a busy thread pool (parallel test classes) could fire a timer after the build.
        var canceller = new Thread(() =>
        {
            Thread.Sleep(50);
            cancel.Cancel();
        });
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        canceller.Start();

        Assert.Throws<OperationCanceledException>(() => HnswIndex.TryBuild(ids, vectors, 384, out _, threads: 2, cancellationToken: cancel.Token));
        canceller.Join();

        // Relative to a full build in the same test (the machine's load varies): a cancelled build stops within one add per worker.
        Assert.True(stopwatch.Elapsed < full.Elapsed / 2, $"cancelled build took {stopwatch.Elapsed}, a full one {full.Elapsed}");
    }

    [Fact]
    public void Apply_ManyAddsBeyondTheBuiltSize_GrowsAndFindsThem()
    {
        var vectors = VectorIndexTests.ClusteredVectors(3000, 64, 24);
        var ids = Enumerable.Range(1, 1000).Select(i => (long)i).ToArray();
        using var hnsw = HnswIndex.TryBuild(ids, vectors[..1000], 64, out _)!;

        hnsw.Apply(Enumerable.Range(1000, 2000).Select(i => new VectorChange(i + 1, vectors[i])).ToList());

        Assert.Equal(3000, hnsw.Count);
        Assert.Equal(2500L, hnsw.Search(vectors[2499], 1)[0].RowId);
    }

    [Fact]
    public void Search_WithTheMatrix_ReturnsExactScoresBestFirst()
    {
        var vectors = VectorIndexTests.ClusteredVectors(2000, 384, 25);
        var ids = Enumerable.Range(1, vectors.Length).Select(i => (long)i).ToArray();
        using var exact = new VectorIndex(384, int8: false);
        exact.Apply(ids.Select((id, i) => new VectorChange(id, vectors[i])).ToList());
        using var hnsw = HnswIndex.TryBuild(ids, vectors, 384, out _)!;

        foreach (var query in VectorIndexTests.ClusteredVectors(20, 384, 26))
        {
            var hits = hnsw.Search(query, 10, exact);

            Assert.Equal(10, hits.Count);
            Assert.All(hits, hit => Assert.Equal(exact.Similarity(query, hit.RowId)!.Value, hit.Score, 6));
            Assert.Equal(hits.Select(h => h.Score).OrderDescending(), hits.Select(h => h.Score));
        }
    }

    [Fact]
    public void Apply_GraphGrowsPastABuildSize_SearchesWiderAndNeverNarrower()
    {
        var grown = HnswParameters.BaseRows + 1;
        var vectors = VectorIndexTests.ClusteredVectors(grown, 4, 31);
        var ids = Enumerable.Range(1, 400).Select(i => (long)i).ToArray();
        using var hnsw = HnswIndex.TryBuild(ids, vectors[..400], 4, out var failure)!;
        Assert.True(hnsw is not null, $"USearch could not be loaded: {failure}");
        Assert.Equal(HnswParameters.For(400).ExpansionSearch, hnsw.ExpansionSearch);

        // The graph's width follows its count; the rule is checked at its first step (100k + 1 rows, 4 dimensions to
        // keep the adds cheap), then the added rows are removed again.
        var added = Enumerable.Range(400, grown - 400).Select(i => new VectorChange(i + 1, vectors[i])).ToList();
        hnsw.Apply(added);
        Assert.Equal(HnswParameters.ExpansionSearchFor(grown), hnsw.ExpansionSearch);
        Assert.True(hnsw.ExpansionSearch > HnswParameters.BaseExpansionSearch);

        hnsw.Apply(added.ConvertAll(change => new VectorChange(change.RowId, null)));
        Assert.Equal(400, hnsw.Count);
        Assert.Equal(HnswParameters.ExpansionSearchFor(grown), hnsw.ExpansionSearch);
        Assert.Equal(10, hnsw.Search(vectors[0], 10).Count);
    }
}
