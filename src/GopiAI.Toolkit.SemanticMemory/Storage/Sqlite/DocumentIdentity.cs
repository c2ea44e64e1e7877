using System.Globalization;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// When a document is already stored, and which ids it may take. An explicit id wins over content de-duplication:
/// it is stored (or replaced) under that id unless that id already holds exactly this document. A generated id is
/// de-duplicated by content (SHA-256) within the conversation. Ids of the form <c>id#n</c> belong to the chunks of the
/// long document <c>id</c>, so a document may neither take a stored chunk's id nor be chunked onto another document's id.
/// </summary>
internal static class DocumentIdentity
{
    private static readonly string FindByContentSql =
        $"SELECT id FROM documents WHERE content_hash = $h AND ifnull(conversation_id, '') = $c AND kind <> {RowKindSql.Chunk} LIMIT 1;";

    private static readonly string SameDocumentSql =
        $"SELECT count(*) FROM documents WHERE id = $id AND kind <> {RowKindSql.Chunk} AND content_hash = $h AND ifnull(conversation_id, '') = $c " +
        "AND role IS $role AND metadata = $metadata AND source IS $source AND ($timestamp IS NULL OR timestamp = $timestamp);";

    // An encrypted file: metadata and source are sealed (each value differs even when equal), so they are compared after opening.
    private static readonly string SameSealedDocumentSql =
        $"SELECT rowid, metadata, source FROM documents WHERE id = $id AND kind <> {RowKindSql.Chunk} AND content_hash = $h AND ifnull(conversation_id, '') = $c " +
        "AND role IS $role AND ($timestamp IS NULL OR timestamp = $timestamp);";

    private static readonly string ChunkOwnerSql = $"SELECT parent_id FROM documents WHERE id = $id AND kind = {RowKindSql.Chunk};";

    /// <summary>The id under which this exact document is already stored (nothing to write), or null.</summary>
    public static string? StoredAs(SqliteConnection connection, PreparedDocument document, RowCodec codec)
    {
        var hash = codec.ContentHash(document.ContentHash);
        if (document.IdGiven && codec.IsEncrypted)
        {
            return SameSealedDocument(connection, document, hash, codec) ? document.Id : null;
        }

        if (document.IdGiven)
        {
            using var same = connection.CreateCommand();
            same.CommandText = SameDocumentSql;
            same.Parameters.AddWithValue("$id", document.Id);
            same.Parameters.AddWithValue("$h", hash);
            same.Parameters.AddWithValue("$c", document.ConversationId ?? string.Empty);
            same.Parameters.AddWithValue("$role", (object?)document.Role ?? DBNull.Value);
            same.Parameters.AddWithValue("$metadata", document.MetadataJson);
            same.Parameters.AddWithValue("$source", (object?)document.Source ?? DBNull.Value);
            same.Parameters.AddWithValue("$timestamp", document.TimestampGiven ? document.TimestampMs : DBNull.Value);
            return Convert.ToInt64(same.ExecuteScalar(), CultureInfo.InvariantCulture) > 0 ? document.Id : null;
        }

        using var command = connection.CreateCommand();
        command.CommandText = FindByContentSql;
        command.Parameters.AddWithValue("$h", hash);
        command.Parameters.AddWithValue("$c", document.ConversationId ?? string.Empty);
        return command.ExecuteScalar() as string;
    }

    private static bool SameSealedDocument(SqliteConnection connection, PreparedDocument document, byte[] hash, RowCodec codec)
    {
        using var same = connection.CreateCommand();
        same.CommandText = SameSealedDocumentSql;
        same.Parameters.AddWithValue("$id", document.Id);
        same.Parameters.AddWithValue("$h", hash);
        same.Parameters.AddWithValue("$c", document.ConversationId ?? string.Empty);
        same.Parameters.AddWithValue("$role", (object?)document.Role ?? DBNull.Value);
        same.Parameters.AddWithValue("$timestamp", document.TimestampGiven ? document.TimestampMs : DBNull.Value);
        using var reader = same.ExecuteReader();
        if (!reader.Read())
        {
            return false;
        }

        var rowId = reader.GetInt64(0);
        try
        {
            return codec.ReadText(reader.GetValue(1), rowId, RowField.Metadata) == document.MetadataJson
                && codec.ReadNullableText(reader.GetValue(2), rowId, RowField.Source) == document.Source;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or RowValueException)
        {
            // A damaged stored row is not this document: it gets replaced.
            return false;
        }
    }

    /// <summary>Throws when the document's id is a stored chunk's id, or when its chunk ids are taken by other documents.</summary>
    /// <exception cref="ArgumentException">The ids collide; the message names both (parameter <c>documents</c>).</exception>
    public static void ThrowIfIdsCollide(SqliteConnection connection, PreparedDocument document)
    {
        using (var owner = connection.CreateCommand())
        {
            owner.CommandText = ChunkOwnerSql;
            owner.Parameters.AddWithValue("$id", document.Id);
            if (owner.ExecuteScalar() is string parent)
            {
                throw new ArgumentException(
                    $"Document {document.InputIndex} has the id '{document.Id}', which is the id of a chunk of the stored long document '{parent}'. " +
                    "Ids of the form '<id>#<n>' belong to the chunks of long documents; choose another id.", "documents");
            }
        }

        if (document.Chunks.Count < 2)
        {
            return;
        }

        // Every id that starts with "id#" (BINARY collation: '$' sorts right after '#'), checked against the chunk ids this document needs.
        using var taken = connection.CreateCommand();
        taken.CommandText = $"SELECT id FROM documents WHERE id > $from AND id < $to AND NOT (kind = {RowKindSql.Chunk} AND parent_id = $id);";
        taken.Parameters.AddWithValue("$from", document.Id + "#");
        taken.Parameters.AddWithValue("$to", document.Id + "$");
        taken.Parameters.AddWithValue("$id", document.Id);
        using var reader = taken.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            if (int.TryParse(id.AsSpan(document.Id.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < document.Chunks.Count
                && id.Length == document.Id.Length + 1 + index.ToString(CultureInfo.InvariantCulture).Length)
            {
                throw new ArgumentException(
                    $"Document {document.InputIndex} ('{document.Id}') is long enough to be stored as {document.Chunks.Count} chunks with the ids " +
                    $"'{document.Id}#0' to '{document.Id}#{document.Chunks.Count - 1}', but '{id}' is already the id of another document. Choose another id for one of them.",
                    "documents");
            }
        }
    }
}
