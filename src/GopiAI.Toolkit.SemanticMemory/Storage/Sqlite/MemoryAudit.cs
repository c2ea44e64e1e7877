using System.Globalization;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>What <see cref="MemoryAudit.Run"/> found: the rows search skips or that make a backup unusable, and the table counts.</summary>
/// <param name="InvalidRows">Rows with at least one problem.</param>
/// <param name="Problems">The first <see cref="MemoryAudit.MaxReported"/> problems, each naming the row.</param>
/// <param name="Searchable">Documents and chunks (rows that need a vector and a keyword entry).</param>
/// <param name="Vectors">Rows of the <c>vectors</c> table.</param>
/// <param name="KeywordRows">Rows of the FTS5 index.</param>
internal sealed record AuditResult(long InvalidRows, IReadOnlyList<string> Problems, long Searchable, long Vectors, long KeywordRows);

/// <summary>
/// Reads every row of a memory file and checks it with <see cref="RowValidator"/>: vector format, length and values,
/// row kinds, metadata JSON, and that documents, vectors and the keyword index describe the same rows. Used by
/// <c>GetStatsAsync</c> (to report what search skips) and by the backup verifier (to refuse a damaged backup).
/// </summary>
internal static class MemoryAudit
{
    public const int MaxReported = 10;

    /// <remarks>In an encrypted file (<paramref name="codec"/>) every sealed value must authenticate, and metadata is checked after opening.</remarks>
    public static AuditResult Run(SqliteConnection connection, int dimensions, RowCodec codec, CancellationToken cancellationToken)
    {
        var invalid = new HashSet<long>();
        var problems = new List<string>();
        void Report(long rowId, object? id, string what)
        {
            if (invalid.Add(rowId) && problems.Count < MaxReported)
            {
                problems.Add(id is string text ? $"row {rowId} (id '{text}'): {what}" : $"row {rowId}: {what}");
            }
        }

        long vectors = 0;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT v.rowid, v.format, v.scale, v.data, d.id, d.kind FROM vectors v LEFT JOIN documents d ON d.rowid = v.rowid;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if ((++vectors & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var rowId = reader.GetInt64(0);
                var id = reader.GetValue(4);
                if (id is DBNull)
                {
                    Report(rowId, null, "vector without a document row");
                    continue;
                }

                if (reader.GetValue(5) is long kind && kind == (long)RowKind.Parent)
                {
                    Report(rowId, id, "vector on the parent row of a chunked document");
                    continue;
                }

                var stored = reader.GetValue(3);
                var data = SqliteRowMapper.Unseal(codec, rowId, stored);
                if (codec.IsEncrypted && ReferenceEquals(data, stored))
                {
                    Report(rowId, id, "vector does not authenticate (damaged, moved from another row, or sealed under another key)");
                    continue;
                }

                if (RowValidator.CheckVector(rowId, reader.GetValue(1), reader.GetValue(2), data, dimensions, out _) is { } problem)
                {
                    Report(rowId, id, problem);
                }
            }
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"""
                SELECT d.rowid, d.id, d.kind,
                       {(codec.IsEncrypted ? "0" : RowValidator.InvalidMetadataSql)},
                       d.kind <> {RowKindSql.Parent} AND NOT EXISTS (SELECT 1 FROM vectors v WHERE v.rowid = d.rowid),
                       d.kind <> {RowKindSql.Parent} AND NOT EXISTS (SELECT 1 FROM fts f WHERE f.rowid = d.rowid),
                       d.kind = {RowKindSql.Chunk} AND NOT EXISTS (SELECT 1 FROM documents p WHERE p.id = d.parent_id AND p.kind = {RowKindSql.Parent}),
                       NOT (typeof(d.timestamp) = 'integer' AND d.timestamp BETWEEN {RowValidator.MinUnixMilliseconds} AND {RowValidator.MaxUnixMilliseconds}),
                       {(codec.IsEncrypted ? "0" : "typeof(d.content) <> 'text' OR typeof(d.metadata) <> 'text' OR typeof(d.source) NOT IN ('text', 'null')")}
                FROM documents d;
                """;
            using var reader = command.ExecuteReader();
            long rows = 0;
            while (reader.Read())
            {
                if ((++rows & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var rowId = reader.GetInt64(0);
                var id = reader.GetValue(1);
                if (reader.GetValue(2) is not long kind || !RowValidator.IsKnownKind(kind))
                {
                    Report(rowId, id, $"unknown row kind {Convert.ToString(reader.GetValue(2), CultureInfo.InvariantCulture)}");
                    continue;
                }

                if (reader.GetInt64(8) != 0)
                {
                    Report(rowId, id, "content, metadata or source is not text");
                }
                else if (reader.GetInt64(3) != 0 || (codec.IsEncrypted && !SealedRowOpens(connection, codec, rowId)))
                {
                    Report(rowId, id, codec.IsEncrypted
                        ? "content, metadata or source does not authenticate (damaged, moved from another row, or sealed under another key), or the metadata is not a JSON object of strings"
                        : "metadata is not a JSON object of strings");
                }

                if (reader.GetInt64(4) != 0)
                {
                    Report(rowId, id, "searchable row without a vector");
                }

                if (reader.GetInt64(5) != 0)
                {
                    Report(rowId, id, "searchable row without a keyword index entry");
                }

                if (reader.GetInt64(6) != 0)
                {
                    Report(rowId, id, "chunk whose parent document is missing");
                }

                if (reader.GetInt64(7) != 0)
                {
                    Report(rowId, id, "timestamp is not a time between the years 1 and 9999");
                }
            }
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT f.rowid FROM fts f WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.rowid = f.rowid AND d.kind <> {RowKindSql.Parent});";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                Report(reader.GetInt64(0), null, "keyword index entry without a searchable document");
            }
        }

        using var counts = connection.CreateCommand();
        counts.CommandText = $"SELECT (SELECT count(*) FROM documents WHERE kind <> {RowKindSql.Parent}), (SELECT count(*) FROM fts);";
        using var countReader = counts.ExecuteReader();
        countReader.Read();
        return new AuditResult(invalid.Count, problems, countReader.GetInt64(0), vectors, countReader.GetInt64(1));
    }

    /// <summary>Whether a sealed row's content, metadata and source open, and its metadata is a JSON object of strings.</summary>
    private static bool SealedRowOpens(SqliteConnection connection, RowCodec codec, long rowId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT content, metadata, source FROM documents WHERE rowid = $r;";
        command.Parameters.AddWithValue("$r", rowId);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return false;
        }

        try
        {
            codec.ReadText(reader.GetValue(0), rowId, RowField.Content);
            codec.ReadNullableText(reader.GetValue(2), rowId, RowField.Source);
            using var metadata = System.Text.Json.JsonDocument.Parse(codec.ReadText(reader.GetValue(1), rowId, RowField.Metadata));
            return metadata.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && metadata.RootElement.EnumerateObject().All(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.String);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or InvalidCastException or System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
