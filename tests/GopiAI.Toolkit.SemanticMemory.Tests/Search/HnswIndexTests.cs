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
            hits += hnsw.Search(query, 10).Count(x => truth.Contains(x.RowId));
        }

        output.WriteLine($"HNSW (M=16, ef_add=128, ef_search=96) recall@10 vs exact over 5,000 x 384: {hits / 1000.0:F3}");
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
        Assert.Equal(1f, top[0].Score, 3);
        Assert.Equal(200, hnsw.Count);
    }
}
