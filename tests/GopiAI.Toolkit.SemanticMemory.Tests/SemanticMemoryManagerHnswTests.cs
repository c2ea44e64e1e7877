using System.Diagnostics;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>
/// The automatic HNSW build through the public API: writes crossing <see cref="MemoryConfig.HnswThreshold"/> start it,
/// searches stay exact until it is installed, later writes reach it incrementally, and closing the memory stops it.
/// Thousands of documents with <see cref="ClusteredEmbeddingGenerator"/> vectors (the model is not what is tested).
/// </summary>
public sealed class SemanticMemoryManagerHnswTests : IDisposable
{
    private const int Threshold = 2_000;
    private static readonly SearchOptions Dense = new() { Mode = SearchMode.Dense };
    private readonly TempDirectory _temp = new();
    private readonly ClusteredEmbeddingGenerator _generator = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task StoreDocumentsAsync_WritesCrossHnswThreshold_GraphBuildsWithoutOptimizeAndSearchesStayExactMeanwhile()
    {
        var path = _temp.File("m.db");
        await using var memory = await OpenAsync(path, Threshold);
        await using var exact = await OpenAsync(path, int.MaxValue);
        await memory.StoreDocumentsAsync(Documents(0, Threshold - 500));

        // The first search loads the matrix below the threshold: exact search, no graph.
        await memory.SearchMemoryAsync(ClusteredEmbeddingGenerator.Text(1, -1), 10, Dense);
        Assert.False((await memory.GetStatsAsync()).HnswActive);

        // One transaction takes the store from 1,500 to 10,000 vectors: the build (of 10,000) starts after that commit
        // and takes far longer than one exact search of 10,000 rows.
        await memory.StoreDocumentsAsync(Documents(Threshold - 500, 10_000));
        var exactWhileBuilding = 0;
        var stopwatch = Stopwatch.StartNew();
        for (var q = 0; !(await memory.GetStatsAsync()).HnswActive; q++)
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(120), "The graph was not built within 2 minutes.");
            var query = ClusteredEmbeddingGenerator.Text(q % 40, -q - 2);
            var found = await memory.SearchMemoryAsync(query, 10, Dense);
            if (!(await memory.GetStatsAsync()).HnswActive)
            {
                // Still no graph after the search: it was answered exactly, so it must equal the exact scan.
                var truth = await exact.SearchMemoryAsync(query, 10, Dense);
                Assert.Equal(truth.Select(r => r.Id), found.Select(r => r.Id));
                exactWhileBuilding++;
            }
        }

        Assert.True(exactWhileBuilding > 0, "No search ran while the graph was being built.");
        Assert.True(await RecallAsync(memory, exact) >= 0.95);
    }

    [Fact]
    public async Task StoreDocumentsAsync_AfterTheGraphIsActive_AppliesWritesToItIncrementally()
    {
        var path = _temp.File("m.db");
        await using var memory = await OpenAsync(path, Threshold);
        await memory.StoreDocumentsAsync(Documents(0, Threshold + 100));
        await memory.SearchMemoryAsync("c1", 10, Dense);
        await WaitForGraphAsync(memory);

        var probe = ClusteredEmbeddingGenerator.Text(7, 999_999);
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "new", Content = probe }]);
        var afterAdd = await memory.SearchMemoryAsync(probe, 1, Dense);
        var victim = afterAdd[0].Id;
        await memory.DeleteAsync("new");
        var afterDelete = await memory.SearchMemoryAsync(probe, 10, Dense);

        Assert.Equal("new", victim);
        Assert.Equal(1f, afterAdd[0].Similarity.GetValueOrDefault(), 3);
        Assert.DoesNotContain(afterDelete, r => r.Id == "new");
        Assert.True((await memory.GetStatsAsync()).HnswActive);
    }

    [Fact]
    public async Task DisposeAsync_DuringTheBackgroundBuild_ReturnsAndTheFileReopensWithItsGraph()
    {
        var path = _temp.File("m.db");
        var memory = await OpenAsync(path, Threshold);
        await memory.StoreDocumentsAsync(Documents(0, Threshold - 500));
        await memory.SearchMemoryAsync("c1", 10, Dense);
        await memory.StoreDocumentsAsync(Documents(Threshold - 500, 10_000));
        Assert.False((await memory.GetStatsAsync()).HnswActive);

        var stopwatch = Stopwatch.StartNew();
        await memory.DisposeAsync();
        var disposeTime = stopwatch.Elapsed;

        await using var reopened = await OpenAsync(path, Threshold);
        var results = await reopened.SearchMemoryAsync(ClusteredEmbeddingGenerator.Text(3, -1), 10, Dense);
        await WaitForGraphAsync(reopened);

        Assert.True(disposeTime < TimeSpan.FromSeconds(30), $"DisposeAsync took {disposeTime}.");
        Assert.Equal(10, results.Count);
        Assert.Equal(10_000, (await reopened.GetStatsAsync()).DocumentCount);
    }

    private Task<SemanticMemoryManager> OpenAsync(string path, int threshold) => SemanticMemoryManager.OpenAsync(
        new MemoryConfig { IndexPath = path, HnswThreshold = threshold, ResultCacheSize = 0, SimilarityThreshold = 0f, BatchSize = MemoryConfig.MaxBatchSize },
        _generator);

    private static IEnumerable<MemoryDocument> Documents(int from, int to) =>
        Enumerable.Range(from, to - from).Select(i => new MemoryDocument { Id = "d" + i, Content = ClusteredEmbeddingGenerator.Text(i % 40, i) });

    private static async Task WaitForGraphAsync(SemanticMemoryManager memory)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!(await memory.GetStatsAsync()).HnswActive)
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(120), "The graph was not built within 2 minutes.");
            await Task.Delay(50);
        }
    }

    private static async Task<double> RecallAsync(SemanticMemoryManager approximate, SemanticMemoryManager exact)
    {
        var hits = 0;
        for (var q = 0; q < 50; q++)
        {
            var query = ClusteredEmbeddingGenerator.Text(q % 40, -1000 - q);
            var truth = (await exact.SearchMemoryAsync(query, 10, Dense)).Select(r => r.Id).ToHashSet();
            hits += (await approximate.SearchMemoryAsync(query, 10, Dense)).Count(r => truth.Contains(r.Id));
        }

        return hits / 500.0;
    }
}
