using System.Globalization;
using GopiAI.Toolkit.SemanticMemory.Storage;
using GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage;

/// <summary>
/// The SQLite keyword leg's work is bounded by <see cref="KeywordTermChoice"/>'s budgets, not by the store: checked on a
/// store of <see cref="KeywordBoundStore.Rows"/> rows whose query words each match far more rows than one query may
/// rank, through the store's own account of what a search did (<see cref="SqliteMemoryStore.LastKeywordWork"/>).
/// </summary>
public sealed class SqliteKeywordBoundTests(KeywordBoundStore fixture) : IClassFixture<KeywordBoundStore>
{
    [Fact]
    public async Task SearchKeywordAsync_ManyCommonWords_RanksAtMostTheBudget()
    {
        // Every row holds "everyday"; each c-word is in an eighth of the rows: 8 × 1,250 + 10,000 rows match some word.
        var words = new[] { "everyday", "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7" };

        var hits = await fixture.Store.SearchKeywordAsync(words, RowFilter.None, 10, CancellationToken.None);

        var work = fixture.Store.LastKeywordWork;
        Assert.Equal(10, hits.Count);
        Assert.InRange(work.RowsRanked, 1, KeywordTermChoice.RankBudget);
        Assert.True(work.Required.Count + work.Scoring.Count < words.Length, "the words over the budgets are left out");
        Assert.All(hits, h => Assert.InRange(h.Score, 0, 1));
    }

    [Fact]
    public async Task SearchKeywordAsync_OnlyWordsInEveryRow_RanksTheNewestCommonQueryRows()
    {
        var hits = await fixture.Store.SearchKeywordAsync(["everyday", "anyway"], RowFilter.None, 10, CancellationToken.None);

        Assert.Equal(10, hits.Count);
        Assert.Equal(KeywordTermChoice.CommonQueryRows, fixture.Store.LastKeywordWork.RowsRanked);
    }

    [Fact]
    public async Task SearchKeywordAsync_WordsBeyondTheRankBudget_RanksLikeBm25OverEveryWordOnTheSameRows()
    {
        // "needle" is rare; the c-words are not. The rival repeats the needle; the target also holds the c-words, which
        // only score (they do not decide the rows), so it must still come first, scored exactly as FTS5's BM25 over all
        // the words would score it.
        var words = new[] { "needle", "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7" };

        var hits = await fixture.Store.SearchKeywordAsync(words, RowFilter.None, 10, CancellationToken.None);

        var work = fixture.Store.LastKeywordWork;
        Assert.NotEmpty(work.Scoring);
        var rows = await fixture.Store.GetRowsAsync(hits.Select(h => h.RowId).ToList(), null, CancellationToken.None);
        Assert.Equal("target", rows[hits[0].RowId].Id);

        // The same rows (those holding a required word), ranked by FTS5 over the required and scoring words together.
        var used = work.Required.Concat(work.Scoring).ToList();
        var expected = fixture.Bm25(used).Where(r => fixture.Bm25(work.Required).ContainsKey(r.Key))
            .OrderByDescending(r => r.Value).ThenBy(r => r.Key).Take(10).ToList();
        Assert.Equal(expected.Select(r => r.Key), hits.Select(h => h.RowId));
        var ratio = hits[0].Score / expected[0].Value;
        Assert.All(hits.Zip(expected), pair => Assert.Equal(pair.Second.Value * ratio, pair.First.Score, 9));
    }

    [Fact]
    public async Task SearchKeywordAsync_FilterWithScoringWords_RanksOnlyRowsThatPassIt()
    {
        var words = new[] { "needle", "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7" };

        var hits = await fixture.Store.SearchKeywordAsync(words, new RowFilter(ConversationId: "odd"), 10, CancellationToken.None);

        var work = fixture.Store.LastKeywordWork;
        Assert.NotEmpty(work.Scoring);
        Assert.Equal(10, hits.Count);
        var rows = await fixture.Store.GetRowsAsync(hits.Select(h => h.RowId).ToList(), null, CancellationToken.None);
        Assert.All(rows.Values, r => Assert.Equal("odd", r.ConversationId));
        Assert.Equal("target", rows[hits[0].RowId].Id);
    }

    [Fact]
    public async Task SearchKeywordAsync_FrequentWordsAgain_TheirCountsAreRemembered()
    {
        await using var store = await fixture.OpenSecondAsync();
        string[] words = ["c3", "c5", "filler17"];
        await store.SearchKeywordAsync(words, RowFilter.None, 10, CancellationToken.None);
        Assert.Equal(3, store.LastKeywordWork.Lookups);

        await store.SearchKeywordAsync(words, RowFilter.None, 10, CancellationToken.None);

        // The c-words (1,250 rows each) are remembered; the rare word is counted again (cheap).
        Assert.Equal(1, store.LastKeywordWork.Lookups);
    }
}

/// <summary>
/// One SQLite store of 10,000 keyword rows (4-dimensional vectors), shared by the tests of a class: row i holds
/// <c>filler{i}</c>, <c>everyday</c>, <c>anyway</c> and <c>c{i % 8}</c>, in conversation "even" or "odd" by i; plus a <c>target</c> row holding "needle" and
/// every c-word, and a <c>rival</c> holding "needle" twice in a short row (it beats the target on the required words alone),
/// both in conversation "odd".
/// </summary>
public sealed class KeywordBoundStore : IAsyncLifetime
{
    public const int Rows = 10_000;

    private readonly TempDirectory _temp = new();

    private MemoryConfig Config => new() { IndexPath = _temp.File("keyword.db"), EmbeddingModel = "test/4d", MaxDocuments = Rows * 2 };

    internal SqliteMemoryStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await OpenSecondAsync();
        var chunker = new Chunker(null, new MemoryConfig());
        List<(string Id, string Content, string Conversation)> documents =
        [
            .. Enumerable.Range(0, Rows).Select(i => ("r" + i.ToString(CultureInfo.InvariantCulture), $"filler{i} everyday anyway c{i % 8}", i % 2 == 0 ? "even" : "odd")),
            ("target", "needle c0 c1 c2 c3 c4 c5 c6 c7", "odd"),
            ("rival", "needle needle zz", "odd"),
        ];
        foreach (var batch in documents.Chunk(2_000))
        {
            var prepared = batch.Select((d, i) =>
            {
                var document = chunker.Prepare(new MemoryDocument { Id = d.Id, Content = d.Content, ConversationId = d.Conversation }, d.Id, idGiven: true, inputIndex: i, DateTimeOffset.UnixEpoch);
                document.Chunks.Single().Vector = [1, 0, 0, 0];
                return document;
            }).ToList();
            await Store.WriteBatchAsync(prepared, CancellationToken.None);
        }
    }

    /// <summary>Another store on the same file (its own remembered counts).</summary>
    internal Task<SqliteMemoryStore> OpenSecondAsync() =>
        SqliteMemoryStore.OpenAsync(Config, 4, new NoObserver(), CancellationToken.None);

    /// <summary>FTS5's BM25 (higher is better) of every row matching any of <paramref name="words"/>, ranked exhaustively.</summary>
    public Dictionary<long, double> Bm25(IEnumerable<string> words)
    {
        using var connection = new SqliteConnection($"Data Source={Config.IndexPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid, -bm25(fts) FROM fts WHERE fts MATCH $q;";
        command.Parameters.AddWithValue("$q", string.Join(" OR ", words.Select(w => $"\"{w}\"")));
        var scores = new Dictionary<long, double>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            scores[reader.GetInt64(0)] = reader.GetDouble(1);
        }

        return scores;
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private sealed class NoObserver : IStoreObserver
    {
        public void OnStoreChanged(StoreChange change)
        {
        }
    }
}
