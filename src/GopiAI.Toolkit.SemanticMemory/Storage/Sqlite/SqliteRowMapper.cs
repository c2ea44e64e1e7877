using GopiAI.Toolkit.SemanticMemory.Privacy;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>Reads rows of the memory file into the provider-neutral shapes: <see cref="DocumentRow"/>, <see cref="StoredVector"/>, <see cref="MemoryStats"/> counts.</summary>
internal static class SqliteRowMapper
{
    private static readonly string GetRowsSql =
        "SELECT d.rowid, d.id, d.parent_id, d.conversation_id, d.role, d.content, d.metadata, d.source, d.timestamp FROM documents d " +
        $"WHERE d.rowid IN (SELECT value FROM json_each($ids)) AND d.kind <> {RowKindSql.Parent};";

    private static readonly string StatsSql = $"""
        SELECT
          (SELECT count(*) FROM documents WHERE kind <> {RowKindSql.Chunk}),
          (SELECT count(*) FROM documents WHERE kind <> {RowKindSql.Parent}),
          (SELECT count(DISTINCT conversation_id) FROM documents WHERE conversation_id IS NOT NULL),
          (SELECT min(timestamp) FROM documents WHERE timestamp BETWEEN {RowValidator.MinUnixMilliseconds} AND {RowValidator.MaxUnixMilliseconds}),
          (SELECT max(timestamp) FROM documents WHERE timestamp BETWEEN {RowValidator.MinUnixMilliseconds} AND {RowValidator.MaxUnixMilliseconds}),
          (SELECT value FROM meta WHERE key = 'model');
        """;

    /// <summary>
    /// The searchable rows with these row ids (parents and unknown ids left out). A damaged row — a NULL where a value
    /// must be, a value of another type, or in an encrypted file a sealed value that does not authenticate — is left out too, as every other
    /// read does; <see cref="MemoryAudit"/> counts it for GetStatsAsync.
    /// </summary>
    public static Dictionary<long, DocumentRow> ReadRows(SqliteConnection connection, IReadOnlyCollection<long> rowIds, RowCodec codec)
    {
        var rows = new Dictionary<long, DocumentRow>(rowIds.Count);
        if (rowIds.Count == 0)
        {
            return rows;
        }

        using var command = connection.CreateCommand();
        command.CommandText = GetRowsSql;
        command.Parameters.AddWithValue("$ids", "[" + string.Join(',', rowIds) + "]");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (reader.IsDBNull(1) || reader.IsDBNull(5) || reader.IsDBNull(6) || reader.IsDBNull(8))
            {
                continue; // a damaged row (NOT NULL is not re-checked on read) is left out; GetStatsAsync reports it
            }

            DocumentRow row;
            try
            {
                row = ReadRow(reader, codec);
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or RowValueException)
            {
                continue; // damaged or moved sealed value, or a value of another type: left out, like a row that fails validation
            }

            rows[row.RowId] = row;
        }

        return rows;
    }

    /// <summary>
    /// The row under <paramref name="reader"/>, whose first nine columns are <c>d.rowid, d.id, d.parent_id,
    /// d.conversation_id, d.role, d.content, d.metadata, d.source, d.timestamp</c> (sealed values opened).
    /// </summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">A sealed value does not authenticate (damaged or moved).</exception>
    /// <exception cref="RowValueException">A text column holds a value of another type (damaged).</exception>
    public static DocumentRow ReadRow(SqliteDataReader reader, RowCodec codec)
    {
        var rowId = reader.GetInt64(0);
        return new DocumentRow(
            rowId,
            reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            codec.ReadText(reader.GetValue(5), rowId, RowField.Content),
            codec.ReadText(reader.GetValue(6), rowId, RowField.Metadata),
            codec.ReadNullableText(reader.GetValue(7), rowId, RowField.Source),
            reader.GetInt64(8));
    }

    /// <summary>
    /// Every vector as stored, in row order; rows that <see cref="RowValidator.CheckVector"/> rejects are left out
    /// (GetStatsAsync reports them). Lazy: the command stays open while the caller enumerates.
    /// </summary>
    public static IEnumerable<StoredVector> ReadVectors(SqliteConnection connection, int dimensions, RowCodec codec)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid, format, scale, data FROM vectors ORDER BY rowid;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (RowValidator.CheckVector(reader.GetInt64(0), reader.GetValue(1), reader.GetValue(2), Unseal(codec, reader.GetInt64(0), reader.GetValue(3)), dimensions, out var vector) is null)
            {
                yield return vector;
            }
        }
    }

    /// <summary>
    /// The vector bytes of a <c>vectors.data</c> value: as stored in a plain file; opened in an encrypted one, where a value
    /// that does not authenticate is returned as it is, so that <see cref="RowValidator.CheckVector"/> rejects it by length.
    /// </summary>
    public static object Unseal(RowCodec codec, long rowId, object stored)
    {
        if (!codec.IsEncrypted || stored is not byte[] bytes)
        {
            return stored;
        }

        try
        {
            return codec.ReadVector(bytes, rowId);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return stored;
        }
    }

    /// <summary>The counts, time range and model of the file; the caller adds what SQL does not know.</summary>
    public static MemoryStats ReadStats(SqliteConnection connection, MemoryConfig config, int dimensions)
    {
        using var command = connection.CreateCommand();
        command.CommandText = StatsSql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return new MemoryStats
        {
            DocumentCount = reader.GetInt64(0),
            ChunkCount = reader.GetInt64(1),
            ConversationCount = reader.GetInt64(2),
            Oldest = reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
            Newest = reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            EmbeddingModel = reader.IsDBNull(5) ? config.EmbeddingModel : reader.GetString(5),
            Dimensions = dimensions,
            Compressed = config.EnableCompression,
            SchemaVersion = Schema.CurrentVersion,
            FileSizeBytes = 0,
            HnswActive = false,
        };
    }
}
