using GopiAI.Toolkit.SemanticMemory.Faults;
using GopiAI.Toolkit.SemanticMemory.Storage;
using GopiAI.Toolkit.SemanticMemory.Storage.Postgres;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using GopiAI.Toolkit.Testing;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage.Postgres;

/// <summary>The PostgreSQL store below the engine: schema creation under the advisory lock, the legs' SQL, errors.</summary>
public sealed class PostgresMemoryStoreTests(PGliteFixture pglite) : IClassFixture<PGliteFixture>
{
    private readonly HashEmbeddingGenerator _embeddings = new();

    private MemoryConfig Config(string schema) => new()
    {
        Provider = MemoryProvider.Postgres,
        ConnectionString = pglite.ConnectionString(),
        PostgresSchema = schema,
        EmbeddingModel = HashEmbeddingGenerator.ModelId,
    };

    [Fact]
    public async Task OpenAsync_ThreeInstancesAtOnce_CreateTheSchemaOnceAndAllOpen()
    {
        var config = Config("open_race");

        var stores = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostgresMemoryStore.OpenAsync(config, HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None)));
        try
        {
            foreach (var store in stores)
            {
                var stats = await store.GetStatsAsync(CancellationToken.None);
                Assert.Equal((0L, PostgresSchema.CurrentVersion), (stats.DocumentCount, stats.SchemaVersion));
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Legs_StoredRows_AreFoundFilteredReadAndDeleted()
    {
        var observer = new Observer();
        await using var store = await PostgresMemoryStore.OpenAsync(Config("legs"), HashEmbeddingGenerator.Dimensions, observer, CancellationToken.None);
        var outcome = await store.WriteBatchAsync(
        [
            await Prepare(0, "a", "the quick brown fox jumps", "c1"),
            await Prepare(1, "b", "a lazy dog sleeps all day", "c2"),
            await Prepare(2, "c", "error ERR_CONN_4471 in the pool", "c1"),
        ], CancellationToken.None);

        var query = (await _embeddings.GenerateAsync(["quick brown fox"]))[0].Vector.ToArray();
        var dense = await store.SearchDenseAsync(query, RowFilter.None, 2, -1, CancellationToken.None);
        var filtered = await store.SearchDenseAsync(query, new RowFilter(ConversationId: "c2"), 5, -1, CancellationToken.None);
        var keyword = await store.SearchKeywordAsync(["ERR_CONN_4471"], RowFilter.None, 5, CancellationToken.None);
        var rows = await store.GetRowsAsync([.. dense.Select(r => r.RowId)], query, CancellationToken.None);

        Assert.Equal((3, 0), (outcome.Stored, outcome.Duplicates));
        Assert.Equal("a", rows[dense[0].RowId].Id);
        Assert.Equal(dense[0].Score, rows[dense[0].RowId].Similarity!.Value, 4);
        Assert.Equal("b", (await store.GetRowsAsync([Assert.Single(filtered).RowId], null, CancellationToken.None)).Single().Value.Id);
        Assert.Equal("c", (await store.GetRowsAsync([Assert.Single(keyword).RowId], null, CancellationToken.None)).Single().Value.Id);
        Assert.Equal(1, await store.DeleteDocumentAsync("a", CancellationToken.None));
        Assert.Equal(1, await store.DeleteConversationAsync("c1", CancellationToken.None));
        Assert.Equal(1L, (await store.GetStatsAsync(CancellationToken.None)).DocumentCount);
        Assert.Equal(3, observer.Changes);
    }

    [Fact]
    public async Task SearchDenseAsync_AboveHnswThreshold_WalksTheIndexAndFindsWhatExactSearchFinds()
    {
        await using var exact = await PostgresMemoryStore.OpenAsync(Config("hnsw_walk"), HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None);
        await exact.WriteBatchAsync(await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Prepare(i, $"n{i}", $"note {i} about topic {i % 7} and item {i % 5}", null))), CancellationToken.None);
        await using var approximate = await PostgresMemoryStore.OpenAsync(Config("hnsw_walk") with { HnswThreshold = 10 }, HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None);
        var query = (await _embeddings.GenerateAsync(["note about topic 3"]))[0].Vector.ToArray();

        var truth = await exact.SearchDenseAsync(query, RowFilter.None, 5, -1, CancellationToken.None);
        var walked = await approximate.SearchDenseAsync(query, RowFilter.None, 5, -1, CancellationToken.None);

        Assert.False((await exact.GetStatsAsync(CancellationToken.None)).HnswActive);
        Assert.True((await approximate.GetStatsAsync(CancellationToken.None)).HnswActive);
        Assert.Equal(truth.Select(r => r.RowId), walked.Select(r => r.RowId));
    }

    [Fact]
    public async Task OpenAsync_OtherModel_ThrowsIncompatibleAndLeavesTheMemory()
    {
        await (await PostgresMemoryStore.OpenAsync(Config("model_check"), HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None)).DisposeAsync();

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => PostgresMemoryStore.OpenAsync(
            Config("model_check") with { EmbeddingModel = "another-model" }, HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None));

        Assert.Equal(MemoryStoreError.Incompatible, error.Error);
        Assert.Contains("another-model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_NoServerListening_ThrowsUnavailableWithoutThePassword()
    {
        var config = Config("nobody") with { ConnectionString = $"Host=127.0.0.1;Port={LoopbackService.FreePort()};Username=u;Password=secret-pw;Timeout=3" };

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => PostgresMemoryStore.OpenAsync(config, HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None));

        Assert.Equal(MemoryStoreError.Unavailable, error.Error);
        Assert.DoesNotContain("secret-pw", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", error.FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_SchemaOfVersion1_CountsItsDocumentsOnceAndEnforcesTheLimitWithThem()
    {
        var config = Config("old_version") with { MaxDocuments = 3 };
        await using (var store = await PostgresMemoryStore.OpenAsync(config, HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None))
        {
            await store.WriteBatchAsync([await Prepare(0, "a", "alpha", null), await Prepare(1, "b", "beta", null), await Prepare(2, "c", "gamma", null)], CancellationToken.None);
        }

        await ExecAsync("""
            ALTER TABLE old_version.state DROP COLUMN documents;
            ALTER TABLE old_version.state DROP COLUMN searchable;
            DROP INDEX old_version.documents_retrieved;
            ALTER TABLE old_version.documents DROP COLUMN retrieved_ms;
            UPDATE old_version.meta SET value = '1' WHERE key = 'schema_version';
            """);

        await using var migrated = await PostgresMemoryStore.OpenAsync(config, HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None);
        Assert.Equal(PostgresSchema.CurrentVersion, (await migrated.GetStatsAsync(CancellationToken.None)).SchemaVersion);
        var delta = await Prepare(3, "d", "delta", null);
        await Assert.ThrowsAsync<InvalidOperationException>(() => migrated.WriteBatchAsync([delta], CancellationToken.None));
        Assert.Equal(1, await migrated.DeleteDocumentAsync("a", CancellationToken.None));
        await migrated.WriteBatchAsync([delta], CancellationToken.None);
        Assert.Equal(3L, await ScalarAsync("SELECT documents FROM old_version.state"));
        Assert.Equal(3L, await ScalarAsync("SELECT searchable FROM old_version.state"));
    }

    [Fact]
    public async Task OpenAsync_SchemaOfVersion2_CountsItsSearchableRowsOnce()
    {
        var config = Config("version_two");
        await using (var store = await PostgresMemoryStore.OpenAsync(config, HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None))
        {
            await store.WriteBatchAsync([await Prepare(0, "a", "alpha", null), await PrepareChunked(1, "long", 3)], CancellationToken.None);
        }

        await ExecAsync("""
            ALTER TABLE version_two.state DROP COLUMN searchable;
            UPDATE version_two.meta SET value = '2' WHERE key = 'schema_version';
            """);

        await using var migrated = await PostgresMemoryStore.OpenAsync(config, HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None);
        Assert.Equal(PostgresSchema.CurrentVersion, (await migrated.GetStatsAsync(CancellationToken.None)).SchemaVersion);
        Assert.Equal((2L, 4L), (await ScalarAsync("SELECT documents FROM version_two.state"), await ScalarAsync("SELECT searchable FROM version_two.state")));
        Assert.Single(await migrated.SearchKeywordAsync(["alpha"], RowFilter.None, 5, CancellationToken.None));
    }

    [Fact]
    public async Task WriteBatchAsync_TwoInstancesEvictingAtOnce_KeepTheCountExact()
    {
        var config = Config("two_writers") with { MaxDocuments = 10, Retention = MemoryRetention.EvictOldest };
        await using var first = await PostgresMemoryStore.OpenAsync(config, HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None);
        await using var second = await PostgresMemoryStore.OpenAsync(config, HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None);

        async Task WriteAsync(PostgresMemoryStore store, string prefix)
        {
            for (var i = 0; i < 8; i++)
            {
                await store.WriteBatchAsync([await Prepare(i, $"{prefix}{i}a", $"{prefix} note {i} one", null), await PrepareChunked(i, $"{prefix}{i}b", 2 + (i % 3))], CancellationToken.None);
            }
        }

        await Task.WhenAll(WriteAsync(first, "x"), WriteAsync(second, "y"));

        Assert.Equal(10L, await ScalarAsync("SELECT count(*) FROM two_writers.documents WHERE kind <> 2"));
        Assert.Equal(10L, await ScalarAsync("SELECT documents FROM two_writers.state"));
        Assert.Equal(10L, (await first.GetStatsAsync(CancellationToken.None)).DocumentCount);
        // Chunked documents make the searchable rows (documents and chunks) more than the documents: both counts exact.
        Assert.True((long)(await ScalarAsync("SELECT count(*) FROM two_writers.documents WHERE kind <> 1"))! > 10);
        Assert.Equal(await ScalarAsync("SELECT count(*) FROM two_writers.documents WHERE kind <> 1"), await ScalarAsync("SELECT searchable FROM two_writers.state"));
    }

    [Fact]
    public async Task RestoreAsync_BackupWithChunkedDocuments_SetsTheSearchableCount()
    {
        var config = Config("restore_counts");
        var backup = Path.Combine(Path.GetTempPath(), $"gopiai-pg-counts-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using var store = await PostgresMemoryStore.OpenAsync(config, HashEmbeddingGenerator.Dimensions, new Observer(), CancellationToken.None);
            await store.WriteBatchAsync([await Prepare(0, "a", "alpha", null), await PrepareChunked(1, "long", 4)], CancellationToken.None);
            await store.BackupAsync(backup, CancellationToken.None);
            await store.WriteBatchAsync([await Prepare(2, "b", "beta", null), await PrepareChunked(3, "longer", 3)], CancellationToken.None);

            await store.RestoreAsync(backup, CancellationToken.None);

            Assert.Equal((2L, 5L), (await ScalarAsync("SELECT documents FROM restore_counts.state"), await ScalarAsync("SELECT searchable FROM restore_counts.state")));
        }
        finally
        {
            File.Delete(backup);
        }
    }

    private Task ExecAsync(string sql) => PostgresTestData.ExecAsync(pglite.ConnectionString(), sql);

    private Task<object?> ScalarAsync(string sql) => PostgresTestData.ScalarAsync(pglite.ConnectionString(), sql);

    private Task<PreparedDocument> Prepare(int index, string id, string content, string? conversation) => PostgresTestData.DocumentAsync(_embeddings, index, id, content, conversation);

    private Task<PreparedDocument> PrepareChunked(int index, string id, int chunks) => PostgresTestData.ChunkedAsync(_embeddings, index, id, chunks);

    private sealed class Observer : IStoreObserver
    {
        private int _changes;

        public int Changes => Volatile.Read(ref _changes);

        public void OnStoreChanged(StoreChange change) => Interlocked.Increment(ref _changes);
    }
}
