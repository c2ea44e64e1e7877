using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using GopiAI.Toolkit.SemanticMemory.Faults;
using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;
using GopiAI.Toolkit.SemanticMemory.Storage.Postgres;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Npgsql;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage.Postgres;

/// <summary>
/// The PostgreSQL keyword leg's work after a change: the searchable-row count comes from the state row the writes keep
/// (no statement the leg runs walks the documents without an index condition), and the words it chooses with that count
/// are the words a count of the rows chooses.
/// </summary>
public sealed class PostgresKeywordLegTests(PGliteFixture pglite) : IClassFixture<PGliteFixture>
{
    private readonly HashEmbeddingGenerator _embeddings = new();

    [Fact]
    public async Task SearchKeywordAsync_AfterAChange_RunsNoStatementThatScansTheDocuments()
    {
        const string Schema = "keyword_trace";
        await using var store = await OpenAsync(Schema);
        await store.WriteBatchAsync(await CorpusAsync(0), CancellationToken.None);
        await store.WriteBatchAsync([await PrepareAsync(100, "late", "a late note about zebra crossings", null)], CancellationToken.None);

        var statements = await TraceAsync(Schema, async () =>
        {
            await store.SearchKeywordAsync(["common", "zebra"], RowFilter.None, 10, CancellationToken.None);
            await store.SearchKeywordAsync(["zebra"], new RowFilter(ConversationId: "c1"), 10, CancellationToken.None);
        });

        Assert.Contains(statements, s => s.Contains($"FROM \"{Schema}\".state", StringComparison.Ordinal)); // the count was read: the cache was cold
        Assert.Contains(statements, s => s.Contains("ts_rank_cd", StringComparison.Ordinal));
        Assert.NotEmpty(await ScansAsync($"SELECT count(*) FROM \"{Schema}\".documents WHERE kind <> 1")); // what each change cost before: the check can fail
        foreach (var statement in statements)
        {
            Assert.Empty(await ScansAsync(statement));
        }
    }

    [Fact]
    public async Task SearchKeywordAsync_CountKeptThroughChunksDeletesAndEvictions_RanksAsACountOfTheRowsDoes()
    {
        const string Schema = "keyword_same";
        var config = Config(Schema) with { MaxDocuments = 30, Retention = MemoryRetention.EvictOldest };
        await using (var store = await PostgresMemoryStore.OpenAsync(config, HashEmbeddingGenerator.Dimensions, new NoObserver(), CancellationToken.None))
        {
            await store.WriteBatchAsync(await CorpusAsync(0), CancellationToken.None);
            await store.WriteBatchAsync([await PrepareChunkedAsync(50, "manual", 4), await PrepareAsync(51, "extra", "one more common word", "c2")], CancellationToken.None);
            await store.DeleteDocumentAsync("n5", CancellationToken.None);
        }

        var kept = await ScalarAsync($"SELECT searchable FROM \"{Schema}\".state");
        var counted = await ScalarAsync($"SELECT count(*) FROM \"{Schema}\".documents WHERE kind <> 1");
        var queries = new[] { new[] { "common", "zebra" }, ["zebra"], ["common", "harbour"], ["harbour", "cranes", "common"], ["note", "common", "zebra", "crossing"] };
        var maintained = await SearchAllAsync(config, queries);
        await ExecAsync($"UPDATE \"{Schema}\".state SET searchable = (SELECT count(*) FROM \"{Schema}\".documents WHERE kind <> 1)");
        var recounted = await SearchAllAsync(config, queries);

        Assert.Equal(counted, kept);
        Assert.Equal(recounted, maintained);
        // 'common' is in more than a fifth of the rows, so a right count leaves it out and only 'zebra' matches.
        Assert.Equal(2, maintained[0].Count);
    }

    [Fact]
    public async Task SearchKeywordAsync_Hits_ScoreIsTheCalibratedRelevanceOfTheirTsRankCd()
    {
        const string Schema = "keyword_calibrated";
        await using var store = await OpenAsync(Schema);
        await store.WriteBatchAsync(
        [
            await PrepareAsync(0, "one", "a zebra", null),
            await PrepareAsync(1, "two", "zebra meets zebra near another zebra", null),
            await PrepareAsync(2, "three", "the zebra crossing by the zebra sign", null),
        ], CancellationToken.None);

        var hits = await store.SearchKeywordAsync(["zebra"], RowFilter.None, 10, CancellationToken.None);

        Assert.Equal(3, hits.Count);
        foreach (var hit in hits)
        {
            var rank = Convert.ToDouble(await ScalarAsync(
                $"SELECT ts_rank_cd(search, phraseto_tsquery('simple', 'zebra')) FROM \"{Schema}\".documents WHERE row_id = {hit.RowId}"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(PostgresKeywordCalibration.Relevance(rank), RelevanceCalibration.Keyword(hit.Score), 4);
        }

        Assert.Equal(hits.Select(h => h.Score).OrderDescending(), hits.Select(h => h.Score));
    }

    private async Task<List<List<(long RowId, double Score)>>> SearchAllAsync(MemoryConfig config, string[][] queries)
    {
        await using var store = await PostgresMemoryStore.OpenAsync(config, HashEmbeddingGenerator.Dimensions, new NoObserver(), CancellationToken.None);
        var results = new List<List<(long RowId, double Score)>>();
        foreach (var words in queries)
        {
            results.Add([.. (await store.SearchKeywordAsync(words, RowFilter.None, 20, CancellationToken.None)).Select(r => (r.RowId, r.Score))]);
        }

        return results;
    }

    /// <summary>The statements on <paramref name="schema"/> that Npgsql sends while <paramref name="action"/> runs (its <c>Npgsql</c> activities).</summary>
    private static async Task<List<string>> TraceAsync(string schema, Func<Task> action)
    {
        var statements = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("db.query.text") is string text && text.Contains($"\"{schema}\"", StringComparison.Ordinal))
                {
                    statements.Enqueue(text);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await action();
        return [.. statements];
    }

    /// <summary>
    /// The scans of the documents table in the generic plan of <paramref name="sql"/> that no index condition bounds (a
    /// sequential scan, or an index walked whole), with sequential scans made a last resort so that an index that can
    /// serve the statement is chosen even on a small table.
    /// </summary>
    private async Task<List<string>> ScansAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(pglite.ConnectionString());
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("SET LOCAL enable_seqscan = off", connection, transaction))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN (GENERIC_PLAN, FORMAT JSON) " + sql, connection, transaction);
        // The generic plan ignores the values; the extended protocol still wants one per placeholder.
        var placeholders = System.Text.RegularExpressions.Regex.Matches(sql, @"\$(\d+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
        for (var i = 0; i < placeholders; i++)
        {
            explain.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value });
        }

        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
        var scans = new List<string>();
        Walk(plan.RootElement[0].GetProperty("Plan"));
        return scans;

        void Walk(JsonElement node)
        {
            var type = node.GetProperty("Node Type").GetString();
            if (node.TryGetProperty("Relation Name", out var relation) && relation.GetString() == "documents"
                && (type == "Seq Scan" || (type is "Index Scan" or "Index Only Scan" && !node.TryGetProperty("Index Cond", out _))))
            {
                scans.Add($"{type} on documents in: {sql}");
            }

            if (node.TryGetProperty("Plans", out var children))
            {
                foreach (var child in children.EnumerateArray())
                {
                    Walk(child);
                }
            }
        }
    }

    /// <summary>30 short notes: 'common' in 10 of them (a third), 'zebra' in 2, 'harbour' in 5.</summary>
    private async Task<PreparedDocument[]> CorpusAsync(int first) =>
        await Task.WhenAll(Enumerable.Range(first, 30).Select(i => PrepareAsync(i, $"n{i}",
            $"note {i}{(i % 3 == 0 ? " with a common word" : string.Empty)}{(i is 4 or 17 ? " about a zebra" : string.Empty)}{(i % 6 == 1 ? " near the harbour" : string.Empty)}",
            i % 2 == 0 ? "c1" : null)));

    private MemoryConfig Config(string schema) => new()
    {
        Provider = MemoryProvider.Postgres,
        ConnectionString = pglite.ConnectionString(),
        PostgresSchema = schema,
        EmbeddingModel = HashEmbeddingGenerator.ModelId,
    };

    private Task<PostgresMemoryStore> OpenAsync(string schema) =>
        PostgresMemoryStore.OpenAsync(Config(schema), HashEmbeddingGenerator.Dimensions, new NoObserver(), CancellationToken.None);

    private Task ExecAsync(string sql) => PostgresTestData.ExecAsync(pglite.ConnectionString(), sql);

    private Task<object?> ScalarAsync(string sql) => PostgresTestData.ScalarAsync(pglite.ConnectionString(), sql);

    private Task<PreparedDocument> PrepareAsync(int index, string id, string content, string? conversation) => PostgresTestData.DocumentAsync(_embeddings, index, id, content, conversation);

    private Task<PreparedDocument> PrepareChunkedAsync(int index, string id, int chunks) => PostgresTestData.ChunkedAsync(_embeddings, index, id, chunks);

    private sealed class NoObserver : IStoreObserver
    {
        public void OnStoreChanged(StoreChange change)
        {
        }
    }
}
