using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>A <see cref="RowFilter"/> as SQL conditions on the <c>documents d</c> alias: columns, and <c>jsonb @&gt;</c> for metadata (GIN-indexed).</summary>
internal static class PostgresFilterSql
{
    /// <summary>Appends one <c>AND …</c> per condition of <paramref name="filter"/> to <paramref name="sql"/>, as positional parameters added to <paramref name="parameters"/>.</summary>
    public static void Append(StringBuilder sql, NpgsqlParameterCollection parameters, RowFilter filter)
    {
        if (filter.ConversationId is not null)
        {
            parameters.AddWithValue(filter.ConversationId);
            sql.Append(" AND d.conversation_id = $").Append(parameters.Count);
        }

        if (filter.Role is not null)
        {
            parameters.AddWithValue(filter.Role);
            sql.Append(" AND d.role = $").Append(parameters.Count);
        }

        if (filter.From is { } from)
        {
            parameters.AddWithValue(from.ToUnixTimeMilliseconds());
            sql.Append(" AND d.timestamp_ms >= $").Append(parameters.Count);
        }

        if (filter.To is { } to)
        {
            parameters.AddWithValue(to.ToUnixTimeMilliseconds());
            sql.Append(" AND d.timestamp_ms < $").Append(parameters.Count);
        }

        if (filter.Metadata is { Count: > 0 } metadata)
        {
            var json = JsonSerializer.Serialize(metadata.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), PostgresJsonContext.Default.DictionaryStringString);
            parameters.Add(new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb });
            sql.Append(" AND d.metadata @> $").Append(parameters.Count);
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class PostgresJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
