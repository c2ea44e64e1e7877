using System.Text;
using Npgsql;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>
/// Reads <see cref="ConversationWindow"/>s in one statement: each anchor's position (counted on the
/// <c>documents_conversation(conversation_id, timestamp_ms)</c> index) and its two sides as <c>LIMIT</c>ed walks of
/// that index, joined <c>LATERAL</c>, with whether each row passes the filter.
/// </summary>
internal static class PostgresConversationWindows
{
    private const string Columns = "d.row_id, d.id, d.parent_id, d.conversation_id, d.role, d.content, d.metadata::text AS metadata, d.source, d.timestamp_ms";

    public static async Task<Dictionary<string, ConversationWindow>> ReadAsync(
        NpgsqlConnection connection, string documents, IReadOnlyCollection<string> ids, int before, int after, RowFilter filter, CancellationToken cancellationToken)
    {
        var wanted = ConversationWindows.Ids(ids);
        var windows = new Dictionary<string, ConversationWindow>(wanted.Count, StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return windows;
        }

        await using var command = new NpgsqlCommand { Connection = connection };
        command.Parameters.AddWithValue(wanted.ToArray());
        command.Parameters.AddWithValue((long)ConversationWindows.Side(before));
        command.Parameters.AddWithValue((long)ConversationWindows.Side(after));
        var sql = new StringBuilder($"""
            WITH a AS (
              SELECT d.id, d.row_id, d.conversation_id, d.timestamp_ms FROM {documents} d
              WHERE d.id = ANY($1) AND d.kind <> {RowKindSql.Parent} AND d.conversation_id IS NOT NULL
            )
            SELECT a.id, a.conversation_id,
              (SELECT count(*) FROM {documents} c WHERE c.conversation_id = a.conversation_id AND c.kind <> {RowKindSql.Parent}
                 AND (c.timestamp_ms, c.row_id) < (a.timestamp_ms, a.row_id)) AS position,
              w.step, w.row_id, w.id, w.parent_id, w.conversation_id, w.role, w.content, w.metadata, w.source, w.timestamp_ms, w.visible
            FROM a LEFT JOIN LATERAL (
              SELECT -row_number() OVER (ORDER BY b.timestamp_ms DESC, b.row_id DESC) AS step, b.* FROM (
            """);
        Side(sql, command.Parameters, documents, filter, "<", "DESC", "$2");
        sql.Append(") b UNION ALL SELECT row_number() OVER (ORDER BY f.timestamp_ms, f.row_id) AS step, f.* FROM (");
        Side(sql, command.Parameters, documents, filter, ">", "ASC", "$3");
        sql.Append(") f) w ON true ORDER BY a.id, w.step");
        command.CommandText = sql.ToString();

        var rows = new Dictionary<string, List<PositionedRow>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            var position = reader.GetInt64(2);
            if (!windows.ContainsKey(id))
            {
                rows[id] = [];
                windows[id] = new ConversationWindow(reader.GetString(1), position, rows[id]);
            }

            if (reader.IsDBNull(3) || reader.IsDBNull(13) || !reader.GetBoolean(13))
            {
                continue; // no neighbour on that side, or one the filter rejects: its place stays empty
            }

            rows[id].Add(new PositionedRow(position + reader.GetInt64(3), PostgresRowMapper.ReadRow(reader, 4)));
        }

        return windows;
    }

    /// <summary>One side of a window; the filter is a column (a row it rejects still takes its place).</summary>
    private static void Side(StringBuilder sql, NpgsqlParameterCollection parameters, string documents, RowFilter filter, string comparison, string order, string limit)
    {
        sql.Append("SELECT ").Append(Columns).Append(", (true");
        PostgresFilterSql.Append(sql, parameters, filter);
        sql.Append(") AS visible FROM ").Append(documents).Append(" d WHERE d.conversation_id = a.conversation_id AND d.kind <> ").Append(RowKindSql.Parent)
            .Append(" AND (d.timestamp_ms, d.row_id) ").Append(comparison).Append(" (a.timestamp_ms, a.row_id)")
            .Append(" ORDER BY d.timestamp_ms ").Append(order).Append(", d.row_id ").Append(order).Append(" LIMIT ").Append(limit);
    }
}
