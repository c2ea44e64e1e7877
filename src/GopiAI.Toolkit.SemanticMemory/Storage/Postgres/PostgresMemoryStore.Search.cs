using System.Globalization;
using System.Text;
using GopiAI.Toolkit.SemanticMemory.Search;
using Npgsql;
using Pgvector;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>Reads: the dense leg (pgvector, HNSW or exact), the keyword leg (<c>tsvector</c>, <c>ts_rank_cd</c>), rows and statistics.</summary>
internal sealed partial class PostgresMemoryStore
{
    /// <summary>Largest <c>hnsw.ef_search</c> pgvector accepts; a search for more rows than this is exact.</summary>
    private const int MaxEfSearch = 1000;

    /// <summary>
    /// Cosine similarity via pgvector's <c>&lt;=&gt;</c> (cosine distance). Unfiltered searches of a memory with at least
    /// <see cref="MemoryConfig.HnswThreshold"/> searchable rows walk the HNSW index (<c>hnsw.ef_search</c> raised to
    /// the rows asked for); smaller or filtered searches are exact, ordering by an expression the index cannot serve,
    /// so that a selective filter never starves the approximate walk of results.
    /// </summary>
    public Task<IReadOnlyList<ScoredRow>> SearchDenseAsync(float[] query, RowFilter filter, int k, float threshold, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ScoredRow>>("search", async connection =>
        {
            var rows = await SearchableRowsAsync(connection, cancellationToken).ConfigureAwait(false);
            var approximate = filter.IsEmpty && rows >= _config.HnswThreshold && k <= MaxEfSearch;
            await using var batch = new NpgsqlBatch(connection);
            if (approximate)
            {
                // set_config(..., true) is local to the implicit transaction the batch runs in.
                var ef = new NpgsqlBatchCommand("SELECT set_config('hnsw.ef_search', $1, true)");
                ef.Parameters.AddWithValue(Math.Max(40, k).ToString(CultureInfo.InvariantCulture));
                batch.BatchCommands.Add(ef);
            }

            var search = new NpgsqlBatchCommand();
            search.Parameters.AddWithValue(new Vector(query));
            search.Parameters.AddWithValue(1.0 - threshold);
            search.Parameters.AddWithValue((long)k);
            var sql = new StringBuilder($"SELECT d.row_id, 1 - (d.embedding <=> $1) FROM {_documents} d WHERE d.kind <> {RowKindSql.Parent} AND (d.embedding <=> $1) <= $2");
            PostgresFilterSql.Append(sql, search.Parameters, filter);
            sql.Append(approximate ? " ORDER BY d.embedding <=> $1 LIMIT $3" : " ORDER BY (d.embedding <=> $1) + 0, d.row_id LIMIT $3");
            search.CommandText = sql.ToString();
            batch.BatchCommands.Add(search);

            var results = new List<ScoredRow>(Math.Min(k, 1024));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (approximate)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }

            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                results.Add(new ScoredRow(reader.GetInt64(0), reader.GetDouble(1)));
            }

            return results;
        }, cancellationToken);

    /// <summary>
    /// Rows matching any chosen word (each an exact phrase of its tokens, <c>phraseto_tsquery</c>, so identifiers such as
    /// ERR_CONN_4471 match as written), ranked by <c>ts_rank_cd</c> (ordered by its normalisation 32, rank / (rank + 1), as
    /// always) and scored on the keyword leg's calibrated scale (<see cref="PostgresKeywordCalibration"/>); frequent words
    /// are left out as on every provider (<see cref="KeywordTermChoice"/>).
    /// </summary>
    public Task<IReadOnlyList<ScoredRow>> SearchKeywordAsync(IReadOnlyList<string> words, RowFilter filter, int k, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ScoredRow>>("search", async connection =>
        {
            var chosen = await ChooseTermsAsync(connection, words, cancellationToken).ConfigureAwait(false);
            if (chosen.Count == 0)
            {
                return [];
            }

            await using var command = new NpgsqlCommand { Connection = connection };
            var terms = new StringBuilder();
            foreach (var word in chosen)
            {
                command.Parameters.AddWithValue(word);
                terms.Append(terms.Length == 0 ? string.Empty : " || ").Append(CultureInfo.InvariantCulture, $"phraseto_tsquery('{PostgresSchema.TextSearchConfig}', ${command.Parameters.Count})");
            }

            var sql = new StringBuilder($"SELECT d.row_id, ts_rank_cd(d.search, q.query, 32) AS rank FROM {_documents} d, (SELECT {terms} AS query) q WHERE d.search @@ q.query");
            PostgresFilterSql.Append(sql, command.Parameters, filter);
            command.Parameters.AddWithValue((long)k);
            sql.Append(CultureInfo.InvariantCulture, $" ORDER BY rank DESC, d.row_id LIMIT ${command.Parameters.Count}");
            command.CommandText = sql.ToString();
            var results = new List<ScoredRow>(Math.Min(k, 1024));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                results.Add(new ScoredRow(reader.GetInt64(0), PostgresKeywordCalibration.Score(PostgresKeywordCalibration.RankOfNormalised(reader.GetFloat(1)))));
            }

            return results;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<long, DocumentRow>> GetRowsAsync(IReadOnlyCollection<long> rowIds, float[]? similarityTo, CancellationToken cancellationToken)
    {
        if (rowIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<long, DocumentRow>>(new Dictionary<long, DocumentRow>());
        }

        return ReadAsync<IReadOnlyDictionary<long, DocumentRow>>("read", async connection =>
        {
            await using var command = new NpgsqlCommand(
                $"SELECT d.row_id, d.id, d.parent_id, d.conversation_id, d.role, d.content, d.metadata::text, d.source, d.timestamp_ms, " +
                $"{(similarityTo is null ? "NULL::float8" : "1 - (d.embedding <=> $2)")} FROM {_documents} d WHERE d.row_id = ANY($1) AND d.kind <> {RowKindSql.Parent}",
                connection);
            command.Parameters.AddWithValue(rowIds.ToArray());
            if (similarityTo is not null)
            {
                command.Parameters.AddWithValue(new Vector(similarityTo));
            }

            var rows = new Dictionary<long, DocumentRow>(rowIds.Count);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = PostgresRowMapper.ReadRow(reader, 0, reader.IsDBNull(9) ? null : (float)reader.GetDouble(9));
                rows[row.RowId] = row;
            }

            return rows;
        }, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, ConversationWindow>> GetConversationNeighboursAsync(
        IReadOnlyCollection<string> ids, int before, int after, RowFilter filter, CancellationToken cancellationToken) =>
        ids.Count == 0 || (before <= 0 && after <= 0)
            ? new Dictionary<string, ConversationWindow>()
            : await ReadAsync("read", connection => PostgresConversationWindows.ReadAsync(connection, _documents, ids, before, after, filter, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<MemoryStats> GetStatsAsync(CancellationToken cancellationToken) =>
        ReadAsync("read", async connection =>
        {
            await using var command = new NpgsqlCommand($"""
                SELECT
                  (SELECT count(*) FROM {_documents} WHERE kind <> {RowKindSql.Chunk}),
                  (SELECT count(*) FROM {_documents} WHERE kind <> {RowKindSql.Parent}),
                  (SELECT count(DISTINCT conversation_id) FROM {_documents} WHERE conversation_id IS NOT NULL),
                  (SELECT min(timestamp_ms) FROM {_documents}),
                  (SELECT max(timestamp_ms) FROM {_documents}),
                  (SELECT value FROM {_location.QuotedSchema}.meta WHERE key = 'model'),
                  pg_total_relation_size($1::regclass)
                """, connection);
            command.Parameters.AddWithValue(_documents);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var searchable = reader.GetInt64(1);
            return new MemoryStats
            {
                DocumentCount = reader.GetInt64(0),
                ChunkCount = searchable,
                ConversationCount = reader.GetInt64(2),
                Oldest = reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                Newest = reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                EmbeddingModel = reader.IsDBNull(5) ? _config.EmbeddingModel : reader.GetString(5),
                Dimensions = Dimensions,
                Compressed = false,
                SchemaVersion = PostgresSchema.CurrentVersion,
                FileSizeBytes = reader.GetInt64(6),
                HnswActive = searchable >= _config.HnswThreshold,
            };
        }, cancellationToken);

    /// <summary>
    /// Searchable rows (documents and chunks): the count every write keeps in the state row (one primary-key read, never a
    /// count of the rows), read once per change of the counter.
    /// </summary>
    private async Task<long> SearchableRowsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var version = Interlocked.Read(ref _seenVersion);
        var cached = Volatile.Read(ref _rowCount);
        if (cached.Version == version && cached.Rows >= 0)
        {
            return cached.Rows;
        }

        await using var command = new NpgsqlCommand($"SELECT searchable FROM {_state}", connection);
        var rows = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        Volatile.Write(ref _rowCount, new RowCount(version, rows));
        return rows;
    }

    /// <summary>Counts the candidate words' documents in one statement (GIN lookups) and lets <see cref="KeywordTermChoice"/> choose.</summary>
    private async Task<IReadOnlyList<string>> ChooseTermsAsync(NpgsqlConnection connection, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        var rows = await SearchableRowsAsync(connection, cancellationToken).ConfigureAwait(false);
        if (KeywordTermChoice.UseAll(words, rows))
        {
            return words;
        }

        var candidates = KeywordTermChoice.Candidates(words);
        var single = candidates.Where(w => KeywordQuery.SingleTerm(w) is not null).ToArray();
        var documents = new Dictionary<string, long>(StringComparer.Ordinal);
        if (single.Length > 0)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT w.word, (SELECT count(*) FROM {_documents} d WHERE d.search @@ phraseto_tsquery('{PostgresSchema.TextSearchConfig}', w.word)) FROM unnest($1::text[]) AS w(word)",
                connection);
            command.Parameters.AddWithValue(single);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                documents[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        // An identifier phrase (several tokens) has no single count; it is specific, so it counts as rare.
        var counted = candidates.Select(w => KeywordQuery.SingleTerm(w) is null ? (w, 0L, true) : (w, documents.GetValueOrDefault(w), false)).ToList();
        return KeywordTermChoice.Choose(counted, rows);
    }
}
