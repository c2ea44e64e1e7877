using System.Globalization;
using System.Text;
using GopiAI.Toolkit.SemanticMemory.Search;
using static GopiAI.Toolkit.SemanticMemory.Storage.Sqlite.SqliteCommands;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>Reads for search: the dense leg (in-process vectors, filters as an allowed set), the keyword leg (FTS5, filters in SQL) and rows.</summary>
internal sealed partial class SqliteMemoryStore
{
    private readonly KeywordTermCounts _termCounts = new();
    private long _writeVersion;
    private RowCount _rowCount = new(-1, -1);
    private KeywordWork _lastKeywordWork = new(0, 0, [], [], 0);

    public async Task<IReadOnlyList<ScoredRow>> SearchDenseAsync(float[] query, RowFilter filter, int k, float threshold, CancellationToken cancellationToken)
    {
        var allowed = filter.IsEmpty ? null : await FilterRowsAsync(filter, cancellationToken).ConfigureAwait(false);
        return await _dense.SearchAsync(query, k, threshold, allowed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rows matching any of the required words that <see cref="KeywordTerms"/> selects, by FTS5 BM25 over the required
    /// and scoring words, filters applied in SQL; score = BM25 / <see cref="KeywordTerms.IdealScore(Microsoft.Data.Sqlite.SqliteConnection, KeywordPlan, long)"/> (in [0, 1],
    /// comparable across queries and store sizes). The work is bounded whatever the query and the store size: at most
    /// <see cref="KeywordTermChoice.MaxLookups"/> counts are read, the required words match at most
    /// <see cref="KeywordTermChoice.RankBudget"/> rows by their counts, and the statement ranks at most that many (the
    /// newest <see cref="KeywordTermChoice.CommonQueryRows"/> when even the rarest word alone matches more).
    /// </summary>
    public Task<IReadOnlyList<ScoredRow>> SearchKeywordAsync(IReadOnlyList<string> words, RowFilter filter, int k, CancellationToken cancellationToken) =>
        _readers.RunAsync<IReadOnlyList<ScoredRow>>(connection =>
        {
            var codec = _encryption.Codec;

            // An encrypted file's index holds blind tokens: the words are blinded the same way (and FTS5 ranks them alike).
            words = codec.KeywordWords(words);
            var searchable = SearchableRows(connection);
            var plan = KeywordTerms.Select(connection, words, searchable, _termCounts, Volatile.Read(ref _writeVersion));
            var matchExpression = plan.MatchExpression;
            if (matchExpression is null)
            {
                LastKeywordWork = new KeywordWork(words.Count, plan.Lookups, [], [], 0);
                return [];
            }

            using var command = connection.CreateCommand();
            var conditions = new StringBuilder();
            SqliteFilterSql.Append(conditions, command, filter, codec);

            // Each ranking statement ranks at most RowsToRank matching rows (newest first: FTS5 walks rowids in order);
            // without filters FTS5 works alone, the join is paid only when filtering. With scoring words the required
            // words are scored twice by the first statement, so their own score (the second) is taken off once; both
            // rank the same rows. count(*) OVER () = rows ranked.
            string Ranked(string match) =>
                (filter.IsEmpty
                    ? $"SELECT fts.rowid AS rowid, fts.rank AS rank FROM fts WHERE fts MATCH {match}"
                    : $"SELECT fts.rowid AS rowid, fts.rank AS rank FROM fts JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH {match}")
                + conditions + " ORDER BY fts.rowid DESC LIMIT $budget";
            command.CommandText = plan.Scoring.Count == 0
                ? $"SELECT rowid, rank, count(*) OVER () FROM ({Ranked("$q")}) ORDER BY rank, rowid LIMIT $limit;"
                : $"""
                  WITH scored AS MATERIALIZED ({Ranked("$q")}), twice AS MATERIALIZED ({Ranked("$r")})
                  SELECT s.rowid, s.rank - t.rank AS score, count(*) OVER () FROM scored s JOIN twice t ON t.rowid = s.rowid
                  ORDER BY score, s.rowid LIMIT $limit;
                  """;
            command.Parameters.AddWithValue("$q", matchExpression);
            if (plan.Scoring.Count > 0)
            {
                command.Parameters.AddWithValue("$r", plan.RequiredExpression);
            }

            command.Parameters.AddWithValue("$budget", KeywordTermChoice.RowsToRank(plan.Rows));
            command.Parameters.AddWithValue("$limit", k);
            var results = new List<ScoredRow>();
            long ranked = 0;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    results.Add(new ScoredRow(reader.GetInt64(0), -reader.GetDouble(1)));
                    ranked = reader.GetInt64(2);
                }
            }

            LastKeywordWork = new KeywordWork(words.Count, plan.Lookups, plan.Required, plan.Scoring, ranked);
            if (results.Count > 0)
            {
                var ideal = KeywordTerms.IdealScore(connection, plan, searchable);
                for (var i = 0; i < results.Count; i++)
                {
                    results[i] = results[i] with { Score = Math.Clamp(results[i].Score / ideal, 0, 1) };
                }
            }

            return results;
        }, cancellationToken);

    /// <summary>What the last keyword search did (diagnostics for tests and the benchmark; the last of concurrent searches wins).</summary>
    internal KeywordWork LastKeywordWork
    {
        get => Volatile.Read(ref _lastKeywordWork);
        private set => Volatile.Write(ref _lastKeywordWork, value);
    }

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

    /// <summary>Searchable rows (documents and chunks), read from the counter the triggers keep and cached until the next write.</summary>
    private long SearchableRows(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        var version = Volatile.Read(ref _writeVersion);
        var cached = Volatile.Read(ref _rowCount);
        if (cached.Version == version && cached.Rows >= 0)
        {
            return cached.Rows;
        }

        var rows = ReadCounter(connection, Schema.Counter.Searchable);
        Volatile.Write(ref _rowCount, new RowCount(version, rows));
        return rows;
    }

    private sealed record RowCount(long Version, long Rows);

    /// <summary>
    /// The work of one keyword search: <c>Words</c> in the query, document-count <c>Lookups</c> read from the index,
    /// <c>Required</c> and <c>Scoring</c> words of the match (<see cref="KeywordTermChoice.Split"/>), <c>RowsRanked</c>
    /// by BM25 (at most <see cref="KeywordTermChoice.RankBudget"/>).
    /// </summary>
    internal sealed record KeywordWork(int Words, int Lookups, IReadOnlyList<string> Required, IReadOnlyList<string> Scoring, long RowsRanked);
}
