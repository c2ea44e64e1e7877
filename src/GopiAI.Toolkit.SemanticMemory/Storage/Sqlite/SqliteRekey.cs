using System.Globalization;
using GopiAI.Toolkit.Security;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// Re-encrypts a memory file under a new key (or encrypts a plain one, or decrypts one), crash-safely: the file is
/// locked exclusively, copied (<c>VACUUM INTO</c>) to a new file next to it, every row of the copy is re-sealed and its
/// keyword and metadata indexes rebuilt, the copy is compacted and flushed to disk, and only then renamed over the
/// original in one atomic step. A crash (kill -9, power loss) before the rename leaves the original untouched under the
/// old key; after it, the new file is complete under the new key.
/// </summary>
internal static class SqliteRekey
{
    private const int Page = 512;

    /// <summary>Runs the rekey; see the class summary.</summary>
    /// <exception cref="MemoryStoreException">
    /// The file is not a memory file (<see cref="MemoryStoreError.NotAMemoryFile"/>), has another schema version
    /// (<see cref="MemoryStoreError.Incompatible"/>), is open in another process (<see cref="MemoryStoreError.Locked"/>),
    /// or <paramref name="oldKey"/> is not its key (<see cref="MemoryStoreError.EncryptionKey"/>). The file is unchanged.
    /// </exception>
    public static RekeyResult Run(string path, SecretBuffer? oldKey, SecretBuffer? newKey, TimeSpan busyTimeout, CancellationToken cancellationToken)
    {
        var temp = path + ".rekey-tmp";
        using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ConnectionString);
        try
        {
            source.Open();
            Exec(source, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA locking_mode = EXCLUSIVE;"));
            CheckFormat(source, path);
            using var oldCodec = Unlock(source, path, oldKey);

            // Leaving WAL mode checkpoints and removes the -wal file, and needs every other connection closed: from here
            // on this process holds the file alone, and closing it later cannot touch a -wal of the new file.
            if (!string.Equals(Scalar(source, "PRAGMA journal_mode = DELETE;") as string, "delete", StringComparison.OrdinalIgnoreCase))
            {
                throw Locked(path);
            }

            Exec(source, "BEGIN IMMEDIATE; COMMIT;");
            cancellationToken.ThrowIfCancellationRequested();

            MemoryFilePathsTryDelete(temp);
            OwnerOnlyFiles.Create(temp);
            using (var copy = source.CreateCommand())
            {
                copy.CommandText = "VACUUM INTO $target;";
                copy.Parameters.AddWithValue("$target", temp);
                copy.ExecuteNonQuery();
            }

            int documents;
            using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ConnectionString))
            {
                target.Open();
                Exec(target, "PRAGMA journal_mode = DELETE; PRAGMA journal_mode = OFF; PRAGMA secure_delete = ON;");
                using var newCodec = CodecFor(target, newKey);
                documents = Reseal(target, oldCodec.Codec, newCodec.Codec, newCodec.Header, cancellationToken);
                Exec(target, "VACUUM; PRAGMA journal_mode = DELETE;");
            }

            using (var flush = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
            {
                flush.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, path, overwrite: true);
            return new RekeyResult(documents, newKey is not null);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
        {
            MemoryFilePathsTryDelete(temp);
            throw Locked(path, ex);
        }
        catch
        {
            MemoryFilePathsTryDelete(temp);
            throw;
        }
    }

    private static void CheckFormat(SqliteConnection connection, string path)
    {
        long applicationId, version;
        try
        {
            applicationId = Convert.ToInt64(Scalar(connection, "PRAGMA application_id;"), CultureInfo.InvariantCulture);
            version = Convert.ToInt64(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 or 11)
        {
            throw new MemoryStoreException(path, MemoryStoreError.NotAMemoryFile, $"'{path}' is not a memory file (or it is damaged); it was not changed.", ex);
        }

        if (applicationId != Schema.ApplicationId)
        {
            throw new MemoryStoreException(path, MemoryStoreError.NotAMemoryFile, $"'{path}' is not a GopiAI semantic memory; it was not changed.");
        }

        if (version != Schema.CurrentVersion)
        {
            throw new MemoryStoreException(path, MemoryStoreError.Incompatible,
                $"'{path}' has schema version {version}; this version of the library rekeys version {Schema.CurrentVersion}. Open it once with this version (which upgrades it), then rekey. It was not changed.");
        }
    }

    /// <summary>The codec that reads the file as it is: plain, or encrypted under <paramref name="key"/>.</summary>
    private static OwnedCodec Unlock(SqliteConnection connection, string path, SecretBuffer? key)
    {
        var headerJson = Scalar(connection, $"SELECT value FROM meta WHERE key = '{EncryptionHeader.MetaKey}';") as string;
        var cipher = EncryptionKeys.Unlock(path, headerJson, key, hasRows: true);
        return new OwnedCodec(cipher is null ? RowCodec.Plain : RowCodec.Encrypted(cipher), cipher, null);
    }

    private static OwnedCodec CodecFor(SqliteConnection target, SecretBuffer? key)
    {
        if (key is null)
        {
            return new OwnedCodec(RowCodec.Plain, null, null);
        }

        var (header, cipher) = EncryptionHeader.Create(key);
        return new OwnedCodec(RowCodec.Encrypted(cipher), cipher, header);
    }

    /// <summary>Re-seals every row of the copy in one transaction; returns the documents (not chunks) it holds.</summary>
    private static int Reseal(SqliteConnection connection, RowCodec from, RowCodec to, EncryptionHeader? header, CancellationToken cancellationToken)
    {
        using var transaction = connection.BeginTransaction();
        Exec(connection, MetadataTagsTable.CreateSql);
        // Secure-delete makes FTS5 drop the old entries from its segments at once (the old plaintext or old blind
        // tokens); 'optimize' below then writes the new index as one segment.
        Exec(connection, "INSERT INTO fts(fts, rank) VALUES ('secure-delete', 1); DELETE FROM metadata_tags; DELETE FROM fts;");
        using var update = Command(connection, "UPDATE documents SET content = $c, metadata = $m, source = $s, content_hash = $h WHERE rowid = $r;");
        using var insertFts = Command(connection, "INSERT INTO fts(rowid, content) VALUES ($r, $c);");
        using var insertTag = Command(connection, MetadataTagsTable.InsertSql);
        var documents = 0;
        long last = long.MinValue;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = new List<(long RowId, long Kind, object Content, object Metadata, object Source)>(Page);
            using (var select = Command(connection, "SELECT rowid, kind, content, metadata, source FROM documents WHERE rowid > $last ORDER BY rowid LIMIT $n;"))
            {
                select.Parameters.AddWithValue("$last", last);
                select.Parameters.AddWithValue("$n", Page);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetValue(2), reader.GetValue(3), reader.GetValue(4)));
                }
            }

            if (rows.Count == 0)
            {
                break;
            }

            foreach (var (rowId, kind, storedContent, storedMetadata, storedSource) in rows)
            {
                var content = from.ReadText(storedContent, rowId, RowField.Content);
                var metadata = from.ReadText(storedMetadata, rowId, RowField.Metadata);
                var source = from.ReadNullableText(storedSource, rowId, RowField.Source);
                Set(update, "$c", to.Text(content, rowId, RowField.Content));
                Set(update, "$m", to.Text(metadata, rowId, RowField.Metadata));
                Set(update, "$s", to.NullableText(source, rowId, RowField.Source));
                Set(update, "$h", to.ContentHash(RowCodec.Sha256(content)));
                Set(update, "$r", rowId);
                update.ExecuteNonQuery();
                if (kind != (long)RowKind.Parent)
                {
                    Set(insertFts, "$r", rowId);
                    Set(insertFts, "$c", to.KeywordText(content));
                    insertFts.ExecuteNonQuery();
                }

                foreach (var tag in to.MetadataTags(metadata))
                {
                    Set(insertTag, "$tag", tag);
                    Set(insertTag, "$row", rowId);
                    insertTag.ExecuteNonQuery();
                }

                if (kind != (long)RowKind.Chunk)
                {
                    documents++;
                }
            }

            last = rows[^1].RowId;
        }

        Exec(connection, "INSERT INTO fts(fts) VALUES ('optimize');");
        ResealVectors(connection, from, to, cancellationToken);
        Exec(connection, $"DELETE FROM meta WHERE key = '{EncryptionHeader.MetaKey}';");
        if (header is not null)
        {
            using var insert = Command(connection, $"INSERT INTO meta(key, value) VALUES ('{EncryptionHeader.MetaKey}', $v);");
            insert.Parameters.AddWithValue("$v", header.ToJson());
            insert.ExecuteNonQuery();
        }
        else
        {
            Exec(connection, "DROP TABLE IF EXISTS metadata_tags;");
        }

        transaction.Commit();
        return documents;
    }

    private static void ResealVectors(SqliteConnection connection, RowCodec from, RowCodec to, CancellationToken cancellationToken)
    {
        using var update = Command(connection, "UPDATE vectors SET data = $d WHERE rowid = $r;");
        long last = long.MinValue;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = new List<(long RowId, byte[] Data)>(Page);
            using (var select = Command(connection, "SELECT rowid, data FROM vectors WHERE rowid > $last ORDER BY rowid LIMIT $n;"))
            {
                select.Parameters.AddWithValue("$last", last);
                select.Parameters.AddWithValue("$n", Page);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
                }
            }

            if (rows.Count == 0)
            {
                return;
            }

            foreach (var (rowId, data) in rows)
            {
                Set(update, "$d", to.Vector(from.ReadVector(data, rowId), rowId));
                Set(update, "$r", rowId);
                update.ExecuteNonQuery();
            }

            last = rows[^1].RowId;
        }
    }

    private static MemoryStoreException Locked(string path, Exception? inner = null) =>
        new(path, MemoryStoreError.Locked,
            $"Cannot rekey '{path}': another connection or process has it open. Close the memory everywhere (rekey needs it alone), then try again. The file was not changed.",
            inner);

    private static void MemoryFilePathsTryDelete(string path)
    {
        foreach (var file in new[] { path, path + "-journal", path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Set(SqliteCommand command, string name, object value)
    {
        if (command.Parameters.Contains(name))
        {
            command.Parameters[name].Value = value;
        }
        else
        {
            command.Parameters.AddWithValue(name, value);
        }
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        return command.ExecuteScalar();
    }

    private sealed class OwnedCodec(RowCodec codec, RowCipher? cipher, EncryptionHeader? header) : IDisposable
    {
        public RowCodec Codec => codec;

        public EncryptionHeader? Header => header;

        public void Dispose() => cipher?.Dispose();
    }
}
