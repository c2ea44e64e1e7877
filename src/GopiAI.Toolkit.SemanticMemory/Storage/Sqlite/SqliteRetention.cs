using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// The SQL of <see cref="MemoryConfig.Retention"/>, run inside the batch's transaction on the writer thread: the document
/// count (a trigger-maintained counter, one primary-key read instead of a scan), recording retrieval times, and choosing
/// the documents to evict through an index, so that a batch costs the same at 1,000 documents as at 1,000,000.
/// </summary>
internal static class SqliteRetention
{
    // Both walk an index in eviction order (ix_documents_timestamp; the partial expression index ix_documents_retrieved)
    // and stop after $n rows: the cost grows with the documents evicted, not with the documents stored.
    private static readonly string OldestSql =
        $"SELECT id FROM documents WHERE kind <> {RowKindSql.Chunk} AND id NOT IN (SELECT value FROM json_each($kept)) ORDER BY timestamp, rowid LIMIT $n;";

    private static readonly string LeastRecentlyRetrievedSql =
        $"SELECT id FROM documents WHERE kind <> {RowKindSql.Chunk} AND id NOT IN (SELECT value FROM json_each($kept)) ORDER BY coalesce(retrieved_ms, timestamp), rowid LIMIT $n;";

    private static readonly string RecordSql =
        $"UPDATE documents SET retrieved_ms = $t WHERE id = $id AND kind <> {RowKindSql.Chunk} AND (retrieved_ms IS NULL OR retrieved_ms < $t);";

    /// <summary>Documents stored (not chunks), from the counter the triggers keep.</summary>
    public static long CountDocuments(SqliteConnection connection) => SqliteCommands.ReadCounter(connection, Schema.Counter.Documents);

    /// <summary>Writes retrieval times (document id → Unix milliseconds); ids no longer stored are skipped.</summary>
    public static void RecordRetrievals(SqliteConnection connection, IReadOnlyDictionary<string, long> retrievals)
    {
        if (retrievals.Count == 0)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = RecordSql;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var time = command.Parameters.Add("$t", SqliteType.Integer);
        foreach (var (documentId, ms) in retrievals)
        {
            id.Value = documentId;
            time.Value = ms;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>The <paramref name="count"/> documents to evict under <paramref name="policy"/>, leaving out <paramref name="kept"/> (the batch's).</summary>
    public static List<string> ChooseVictims(SqliteConnection connection, MemoryRetention policy, IReadOnlyCollection<string> kept, int count)
    {
        using var command = connection.CreateCommand();
        command.CommandText = policy == MemoryRetention.EvictOldest ? OldestSql : LeastRecentlyRetrievedSql;
        command.Parameters.AddWithValue("$kept", JsonSerializer.Serialize(kept));
        command.Parameters.AddWithValue("$n", count);
        var victims = new List<string>(count);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            victims.Add(reader.GetString(0));
        }

        return victims;
    }
}
