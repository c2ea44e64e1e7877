using GopiAI.Toolkit.SemanticMemory.Storage;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage;

/// <summary>
/// What every <see cref="IMemoryStore"/> provider must do, checked without a model (4-dimensional unit vectors): the
/// observer it is opened with hears of every commit before the call returns, and the dense and keyword legs honour
/// writes, deletes, restores and filters. A provider's test class derives from this and says how to open the store.
/// </summary>
public abstract class MemoryStoreContractTests : IDisposable
{
    protected const int Dimensions = 4;

    protected TempDirectory Temp { get; } = new();

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens (or reopens) the store under test, empty the first time, with <paramref name="observer"/>.</summary>
    private protected abstract Task<IMemoryStore> OpenAsync(IStoreObserver observer);

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Temp.Dispose();
        }
    }

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
        var backup = Temp.File("backup.db");
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
    public async Task WriteBatchAsync_SameContentWithoutId_IsADuplicateOfTheStoredDocument()
    {
        await using var store = await OpenAsync(new RecordingObserver());
        await store.WriteBatchAsync([Prepare("a", "alpha text", [1, 0, 0, 0], idGiven: false)], CancellationToken.None);

        var again = await store.WriteBatchAsync([Prepare("z", "alpha text", [1, 0, 0, 0], idGiven: false)], CancellationToken.None);
        var known = await store.FindDuplicatesAsync([Prepare("y", "alpha text", [], idGiven: false)], CancellationToken.None);

        Assert.Equal((0, 1), (again.Stored, again.Duplicates));
        Assert.Equal(["a"], again.Ids);
        Assert.Equal([0], known);
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
    public async Task SearchKeywordAsync_AnyMatch_ScoresNormalisedToUnitIntervalBestFirst()
    {
        await using var store = await OpenAsync(new RecordingObserver());
        await store.WriteBatchAsync(
        [
            Prepare("a", "harbour harbour harbour lights", [1, 0, 0, 0]),
            Prepare("b", "a harbour", [0, 1, 0, 0]),
            Prepare("c", "nothing to see", [0, 0, 1, 0]),
        ], CancellationToken.None);

        var hits = await store.SearchKeywordAsync(["harbour", "lights", "absent"], RowFilter.None, 10, CancellationToken.None);

        Assert.Equal(2, hits.Count);
        Assert.All(hits, h => Assert.InRange(h.Score, 0, 1));
        Assert.True(hits[0].Score > hits[1].Score);
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

    private protected static PreparedDocument Prepare(string id, string content, float[] vector, string? conversation = null, bool idGiven = true)
    {
        var config = new MemoryConfig();
        var prepared = new GopiAI.Toolkit.SemanticMemory.Storage.Chunker(null, config)
            .Prepare(new MemoryDocument { Id = id, Content = content, ConversationId = conversation }, id, idGiven, inputIndex: 0, DateTimeOffset.UnixEpoch);
        prepared.Chunks.Single().Vector = vector;
        return prepared;
    }

    private protected sealed class RecordingObserver : IStoreObserver
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
