using Npgsql;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>Maps a PostgreSQL result row to a <see cref="DocumentRow"/> (the counterpart of the SQLite provider's row mapper).</summary>
internal static class PostgresRowMapper
{
    /// <summary>
    /// The row whose nine columns start at <paramref name="first"/>: <c>d.row_id, d.id, d.parent_id, d.conversation_id,
    /// d.role, d.content, d.metadata::text, d.source, d.timestamp_ms</c>.
    /// </summary>
    public static DocumentRow ReadRow(NpgsqlDataReader reader, int first, float? similarity = null) => new(
        reader.GetInt64(first),
        reader.GetString(first + 1),
        reader.IsDBNull(first + 2) ? null : reader.GetString(first + 2),
        reader.IsDBNull(first + 3) ? null : reader.GetString(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4),
        reader.GetString(first + 5),
        reader.GetString(first + 6),
        reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7),
        reader.GetInt64(first + 8),
        similarity);
}
