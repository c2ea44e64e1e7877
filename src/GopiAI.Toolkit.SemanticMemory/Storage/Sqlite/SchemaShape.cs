using System.Globalization;
using System.Text;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// Compares a memory file's schema with the one <see cref="Schema.Migrations"/> give a new file of the same version:
/// every table's columns (name, declared type, NOT NULL, default, primary key), every index's keys and text, every trigger's text.
/// A flipped bit in the schema page can leave SQL that still parses but means something else ("rowid INTEGER PRI\rARY KEY"
/// turns the row id into an ordinary, empty column) and reads back as silently wrong values; this finds it before any row is read.
/// </summary>
/// <remarks>
/// Objects a file may lack (the blind-tag table of an encrypted file) are checked only when present; objects the reference
/// does not have (FTS5's own shadow tables, <c>sqlite_stat1</c>) are not compared, as SQLite versions may differ in them.
/// </remarks>
internal static class SchemaShape
{
    private static readonly HashSet<string> Optional = new(StringComparer.Ordinal) { "metadata_tags", "ix_metadata_tags_row" };

    /// <summary>The reference shape of each schema version (index = version − 1), built once when first asked for: bounded by the versions.</summary>
    private static readonly Lazy<IReadOnlyDictionary<string, string>>[] References =
        [.. Enumerable.Range(1, Schema.CurrentVersion).Select(version => new Lazy<IReadOnlyDictionary<string, string>>(() => Build(version)))];

    /// <summary>What differs from a sound file of schema <paramref name="version"/> (1 to <see cref="Schema.CurrentVersion"/>), or null.</summary>
    public static string? FindDifference(SqliteConnection connection, int version)
    {
        var reference = version >= 1 && version <= References.Length ? References[version - 1].Value : Build(version);
        var actual = Describe(connection);
        foreach (var (name, expected) in reference)
        {
            if (!actual.TryGetValue(name, out var found))
            {
                if (!Optional.Contains(name))
                {
                    return $"'{name}' is missing from its schema";
                }
            }
            else if (!string.Equals(found, expected, StringComparison.Ordinal))
            {
                return $"the definition of '{name}' is damaged (expected {expected}; found {found})";
            }
        }

        return null;
    }

    private static IReadOnlyDictionary<string, string> Build(int version)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        for (var v = 0; v < version; v++)
        {
            SqliteCommands.Exec(connection, Schema.Migrations[v]);
        }

        SqliteCommands.Exec(connection, MetadataTagsTable.CreateSql);
        return Describe(connection);
    }

    /// <summary>One line per table, index and trigger of the schema, by name (FTS5 shadow tables and SQLite's statistics left out).</summary>
    private static Dictionary<string, string> Describe(SqliteConnection connection)
    {
        var objects = new List<(string Type, string Name, string? Sql)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT type, name, sql FROM sqlite_master
                WHERE type IN ('table', 'index', 'trigger')
                  AND name NOT LIKE 'sqlite\_stat%' ESCAPE '\'
                  AND NOT (type = 'table' AND name LIKE 'fts\_%' ESCAPE '\' AND name <> 'fts_vocab')
                  AND NOT (type = 'index' AND tbl_name LIKE 'fts\_%' ESCAPE '\');
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                objects.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }

        var shapes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (type, name, sql) in objects)
        {
            shapes[name] = type switch
            {
                "table" => Rows(connection, "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info($n);", name, "table"),
                "index" => Rows(connection, "SELECT seqno, cid, name, \"desc\", coll, key FROM pragma_index_xinfo($n);", name, "index") + " " + sql,
                _ => "trigger " + sql,
            };
        }

        return shapes;
    }

    private static string Rows(SqliteConnection connection, string sql, string name, string kind)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$n", name);
        using var reader = command.ExecuteReader();
        var text = new StringBuilder(kind).Append(" (");
        var first = true;
        while (reader.Read())
        {
            text.Append(first ? string.Empty : ", ");
            first = false;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(i == 0 ? string.Empty : " ").Append(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
            }
        }

        return text.Append(')').ToString();
    }
}
