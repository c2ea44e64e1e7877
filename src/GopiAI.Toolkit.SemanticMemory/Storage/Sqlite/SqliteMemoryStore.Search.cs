using System.Globalization;
using System.Text;
using GopiAI.Toolkit.SemanticMemory.Search;
using static GopiAI.Toolkit.SemanticMemory.Storage.Sqlite.SqliteCommands;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>Reads for search: the dense leg (in-process vectors, filters as an allowed set), the keyword leg (FTS5, filters in SQL) and rows.</summary>
internal sealed partial class SqliteMemoryStore
{
    private long _writeVersion;
    private RowCount _rowCount = new(-1, -1);

    public async Task<IReadOnlyList<ScoredRow>> SearchDenseAsync(float[] query, RowFilter filter, int k, float threshold, CancellationToken cancellationToken)
    {
        var allowed = filter.IsEmpty ? null : await FilterRowsAsync(filter, cancellationToken).ConfigureAwait(false);
        return await _dense.SearchAsync(query, k, threshold, allowed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rows matching any of the words that <see cref="KeywordTerms"/> selects, by FTS5 BM25, filters applied in SQL;
    /// score = BM25 / <see cref="KeywordTerms.IdealScore"/> (in [0, 1], comparable across queries and store sizes).
    /// </summary>
    public Task<IReadOnlyList<ScoredRow>> SearchKeywordAsync(IReadOnlyList<string> words, RowFilter filter, int k, CancellationToken cancellationToken) =>
        _readers.RunAsync<IReadOnlyList<ScoredRow>>(connection =>
        {
            var codec = _encryption.Codec;

            // An encrypted file's index holds blind tokens: the words are blinded the same way (and FTS5 ranks them alike).
            words = codec.KeywordWords(words);
            var searchable = SearchableRows(connection);
            var selected = words.Count > 1 ? KeywordTerms.Select(connection, words, searchable) : words;
            var matchExpression = KeywordQuery.ToMatchExpression(selected);
            if (matchExpression is null)
            {
                return [];
            }

            using var command = connection.CreateCommand();
            // Without filters FTS5 ranks on its own (ORDER BY rank = bm25); the join is paid only when filtering.
            var sql = new StringBuilder(filter.IsEmpty
                ? "SELECT fts.rowid, fts.rank FROM fts WHERE fts MATCH $q"
                : "SELECT fts.rowid, fts.rank FROM fts JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH $q");
            SqliteFilterSql.Append(sql, command, filter, codec);
            sql.Append(" ORDER BY fts.rank LIMIT $limit;");
            command.CommandText = sql.ToString();
            command.Parameters.AddWithValue("$q", matchExpression);
            command.Parameters.AddWithValue("$limit", k);
            var results = new List<ScoredRow>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    results.Add(new ScoredRow(reader.GetInt64(0), -reader.GetDouble(1)));
                }
            }

            if (results.Count > 0)
            {
                var ideal = KeywordTerms.IdealScore(connection, selected, searchable);
                for (var i = 0; i < results.Count; i++)
                {
                    results[i] = results[i] with { Score = Math.Clamp(results[i].Score / ideal, 0, 1) };
                }
            }

            return results;
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<long, DocumentRow>> GetRowsAsync(IReadOnlyCollection<long> rowIds, float[]? similarityTo, CancellationToken cancellationToken)
    {
        var rows = await _readers.RunAsync(connection => SqliteRowMapper.ReadRows(connection, rowIds, _encryption.Codec), cancellationToken).ConfigureAwait(false);
        if (similarityTo is not null)
        {
            foreach (var row in rows.Values.ToArray())
            {
                rows[row.RowId] = row with { Similarity = _dense.Similarity(similarityTo, row.RowId) };
            }
        }

        return rows;
    }

    public async Task<IReadOnlyDictionary<string, ConversationWindow>> GetConversationNeighboursAsync(
        IReadOnlyCollection<string> ids, int before, int after, RowFilter filter, CancellationToken cancellationToken) =>
        ids.Count == 0 || (before <= 0 && after <= 0)
            ? new Dictionary<string, ConversationWindow>()
            : await _readers.RunAsync(connection => SqliteConversationWindows.Read(connection, ids, before, after, filter, _encryption.Codec), cancellationToken).ConfigureAwait(false);

    /// <summary>The searchable rows that pass the filter (the dense leg scans only those).</summary>
    private Task<HashSet<long>> FilterRowsAsync(RowFilter filter, CancellationToken cancellationToken) =>
        _readers.RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder("SELECT d.rowid FROM documents d WHERE d.kind <> ").Append(RowKindSql.Parent);
            SqliteFilterSql.Append(sql, command, filter, _encryption.Codec);
            command.CommandText = sql.ToString();
            var set = new HashSet<long>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                set.Add(reader.GetInt64(0));
            }

            return set;
        }, cancellationToken);

    /// <summary>Searchable rows (documents and chunks), counted from indexes only and cached until the next write.</summary>
    private long SearchableRows(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        var version = Volatile.Read(ref _writeVersion);
        var cached = Volatile.Read(ref _rowCount);
        if (cached.Version == version && cached.Rows >= 0)
        {
            return cached.Rows;
        }

        var rows = Convert.ToInt64(Scalar(connection,
            "SELECT (SELECT count(*) FROM documents) - (SELECT count(DISTINCT parent_id) FROM documents WHERE parent_id IS NOT NULL);"), CultureInfo.InvariantCulture);
        Volatile.Write(ref _rowCount, new RowCount(version, rows));
        return rows;
    }

    private sealed record RowCount(long Version, long Rows);
}
