using System.Globalization;
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

    public static AuditResult Run(SqliteConnection connection, int dimensions, CancellationToken cancellationToken)
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

                if (RowValidator.CheckVector(rowId, reader.GetValue(1), reader.GetValue(2), reader.GetValue(3), dimensions, out _) is { } problem)
                {
                    Report(rowId, id, problem);
                }
            }
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"""
                SELECT d.rowid, d.id, d.kind,
                       {RowValidator.InvalidMetadataSql},
                       d.kind <> {RowKindSql.Parent} AND NOT EXISTS (SELECT 1 FROM vectors v WHERE v.rowid = d.rowid),
                       d.kind <> {RowKindSql.Parent} AND NOT EXISTS (SELECT 1 FROM fts f WHERE f.rowid = d.rowid),
                       d.kind = {RowKindSql.Chunk} AND NOT EXISTS (SELECT 1 FROM documents p WHERE p.id = d.parent_id AND p.kind = {RowKindSql.Parent})
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

                if (reader.GetInt64(3) != 0)
                {
                    Report(rowId, id, "metadata is not a JSON object of strings");
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
}
