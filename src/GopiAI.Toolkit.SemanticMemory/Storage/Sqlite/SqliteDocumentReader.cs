using System.Runtime.InteropServices;
using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage.Export;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>Reads whole documents with their chunks and vectors out of the file (export, migration), in ordinal id order.</summary>
internal static class SqliteDocumentReader
{
    private static readonly string DocumentsSql =
        "SELECT d.id, d.kind, d.conversation_id, d.role, d.content, d.metadata, d.source, d.timestamp, v.rowid, v.format, v.scale, v.data " +
        $"FROM documents d LEFT JOIN vectors v ON v.rowid = d.rowid WHERE d.kind <> {RowKindSql.Chunk} AND ($after IS NULL OR d.id > $after) AND ($only IS NULL OR d.id = $only) ORDER BY d.id LIMIT $limit;";

    private static readonly string ChunksSql =
        "SELECT d.parent_id, d.content, v.rowid, v.format, v.scale, v.data FROM documents d JOIN vectors v ON v.rowid = d.rowid " +
        $"WHERE d.kind = {RowKindSql.Chunk} AND d.parent_id IN (SELECT value FROM json_each($parents)) ORDER BY d.parent_id, d.chunk_index;";

    /// <summary>
    /// Up to <paramref name="limit"/> documents with ids after <paramref name="afterId"/>. A document whose vector or
    /// metadata is damaged is left out (GetStatsAsync reports such rows); int8 vectors come back dequantised and re-normalised.
    /// </summary>
    public static IReadOnlyList<ExportedDocument> Read(SqliteConnection connection, string? afterId, int limit, int dimensions, string? onlyId = null)
    {
        var rows = new List<(string Id, long Kind, string? Conversation, string? Role, string Content, string Metadata, string? Source, long Timestamp, float[]? Vector)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = DocumentsSql;
            command.Parameters.AddWithValue("$after", (object?)afterId ?? DBNull.Value);
            command.Parameters.AddWithValue("$limit", limit);
            command.Parameters.AddWithValue("$only", (object?)onlyId ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var kind = reader.GetInt64(1);
                float[]? vector = null;
                if (kind == (long)RowKind.Document && !TryVector(reader, 8, dimensions, out vector))
                {
                    continue;
                }

                rows.Add((reader.GetString(0), kind, reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt64(7), vector));
            }
        }

        var chunks = new Dictionary<string, List<ExportedChunk>>(StringComparer.Ordinal);
        var parents = rows.Where(r => r.Kind == (long)RowKind.Parent).Select(r => r.Id).ToList();
        if (parents.Count > 0)
        {
            using var command = connection.CreateCommand();
            command.CommandText = ChunksSql;
            command.Parameters.AddWithValue("$parents", System.Text.Json.JsonSerializer.Serialize(parents, ExportIdsJsonContext.Default.ListString));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var parent = reader.GetString(0);
                if (!chunks.TryGetValue(parent, out var list))
                {
                    chunks[parent] = list = [];
                }

                list.Add(TryVector(reader, 2, dimensions, out var vector) ? new ExportedChunk(reader.GetString(1), vector!) : new ExportedChunk(reader.GetString(1), []));
            }
        }

        var documents = new List<ExportedDocument>(rows.Count);
        foreach (var row in rows)
        {
            IReadOnlyList<ExportedChunk> pieces = row.Kind == (long)RowKind.Parent ? chunks.GetValueOrDefault(row.Id) ?? [] : [new ExportedChunk(row.Content, row.Vector!)];
            if (pieces.Count == 0 || pieces.Any(p => p.Vector.Length == 0) || !RowValidator.TryParseMetadata(row.Metadata, out _))
            {
                continue; // damaged: left out, as search leaves it out
            }

            documents.Add(new ExportedDocument(row.Id, row.Conversation, row.Role, row.Content, row.Metadata, row.Source, row.Timestamp, pieces));
        }

        return documents;
    }

    private static bool TryVector(SqliteDataReader reader, int column, int dimensions, out float[]? vector)
    {
        vector = null;
        if (reader.IsDBNull(column)
            || RowValidator.CheckVector(reader.GetInt64(column), reader.GetValue(column + 1), reader.GetValue(column + 2), reader.GetValue(column + 3), dimensions, out var stored) is not null)
        {
            return false;
        }

        if (stored.Format == VectorFormat.Float32)
        {
            vector = MemoryMarshal.Cast<byte, float>(stored.Data).ToArray();
            return true;
        }

        var values = new float[dimensions];
        VectorMath.Dequantize(MemoryMarshal.Cast<byte, sbyte>(stored.Data), stored.Scale, values);
        vector = VectorMath.Normalized(values);
        return true;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(List<string>))]
internal sealed partial class ExportIdsJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
