using System.Globalization;
using System.Text;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>A <see cref="RowFilter"/> as SQL conditions on the <c>documents d</c> alias, with their parameters.</summary>
internal static class SqliteFilterSql
{
    /// <summary>Appends one <c>AND …</c> per condition of <paramref name="filter"/> to <paramref name="sql"/> and its parameters to <paramref name="command"/>.</summary>
    /// <remarks>In an encrypted file (<paramref name="codec"/>) metadata conditions look up blind tags instead of reading the sealed JSON.</remarks>
    public static void Append(StringBuilder sql, SqliteCommand command, RowFilter filter, RowCodec codec)
    {
        if (filter.ConversationId is not null)
        {
            sql.Append(" AND d.conversation_id = $fc");
            command.Parameters.AddWithValue("$fc", filter.ConversationId);
        }

        if (filter.Role is not null)
        {
            sql.Append(" AND d.role = $fr");
            command.Parameters.AddWithValue("$fr", filter.Role);
        }

        if (filter.From is { } from)
        {
            sql.Append(" AND d.timestamp >= $ff");
            command.Parameters.AddWithValue("$ff", from.ToUnixTimeMilliseconds());
        }

        if (filter.To is { } to)
        {
            sql.Append(" AND d.timestamp < $ft");
            command.Parameters.AddWithValue("$ft", to.ToUnixTimeMilliseconds());
        }

        if (filter.Metadata is { Count: > 0 } metadata)
        {
            var i = 0;
            foreach (var (key, value) in metadata)
            {
                if (codec.IsEncrypted)
                {
                    sql.Append(CultureInfo.InvariantCulture, $" AND EXISTS (SELECT 1 FROM metadata_tags t WHERE t.tag = $mt{i} AND t.rowid = d.rowid)");
                    command.Parameters.AddWithValue($"$mt{i}", codec.MetadataTag(key, value ?? string.Empty));
                    i++;
                    continue;
                }

                // Guarded by json_valid: a damaged row must not fail the whole search (the JSON functions throw on malformed text).
                sql.Append(CultureInfo.InvariantCulture,
                    $" AND CASE WHEN json_valid(d.metadata) THEN EXISTS (SELECT 1 FROM json_each(d.metadata) j WHERE j.key = $mk{i} AND j.value = $mv{i}) ELSE 0 END");
                command.Parameters.AddWithValue($"$mk{i}", key);
                command.Parameters.AddWithValue($"$mv{i}", value ?? string.Empty);
                i++;
            }
        }
    }
}
