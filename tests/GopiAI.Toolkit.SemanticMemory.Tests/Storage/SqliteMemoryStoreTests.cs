using GopiAI.Toolkit.SemanticMemory.Storage;
using GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage;

/// <summary>
/// The SQLite provider behind <see cref="IMemoryStore"/>, without a model (4-dimensional unit vectors): the observer it
/// is opened with hears of every commit before the call returns, and the dense and keyword legs honour writes, deletes and filters.
/// </summary>
public sealed class SqliteMemoryStoreTests : IDisposable
{
    private const int Dimensions = 4;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task WriteBatchAsync_Commit_TellsTheObserverBeforeReturning()
    {
        var observer = new RecordingObserver();
        await using var store = await OpenAsync(observer);

        var outcome = await store.WriteBatchAsync([Prepare("a", "the harbour crane lifts containers", [1, 0, 0, 0])], CancellationToken.None);

        Assert.Equal(1, outcome.Stored);
        Assert.Equal([StoreChange.Written], observer.Changes);
    }

    [Fact]
    public async Task DeleteDocumentAsync_Commit_TellsTheObserverAndTheDenseLegForgetsTheRow()
    {
        var observer = new RecordingObserver();
        await using var store = await OpenAsync(observer);
        await store.WriteBatchAsync([Prepare("a", "alpha text", [1, 0, 0, 0]), Prepare("b", "beta text", [0, 1, 0, 0])], CancellationToken.None);
        Assert.Equal(2, (await store.SearchDenseAsync([1, 0, 0, 0], RowFilter.None, 10, -1f, CancellationToken.None)).Count);

        var removed = await store.DeleteDocumentAsync("a", CancellationToken.None);

        Assert.Equal(1, removed);
        Assert.Equal([StoreChange.Written, StoreChange.Written], observer.Changes);
        var hits = await store.SearchDenseAsync([1, 0, 0, 0], RowFilter.None, 10, -1f, CancellationToken.None);
        var rows = await store.GetRowsAsync(hits.Select(h => h.RowId).ToList(), null, CancellationToken.None);
        Assert.Equal(["b"], rows.Values.Select(r => r.Id));
    }

    [Fact]
    public async Task RestoreAsync_WholeContentReplaced_TellsReplacedThenWrittenAndMovesTheEpoch()
    {
        var backup = _temp.File("backup.db");
        var observer = new RecordingObserver();
        await using var store = await OpenAsync(observer);
        await store.WriteBatchAsync([Prepare("a", "alpha text", [1, 0, 0, 0])], CancellationToken.None);
        await store.BackupAsync(backup, CancellationToken.None);
        await store.WriteBatchAsync([Prepare("b", "beta text", [0, 1, 0, 0])], CancellationToken.None);
        observer.Changes.Clear();

        await store.RestoreAsync(backup, CancellationToken.None);

        Assert.Equal(1, store.Epoch);
        Assert.Equal([StoreChange.Replaced, StoreChange.Written], observer.Changes);
        var hits = await store.SearchDenseAsync([0, 1, 0, 0], RowFilter.None, 10, -1f, CancellationToken.None);
        var rows = await store.GetRowsAsync(hits.Select(h => h.RowId).ToList(), null, CancellationToken.None);
        Assert.Equal(["a"], rows.Values.Select(r => r.Id));
    }

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

    [Fact]
    public async Task OptimizeAsync_IndexesRebuilt_TellsTheObserver()
    {
        var observer = new RecordingObserver();
        await using var store = await OpenAsync(observer);
        await store.WriteBatchAsync([Prepare("a", "alpha text", [1, 0, 0, 0])], CancellationToken.None);
        observer.Changes.Clear();

        await store.OptimizeAsync(CancellationToken.None);

        Assert.Equal([StoreChange.Written], observer.Changes);
    }

    [Fact]
    public async Task SearchLegs_Filter_ArePushedIntoBothLegs()
    {
        await using var store = await OpenAsync(new RecordingObserver());
        await store.WriteBatchAsync(
        [
            Prepare("a", "shared harbour words", [1, 0, 0, 0], conversation: "c1"),
            Prepare("b", "shared harbour words too", [0.8f, 0.6f, 0, 0], conversation: "c2"),
        ], CancellationToken.None);
        var filter = new RowFilter(ConversationId: "c2");

        var dense = await store.SearchDenseAsync([1, 0, 0, 0], filter, 10, -1f, CancellationToken.None);
        var keyword = await store.SearchKeywordAsync(["harbour"], filter, 10, CancellationToken.None);

        var denseRows = await store.GetRowsAsync(dense.Select(h => h.RowId).ToList(), null, CancellationToken.None);
        var keywordRows = await store.GetRowsAsync(keyword.Select(h => h.RowId).ToList(), null, CancellationToken.None);
        Assert.Equal(["b"], denseRows.Values.Select(r => r.Id));
        Assert.Equal(["b"], keywordRows.Values.Select(r => r.Id));
    }

    [Fact]
    public async Task GetRowsAsync_WithQueryVector_ReportsEachRowsCosine()
    {
        await using var store = await OpenAsync(new RecordingObserver());
        await store.WriteBatchAsync([Prepare("a", "alpha text", [0.6f, 0.8f, 0, 0])], CancellationToken.None);
        var hits = await store.SearchKeywordAsync(["alpha"], RowFilter.None, 10, CancellationToken.None);

        await store.SearchDenseAsync([1, 0, 0, 0], RowFilter.None, 1, -1f, CancellationToken.None);

        var rows = await store.GetRowsAsync(hits.Select(h => h.RowId).ToList(), [1, 0, 0, 0], CancellationToken.None);
        var withoutQuery = await store.GetRowsAsync(hits.Select(h => h.RowId).ToList(), null, CancellationToken.None);

        Assert.Equal(0.6f, rows.Values.Single().Similarity!.Value, 2);
        Assert.Null(withoutQuery.Values.Single().Similarity);
    }

    private Task<SqliteMemoryStore> OpenAsync(IStoreObserver observer) =>
        SqliteMemoryStore.OpenAsync(new MemoryConfig { IndexPath = _temp.File("memory.db"), EmbeddingModel = "test/4d" }, Dimensions, observer, CancellationToken.None);

    private static PreparedDocument Prepare(string id, string content, float[] vector, string? conversation = null)
    {
        var config = new MemoryConfig();
        var prepared = new GopiAI.Toolkit.SemanticMemory.Storage.Chunker(null, config)
            .Prepare(new MemoryDocument { Id = id, Content = content, ConversationId = conversation }, id, idGiven: true, inputIndex: 0, DateTimeOffset.UnixEpoch);
        prepared.Chunks.Single().Vector = vector;
        return prepared;
    }

    private sealed class RecordingObserver : IStoreObserver
    {
        public List<StoreChange> Changes { get; } = [];

        public void OnStoreChanged(StoreChange change)
        {
            lock (Changes)
            {
                Changes.Add(change);
            }
        }
    }
}
