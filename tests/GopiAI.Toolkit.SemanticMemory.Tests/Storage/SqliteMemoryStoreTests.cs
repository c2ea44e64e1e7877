using GopiAI.Toolkit.SemanticMemory.Storage;
using GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage;

/// <summary>The SQLite provider against the <see cref="MemoryStoreContractTests"/>, plus what only a file shared between processes does.</summary>
public sealed class SqliteMemoryStoreTests : MemoryStoreContractTests
{
    [Fact]
    public async Task RefreshAsync_AnotherConnectionCommitted_TellsReplacedAndReloadsTheVectors()
    {
        var observer = new RecordingObserver();
        await using var store = await OpenAsync(observer);
        await store.WriteBatchAsync([Prepare("a", "alpha text", [1, 0, 0, 0])], CancellationToken.None);
        Assert.Single(await store.SearchDenseAsync([0, 0, 1, 0], RowFilter.None, 10, -1f, CancellationToken.None));
        await using (var other = await OpenAsync(new RecordingObserver()))
        {
            await other.WriteBatchAsync([Prepare("c", "gamma text", [0, 0, 1, 0])], CancellationToken.None);
        }

        observer.Changes.Clear();
        await store.RefreshAsync(CancellationToken.None);

        Assert.Equal([StoreChange.Replaced], observer.Changes);
        Assert.Equal(1, store.Epoch);
        var hits = await store.SearchDenseAsync([0, 0, 1, 0], RowFilter.None, 1, 0.5f, CancellationToken.None);
        var rows = await store.GetRowsAsync(hits.Select(h => h.RowId).ToList(), null, CancellationToken.None);
        Assert.Equal(["c"], rows.Values.Select(r => r.Id));
    }

    private protected override async Task<IMemoryStore> OpenAsync(IStoreObserver observer) =>
        await SqliteMemoryStore.OpenAsync(new MemoryConfig { IndexPath = Temp.File("memory.db"), EmbeddingModel = "test/4d" }, Dimensions, observer, CancellationToken.None);
}
