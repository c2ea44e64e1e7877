using System.Text;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// Reads <see cref="ConversationWindow"/>s on the <c>ix_documents_conversation(conversation_id, timestamp)</c> index
/// (which carries the rowid): each side is one <c>LIMIT</c>ed range walk from the row outwards, and positions are
/// counted between a conversation's anchors in order, so the whole call walks each conversation's index at most once.
/// </summary>
internal static class SqliteConversationWindows
{
    private static readonly string AnchorSql =
        $"SELECT rowid, conversation_id, timestamp FROM documents WHERE id = $id AND kind <> {RowKindSql.Parent} AND conversation_id IS NOT NULL;";

    // (timestamp, rowid) is the conversation order; row values let SQLite walk the index range directly.
    private static readonly string CountSql =
        $"SELECT count(*) FROM documents d WHERE d.conversation_id = $c AND d.kind <> {RowKindSql.Parent} AND (d.timestamp, d.rowid) >= ($t0, $r0) AND (d.timestamp, d.rowid) < ($t1, $r1);";

    private const string Columns = "d.rowid, d.id, d.parent_id, d.conversation_id, d.role, d.content, d.metadata, d.source, d.timestamp";

    public static Dictionary<string, ConversationWindow> Read(SqliteConnection connection, IReadOnlyCollection<string> ids, int before, int after, RowFilter filter, RowCodec codec)
    {
        before = ConversationWindows.Side(before);
        after = ConversationWindows.Side(after);
        // One read transaction: the anchors, the counts and the sides see the same snapshot of the file.
        SqliteCommands.Exec(connection, "BEGIN DEFERRED;");
        try
        {
            return ReadInSnapshot(connection, ids, before, after, filter, codec);
        }
        finally
        {
            // The read transaction ends here, also after an error (SQLite may already have ended it then).
            if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
            {
                SqliteCommands.Exec(connection, "ROLLBACK;");
            }
        }
    }

    private static Dictionary<string, ConversationWindow> ReadInSnapshot(SqliteConnection connection, IReadOnlyCollection<string> ids, int before, int after, RowFilter filter, RowCodec codec)
    {
        var anchors = new List<Anchor>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = AnchorSql;
            var id = command.Parameters.Add("$id", SqliteType.Text);
            foreach (var wanted in ConversationWindows.Ids(ids))
            {
                id.Value = wanted;
                using var reader = command.ExecuteReader();
                if (reader.Read() && !reader.IsDBNull(1) && reader.GetFieldType(2) == typeof(long))
                {
                    anchors.Add(new Anchor(wanted, reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
                }
            }
        }

        var windows = new Dictionary<string, ConversationWindow>(anchors.Count, StringComparer.Ordinal);
        if (anchors.Count == 0)
        {
            return windows;
        }

        var positions = Positions(connection, anchors);
        using var side = SideCommands.Create(connection, filter, codec, before, after);
        foreach (var anchor in anchors)
        {
            var position = positions[anchor.RowId];
            var rows = new List<PositionedRow>(before + after);
            if (before > 0)
            {
                side.Read(side.Before, anchor, position, -1, rows, codec);
                rows.Reverse();
            }

            if (after > 0)
            {
                side.Read(side.After, anchor, position, +1, rows, codec);
            }

            windows[anchor.Id] = new ConversationWindow(anchor.ConversationId, position, rows);
        }

        return windows;
    }

    /// <summary>Each anchor's position: per conversation, the rows before its first anchor, then the rows between consecutive anchors.</summary>
    private static Dictionary<long, long> Positions(SqliteConnection connection, List<Anchor> anchors)
    {
        var positions = new Dictionary<long, long>(anchors.Count);
        using var command = connection.CreateCommand();
        command.CommandText = CountSql;
        var c = command.Parameters.Add("$c", SqliteType.Text);
        var t0 = command.Parameters.Add("$t0", SqliteType.Integer);
        var r0 = command.Parameters.Add("$r0", SqliteType.Integer);
        var t1 = command.Parameters.Add("$t1", SqliteType.Integer);
        var r1 = command.Parameters.Add("$r1", SqliteType.Integer);
        foreach (var conversation in anchors.GroupBy(a => a.ConversationId, StringComparer.Ordinal))
        {
            var (previousTimestamp, previousRow, position) = (long.MinValue, long.MinValue, 0L);
            foreach (var anchor in conversation.OrderBy(a => a.Timestamp).ThenBy(a => a.RowId))
            {
                if (positions.ContainsKey(anchor.RowId))
                {
                    continue;
                }

                c.Value = anchor.ConversationId;
                (t0.Value, r0.Value, t1.Value, r1.Value) = (previousTimestamp, previousRow, anchor.Timestamp, anchor.RowId);
                position += Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                positions[anchor.RowId] = position;
                (previousTimestamp, previousRow) = (anchor.Timestamp, anchor.RowId);
            }
        }

        return positions;
    }

    private sealed record Anchor(string Id, long RowId, string ConversationId, long Timestamp);

    /// <summary>The two prepared side reads: rows of the conversation before (newest first) or after (oldest first) a row, with whether each passes the filter.</summary>
    private sealed class SideCommands : IDisposable
    {
        private SideCommands(SqliteCommand before, SqliteCommand after)
        {
            Before = before;
            After = after;
        }

        public SqliteCommand Before { get; }

        public SqliteCommand After { get; }

        public static SideCommands Create(SqliteConnection connection, RowFilter filter, RowCodec codec, int before, int after) =>
            new(Command(connection, filter, codec, "<", "DESC", before), Command(connection, filter, codec, ">", "ASC", after));

        private static SqliteCommand Command(SqliteConnection connection, RowFilter filter, RowCodec codec, string comparison, string order, int limit)
        {
            var command = connection.CreateCommand();
            // The filter is evaluated as a column, not a condition: a row it rejects still takes its place in the window.
            var sql = new StringBuilder("SELECT ").Append(Columns).Append(", (1");
            SqliteFilterSql.Append(sql, command, filter, codec);
            sql.Append(") FROM documents d WHERE d.conversation_id = $c AND d.kind <> ").Append(RowKindSql.Parent)
                .Append(" AND (d.timestamp, d.rowid) ").Append(comparison).Append(" ($t, $r)")
                .Append(" ORDER BY d.timestamp ").Append(order).Append(", d.rowid ").Append(order).Append(" LIMIT $limit;");
            command.CommandText = sql.ToString();
            command.Parameters.Add("$c", SqliteType.Text);
            command.Parameters.Add("$t", SqliteType.Integer);
            command.Parameters.Add("$r", SqliteType.Integer);
            command.Parameters.AddWithValue("$limit", limit);
            return command;
        }

        public void Read(SqliteCommand command, Anchor anchor, long position, int direction, List<PositionedRow> rows, RowCodec codec)
        {
            command.Parameters["$c"].Value = anchor.ConversationId;
            command.Parameters["$t"].Value = anchor.Timestamp;
            command.Parameters["$r"].Value = anchor.RowId;
            using var reader = command.ExecuteReader();
            var step = 0L;
            while (reader.Read())
            {
                step++;
                if (reader.IsDBNull(9) || reader.GetInt64(9) == 0 || TryRow(reader, codec) is not { } row)
                {
                    continue; // filtered out or damaged: its place stays empty
                }

                rows.Add(new PositionedRow(position + (direction * step), row));
            }
        }

        public void Dispose()
        {
            Before.Dispose();
            After.Dispose();
        }

        /// <summary>The row, or null when it is damaged (a NULL where a value must be, a value of the wrong type, a sealed value that does not open).</summary>
        private static DocumentRow? TryRow(SqliteDataReader reader, RowCodec codec)
        {
            if (reader.IsDBNull(1) || reader.IsDBNull(5) || reader.IsDBNull(6) || reader.GetFieldType(8) != typeof(long))
            {
                return null;
            }

            try
            {
                return SqliteRowMapper.ReadRow(reader, codec);
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or InvalidCastException)
            {
                return null;
            }
        }
    }
}
