using GopiAI.Toolkit.SemanticMemory.Storage;
using GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage;

/// <summary>
/// What retention does inside a SQLite file: the document count comes from the trigger-kept counter (no statement of a
/// batch scans a table), an existing file of schema version 2 is counted once when it is migrated, a batch that fails
/// while evicting leaves everything as it was, and forgetting frees room.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class SqliteRetentionTests(ModelFixture model) : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task WriteBatchAsync_StoreAtItsLimitEvicting_RunsNoStatementThatScansATable()
    {
        var path = _temp.File("trace.db");
        var config = new MemoryConfig { IndexPath = path, EmbeddingModel = "test/4d", MaxDocuments = 50, Retention = MemoryRetention.EvictOldest };
        await using var store = await SqliteMemoryStore.OpenAsync(config, 4, new NoObserver(), CancellationToken.None);
        for (var batch = 0; batch < 6; batch++)
        {
            await store.WriteBatchAsync(Batch(batch * 10, 10), CancellationToken.None);
        }

        var statements = new List<string>();
        await store.RunOnWriterAsync(connection => SQLitePCL.raw.sqlite3_trace(connection.Handle, (SQLitePCL.strdelegate_trace)((_, sql) => statements.Add(sql)), null));
        await store.WriteBatchAsync(Batch(60, 10), CancellationToken.None);
        await store.RunOnWriterAsync(connection => SQLitePCL.raw.sqlite3_trace(connection.Handle, (SQLitePCL.strdelegate_trace?)null, null));

        Assert.Contains(statements, s => s.Contains("FROM counters", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Contains("INSERT INTO documents", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Contains("DELETE FROM documents", StringComparison.Ordinal));
        await using var plans = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await plans.OpenAsync();
        Assert.NotEmpty(Scans(plans, "SELECT count(*) FROM documents WHERE kind <> 2;")); // what every batch ran before: the check can fail
        Assert.All(statements.Where(s => !s.TrimStart().StartsWith("--", StringComparison.Ordinal)), s => Assert.Empty(Scans(plans, s)));
        Assert.Equal(50, (await store.GetStatsAsync(CancellationToken.None)).DocumentCount);
    }

    [Fact]
    public async Task OpenAsync_FileOfSchemaVersion2_CountsItsDocumentsOnceAndEnforcesTheLimitWithThem()
    {
        var path = _temp.File("v2.db");
        await using (var memory = await Memory.OpenAsync(model, path))
        {
            await memory.StoreDocumentsAsync(Corpus.Documents.Take(5));
            await memory.StoreDocumentsAsync([new MemoryDocument { Id = "long", Content = string.Join(' ', Enumerable.Repeat("A long document about harbour cranes and containers.", 80)) }]);
        }

        await Corpus.ExecAsync(path, OldSchema.Version2Sql);

        await using (var migrated = await Memory.OpenAsync(model, path, c => c with { MaxDocuments = 6 }))
        {
            Assert.Equal(Schema.CurrentVersion, (await migrated.GetStatsAsync()).SchemaVersion);
            await Assert.ThrowsAsync<InvalidOperationException>(() => migrated.StoreDocumentsAsync([Corpus.Documents[5]]));
            Assert.True(await migrated.DeleteAsync("long"));
            await migrated.StoreDocumentsAsync([Corpus.Documents[5]]);
        }

        Assert.Equal(6L, await Corpus.ScalarAsync(path, "SELECT value FROM counters WHERE name = 'documents';"));
        Assert.Equal(await Corpus.ScalarAsync(path, "SELECT count(*) FROM documents WHERE kind <> 1;"), await Corpus.ScalarAsync(path, "SELECT value FROM counters WHERE name = 'searchable';"));
    }

    [Fact]
    public async Task StoreDocumentsAsync_FaultWhileEvicting_EvictsNothingAndStoresNothing()
    {
        var path = _temp.File("fault.db");
        MemoryConfig Configure(MemoryConfig c) => c with { MaxDocuments = 3, Retention = MemoryRetention.EvictOldest };
        await using (var memory = await Memory.OpenAsync(model, path, Configure))
        {
            await memory.StoreDocumentsAsync([Doc("a", 1), Doc("b", 2), Doc("c", 3)]);
        }

        // The second eviction (of "b") fails after "a" was evicted and the batch inserted: all of it must roll back.
        await Corpus.ExecAsync(path, "CREATE TRIGGER test_fault BEFORE DELETE ON documents WHEN old.id = 'b' BEGIN SELECT RAISE(ABORT, 'injected fault'); END;");
        await using (var memory = await Memory.OpenAsync(model, path, Configure))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => memory.StoreDocumentsAsync([Doc("d", 4), Doc("e", 5)]));
            Assert.Equal(["a", "b", "c"], await StoredIdsAsync(memory));
        }

        await Corpus.ExecAsync(path, "DROP TRIGGER test_fault;");
        await using (var memory = await Memory.OpenAsync(model, path, Configure))
        {
            await memory.StoreDocumentsAsync([Doc("d", 4), Doc("e", 5)]);
            Assert.Equal(["c", "d", "e"], await StoredIdsAsync(memory));
        }

        Assert.Equal(3L, await Corpus.ScalarAsync(path, "SELECT value FROM counters WHERE name = 'documents';"));
    }

    [Fact]
    public async Task SearchMemoryAsync_RetrievalsPendingForTheFlushInterval_AreWrittenWithoutABatch()
    {
        var path = _temp.File("flush.db");
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        await using var memory = await Memory.OpenAsync(model, path, c => c with { Retention = MemoryRetention.EvictLeastRecentlyRetrieved, TimeProvider = time });
        await memory.StoreDocumentsAsync([Doc("a", 1)]);
        const string Retrieved = "SELECT retrieved_ms FROM documents WHERE id = 'a';";
        Assert.Equal(Start.ToUnixTimeMilliseconds(), await Corpus.ScalarAsync(path, Retrieved));

        await memory.SearchMemoryAsync("something that happened", 1);
        time.Advance(RetrievalLog.FlushInterval);
        await memory.SearchMemoryAsync("something that happened", 1);

        var expected = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var wait = 0; wait < 100 && !Equals(await Corpus.ScalarAsync(path, Retrieved), expected); wait++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(expected, await Corpus.ScalarAsync(path, Retrieved));
    }

    [Fact]
    public async Task ForgetAsync_Conversation_FreesItsDocumentsUnderTheLimit()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("forget.db"), c => c with { MaxDocuments = 3 });
        await memory.StoreConversationAsync(new Conversation { Id = "chat", Turns = [new("user", "Where did I park?"), new("assistant", "Level 2, bay 14.")] });
        await memory.StoreDocumentsAsync([Corpus.Documents[0]]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => memory.StoreDocumentsAsync(Corpus.Documents.Skip(1).Take(2)));

        var forgotten = await memory.ForgetAsync(new ForgetRequest { ConversationId = "chat" });

        Assert.Equal(2, forgotten.Documents);
        await memory.StoreDocumentsAsync(Corpus.Documents.Skip(1).Take(2));
        await Assert.ThrowsAsync<InvalidOperationException>(() => memory.StoreDocumentsAsync([Corpus.Documents[3]]));
    }

    /// <summary>
    /// The plan lines of <paramref name="sql"/> that walk a whole stored table or one of its indexes with no LIMIT to stop
    /// them, or sort (a LIMIT stops an index walk in order, not a sort of every row); one-row CTEs and virtual tables such
    /// as json_each and FTS5, which search their own index, aside.
    /// </summary>
    private static List<string> Scans(SqliteConnection connection, string sql)
    {
        var tables = new HashSet<string>(StringComparer.Ordinal);
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%';";
            using var names = list.ExecuteReader();
            while (names.Read())
            {
                tables.Add(names.GetString(0));
            }
        }

        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        var scans = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var detail = reader.GetString(3);
            var words = detail.Split(' ');
            var limited = sql.Contains("LIMIT", StringComparison.Ordinal);
            if ((words is ["SCAN", var table, ..] && tables.Contains(table) && !limited) || detail.StartsWith("USE TEMP B-TREE", StringComparison.Ordinal))
            {
                scans.Add($"{detail} in: {sql}");
            }
        }

        return scans;
    }

    private static List<PreparedDocument> Batch(int first, int count) =>
        Enumerable.Range(first, count).Select(i =>
        {
            var prepared = new Chunker(null, new MemoryConfig()).Prepare(
                new MemoryDocument { Id = $"d{i}", Content = $"document number {i}", Timestamp = Start.AddMinutes(i) }, $"d{i}", idGiven: true, inputIndex: i - first, Start);
            prepared.Chunks.Single().Vector = [1, 0, 0, 0];
            return prepared;
        }).ToList();

    private static MemoryDocument Doc(string id, int day) => new() { Id = id, Content = $"Note {id}: something that happened on day {day}.", Timestamp = Start.AddDays(day) };

    private static async Task<string[]> StoredIdsAsync(SemanticMemoryManager memory) =>
        (await memory.SearchMemoryAsync("anything at all", 100, new SearchOptions { Mode = SearchMode.Dense, SimilarityThreshold = -1 }))
            .Select(r => r.ParentId ?? r.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    private sealed class NoObserver : IStoreObserver
    {
        public void OnStoreChanged(StoreChange change)
        {
        }
    }
}
