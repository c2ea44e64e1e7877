using System.Globalization;
using System.Runtime.InteropServices;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using GopiAI.Toolkit.SemanticMemory.Search;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// The row-level SQL of writes, run inside the caller's transaction on the writer thread: inserting a document (its
/// row, chunk rows, vectors and keyword entries) and deleting a document or a conversation from all three tables.
/// Each records the vector changes that the in-process index applies after the commit.
/// </summary>
internal static class SqliteDocumentWriter
{
    /// <summary>Inserts a document: one searchable row, or a parent row plus one searchable row per chunk.</summary>
    /// <exception cref="InvalidOperationException">A chunk's vector does not have <paramref name="dimensions"/> values.</exception>
    /// <remarks>
    /// Values go through <paramref name="codec"/>: sealed with the row id in an encrypted file, as they are in a plain one.
    /// <paramref name="storedAtMs"/> (now, Unix milliseconds) is the document's retrieval time until a search returns it.
    /// </remarks>
    public static void Insert(SqliteConnection connection, PreparedDocument document, int dimensions, bool compress, RowCodec codec, List<VectorChange> changes, long storedAtMs)
    {
        var chunked = document.Chunks.Count > 1;
        var rowId = InsertRow(connection, codec, document, document.Id, chunked ? RowKind.Parent : RowKind.Document, null, null, document.Content, storedAtMs);
        if (!chunked)
        {
            InsertSearchable(connection, codec, rowId, document.Content, document.Chunks[0].Vector, dimensions, compress, changes);
            return;
        }

        for (var i = 0; i < document.Chunks.Count; i++)
        {
            var chunk = document.Chunks[i];
            var text = chunk.Text;
            var chunkRow = InsertRow(connection, codec, document, $"{document.Id}#{i}", RowKind.Chunk, document.Id, i, text, null);
            InsertSearchable(connection, codec, chunkRow, text, chunk.Vector, dimensions, compress, changes);
        }
    }

    /// <summary>Deletes a document (and its chunks) or a conversation from all three tables; returns the documents removed.</summary>
    /// <remarks>
    /// With PRAGMA secure_delete and the FTS5 secure-delete option (set when the file is opened), the deleted bytes are
    /// overwritten in the file, not just unlinked.
    /// </remarks>
    public static int Delete(SqliteConnection connection, string? id, string? conversationId, RowCodec codec, List<VectorChange> changes)
    {
        var rows = new List<(long RowId, long Kind)>();
        using (var select = connection.CreateCommand())
        {
            if (id is not null)
            {
                // A chunk id stands for its whole document: deleting part of a document would leave a torn one.
                select.CommandText = $"""
                    WITH target(root) AS (SELECT coalesce((SELECT parent_id FROM documents WHERE id = $id AND kind = {RowKindSql.Chunk}), $id))
                    SELECT rowid, kind FROM documents, target WHERE id = target.root OR parent_id = target.root;
                    """;
                select.Parameters.AddWithValue("$id", id);
            }
            else
            {
                select.CommandText = "SELECT rowid, kind FROM documents WHERE conversation_id = $c;";
                select.Parameters.AddWithValue("$c", conversationId);
            }

            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        using var deleteFts = connection.CreateCommand();
        deleteFts.CommandText = "DELETE FROM fts WHERE rowid = $r;";
        var ftsRow = deleteFts.Parameters.Add("$r", SqliteType.Integer);
        using var deleteVector = connection.CreateCommand();
        deleteVector.CommandText = "DELETE FROM vectors WHERE rowid = $r;";
        var vectorRow = deleteVector.Parameters.Add("$r", SqliteType.Integer);
        using var deleteDocument = connection.CreateCommand();
        deleteDocument.CommandText = "DELETE FROM documents WHERE rowid = $r;";
        var documentRow = deleteDocument.Parameters.Add("$r", SqliteType.Integer);
        using var deleteTags = codec.IsEncrypted ? connection.CreateCommand() : null;
        var tagRow = deleteTags?.Parameters.Add("$row", SqliteType.Integer);
        if (deleteTags is not null)
        {
            deleteTags.CommandText = MetadataTagsTable.DeleteRowSql;
        }
        foreach (var (rowId, kind) in rows)
        {
            ftsRow.Value = rowId;
            vectorRow.Value = rowId;
            documentRow.Value = rowId;
            deleteFts.ExecuteNonQuery();
            deleteVector.ExecuteNonQuery();
            deleteDocument.ExecuteNonQuery();
            if (deleteTags is not null)
            {
                tagRow!.Value = rowId;
                deleteTags.ExecuteNonQuery();
            }

            if (kind != (long)RowKind.Parent)
            {
                changes.Add(new VectorChange(rowId, null));
            }
        }

        return rows.Count(r => r.Kind != (long)RowKind.Chunk);
    }

    private static long InsertRow(SqliteConnection connection, RowCodec codec, PreparedDocument d, string id, RowKind kind, string? parentId, int? chunkIndex, string content, long? retrievedMs)
    {
        // The row id is chosen first (SQLite's own choice: one past the largest) because an encrypted row's values are
        // sealed with it as associated data, so that a sealed value moved to another row does not authenticate.
        var rowId = Convert.ToInt64(SqliteCommands.Scalar(connection, "SELECT ifnull(max(rowid), 0) + 1 FROM documents;"), CultureInfo.InvariantCulture);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO documents(rowid, id, kind, parent_id, chunk_index, conversation_id, role, content, metadata, source, timestamp, content_hash, retrieved_ms)
            VALUES ($rowid, $id, $kind, $parent, $chunk, $conversation, $role, $content, $metadata, $source, $timestamp, $hash, $retrieved);
            """;
        command.Parameters.AddWithValue("$rowid", rowId);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$kind", (int)kind);
        command.Parameters.AddWithValue("$parent", (object?)parentId ?? DBNull.Value);
        command.Parameters.AddWithValue("$chunk", (object?)chunkIndex ?? DBNull.Value);
        command.Parameters.AddWithValue("$conversation", (object?)d.ConversationId ?? DBNull.Value);
        command.Parameters.AddWithValue("$role", (object?)d.Role ?? DBNull.Value);
        command.Parameters.AddWithValue("$content", codec.Text(content, rowId, RowField.Content));
        command.Parameters.AddWithValue("$metadata", codec.Text(d.MetadataJson, rowId, RowField.Metadata));
        command.Parameters.AddWithValue("$source", codec.NullableText(d.Source, rowId, RowField.Source));
        command.Parameters.AddWithValue("$timestamp", d.TimestampMs);
        command.Parameters.AddWithValue("$retrieved", (object?)retrievedMs ?? DBNull.Value);
        command.Parameters.AddWithValue("$hash", codec.ContentHash(kind == RowKind.Chunk ? Embeddings.Hash256.Of(content).ToBytes() : d.ContentHash));
        command.ExecuteNonQuery();
        if (codec.IsEncrypted)
        {
            using var tag = connection.CreateCommand();
            tag.CommandText = MetadataTagsTable.InsertSql;
            var tagValue = tag.Parameters.Add("$tag", SqliteType.Blob);
            tag.Parameters.AddWithValue("$row", rowId);
            foreach (var value in codec.MetadataTags(d.MetadataJson))
            {
                tagValue.Value = value;
                tag.ExecuteNonQuery();
            }
        }

        return rowId;
    }

    private static void InsertSearchable(SqliteConnection connection, RowCodec codec, long rowId, string content, float[] vector, int dimensions, bool compress, List<VectorChange> changes)
    {
        if (vector.Length != dimensions)
        {
            throw new InvalidOperationException($"The embedding generator returned {vector.Length} dimensions; this memory file holds {dimensions}.");
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO vectors(rowid, format, scale, data) VALUES ($r, $f, $s, $d);";
            command.Parameters.AddWithValue("$r", rowId);
            if (compress)
            {
                var quantized = new sbyte[vector.Length];
                var scale = VectorMath.Quantize(vector, quantized);
                command.Parameters.AddWithValue("$f", (int)VectorFormat.Int8);
                command.Parameters.AddWithValue("$s", (double)scale);
                command.Parameters.AddWithValue("$d", codec.Vector(MemoryMarshal.AsBytes(quantized.AsSpan()).ToArray(), rowId));
            }
            else
            {
                command.Parameters.AddWithValue("$f", (int)VectorFormat.Float32);
                command.Parameters.AddWithValue("$s", 1.0);
                command.Parameters.AddWithValue("$d", codec.Vector(MemoryMarshal.AsBytes(vector.AsSpan()).ToArray(), rowId));
            }

            command.ExecuteNonQuery();
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO fts(rowid, content) VALUES ($r, $c);";
            command.Parameters.AddWithValue("$r", rowId);
            command.Parameters.AddWithValue("$c", codec.KeywordText(content));
            command.ExecuteNonQuery();
        }

        changes.Add(new VectorChange(rowId, vector));
    }
}
