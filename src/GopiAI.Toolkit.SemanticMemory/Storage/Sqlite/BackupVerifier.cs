using System.Globalization;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// Makes a backup safe to restore: copies it next to the live file (so that what is checked is exactly what is
/// restored, even if the backup changes meanwhile) and checks the copy completely before the live file is touched:
/// SQLite integrity, application id, schema version and tables, model and dimension, the FTS5 index, every row
/// (<see cref="MemoryAudit"/>) and that documents, vectors and keyword entries agree.
/// </summary>
internal static class BackupVerifier
{
    /// <summary>Returns the path of a verified copy of <paramref name="source"/>; the caller deletes it (<see cref="MemoryFilePaths.DeleteWithCompanions"/>).</summary>
    /// <exception cref="MemoryStoreException">The backup cannot be restored (the message says why), or the copy cannot be written.</exception>
    /// <remarks>An encrypted memory accepts only a backup encrypted under its key (checked before the rows are audited with it).</remarks>
    public static string StageAndVerify(string source, string livePath, MemoryConfig config, int dimensions, SqliteEncryption encryption, CancellationToken cancellationToken)
    {
        var staged = Path.Combine(Path.GetDirectoryName(livePath) ?? ".", $".{Path.GetFileName(livePath)}.restore-{Guid.NewGuid():N}");
        try
        {
            Copy(source, staged, livePath);
            cancellationToken.ThrowIfCancellationRequested();
            Verify(staged, source, livePath, config, dimensions, encryption, cancellationToken);
            return staged;
        }
        catch
        {
            MemoryFilePaths.DeleteWithCompanions(staged);
            throw;
        }
    }

    private static void Copy(string source, string staged, string livePath)
    {
        try
        {
            using var from = OpenSource(source);
            Privacy.OwnerOnlyFiles.Create(staged);
            using var to = new SqliteConnection(StoreConnections.For(staged, StoreAccess.ReadWrite, TimeSpan.FromSeconds(5), create: true));
            to.Open();
            from.BackupDatabase(to);
            SqliteCommands.Exec(to, "PRAGMA journal_mode = DELETE;");
        }
        catch (SqliteException ex) when (StoreErrors.IsDiskFull(ex))
        {
            throw StoreErrors.Translate(ex, livePath, "stage the restore next to");
        }
        catch (SqliteException ex)
        {
            throw Refuse(source, livePath, $"it cannot be read as a SQLite database ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    /// <summary>The backup, read-only; immutable where SQLite cannot create a WAL index next to it (a read-only folder).</summary>
    private static SqliteConnection OpenSource(string source)
    {
        var connection = new SqliteConnection(StoreConnections.For(source, StoreAccess.ReadOnly, TimeSpan.FromSeconds(5)));
        try
        {
            connection.Open();
            using var probe = connection.CreateCommand();
            probe.CommandText = "PRAGMA schema_version;";
            probe.ExecuteScalar();
            return connection;
        }
        catch (SqliteException ex) when (StoreErrors.IsCantOpen(ex))
        {
            connection.Dispose();
            var immutable = new SqliteConnection(StoreConnections.For(source, StoreAccess.Immutable, TimeSpan.FromSeconds(5)));
            immutable.Open();
            return immutable;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Verify(string staged, string source, string livePath, MemoryConfig config, int dimensions, SqliteEncryption encryption, CancellationToken cancellationToken)
    {
        using var connection = new SqliteConnection(StoreConnections.For(staged, StoreAccess.ReadWrite, TimeSpan.FromSeconds(5)));
        try
        {
            connection.Open();
            var applicationId = Convert.ToInt32(Scalar(connection, "PRAGMA application_id;"), CultureInfo.InvariantCulture);
            if (applicationId != Schema.ApplicationId)
            {
                throw Refuse(source, livePath, $"it is not a GopiAI semantic memory backup (application id 0x{applicationId:X8})");
            }

            List<string> integrity;
            try
            {
                integrity = Rows(connection, "PRAGMA integrity_check(10);");
            }
            catch (SqliteException ex)
            {
                // Damage can stop the check itself (a virtual table whose pages are garbage cannot even be opened).
                integrity = [ex.Message.TrimEnd('.')];
            }

            if (integrity is not ["ok"])
            {
                throw Refuse(source, livePath, $"the SQLite integrity check failed ({string.Join("; ", integrity.Take(3))})");
            }

            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
            if (version > Schema.CurrentVersion)
            {
                throw Refuse(source, livePath, $"it has schema version {version}, newer than this library's {Schema.CurrentVersion}", MemoryStoreError.Incompatible);
            }

            if (version < 1)
            {
                throw Refuse(source, livePath, $"it has schema version {version}; a memory file has 1 to {Schema.CurrentVersion}");
            }

            CheckSchema(connection, version, source, livePath);
            CheckModel(connection, source, livePath, config, dimensions);

            try
            {
                SqliteCommands.Exec(connection, "INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1);");
            }
            catch (SqliteException ex)
            {
                throw Refuse(source, livePath, $"its keyword index is damaged ({ex.Message.TrimEnd('.')})", ex);
            }

            Privacy.RowCipher? cipher;
            try
            {
                cipher = encryption.UnlockOther(connection, source);
            }
            catch (MemoryStoreException ex)
            {
                throw Refuse(source, livePath, ex.Message.Replace("MemoryConfig.EncryptionKey", "this memory's encryption key", StringComparison.Ordinal).TrimEnd('.'), ex.Error, ex);
            }

            using var owned = cipher;
            var audit = MemoryAudit.Run(connection, dimensions, cipher is null ? Privacy.RowCodec.Plain : Privacy.RowCodec.Encrypted(cipher), cancellationToken);
            if (audit.InvalidRows > 0)
            {
                throw Refuse(source, livePath, string.Create(CultureInfo.InvariantCulture, $"{audit.InvalidRows} of its rows are invalid ({string.Join("; ", audit.Problems.Take(3))})"));
            }

            if (audit.Searchable != audit.Vectors || audit.Searchable != audit.KeywordRows)
            {
                throw Refuse(source, livePath, string.Create(CultureInfo.InvariantCulture,
                    $"its documents, vectors and keyword index disagree ({audit.Searchable} searchable rows, {audit.Vectors} vectors, {audit.KeywordRows} keyword entries)"));
            }

            if (version >= 3)
            {
                CheckCounters(connection, source, livePath);
            }
        }
        catch (SqliteException ex)
        {
            throw Refuse(source, livePath, $"it cannot be read ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    private static void CheckSchema(SqliteConnection connection, int version, string source, string livePath)
    {
        if (SchemaShape.FindDifference(connection, version) is { } damage)
        {
            throw Refuse(source, livePath, damage);
        }
    }

    /// <summary>
    /// Version 3 on: the document counts that bound the memory (<see cref="MemoryConfig.MaxDocuments"/>) must equal the rows,
    /// and the triggers that keep them must be there, or the restored memory would enforce its limit on wrong numbers.
    /// </summary>
    private static void CheckCounters(SqliteConnection connection, string source, string livePath)
    {
        var triggers = Rows(connection, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'documents' ORDER BY name;");
        if (!triggers.SequenceEqual(["documents_counted_delete", "documents_counted_insert"], StringComparer.Ordinal))
        {
            throw Refuse(source, livePath, $"the triggers that keep its document counts are missing or foreign ({string.Join(", ", triggers)})");
        }

        foreach (var (counter, rowsSql) in new[]
        {
            (Schema.Counter.Documents, $"SELECT count(*) FROM documents WHERE kind <> {RowKindSql.Chunk};"),
            (Schema.Counter.Searchable, $"SELECT count(*) FROM documents WHERE kind <> {RowKindSql.Parent};"),
        })
        {
            var kept = Scalar(connection, Schema.Counter.Read(counter));
            var rows = Convert.ToInt64(Scalar(connection, rowsSql), CultureInfo.InvariantCulture);
            if (kept is not long value || value != rows)
            {
                throw Refuse(source, livePath, string.Create(CultureInfo.InvariantCulture, $"its counters disagree with its rows ('{counter}' is {kept ?? "missing"}, the rows are {rows})"));
            }
        }
    }

    private static void CheckModel(SqliteConnection connection, string source, string livePath, MemoryConfig config, int dimensions)
    {
        var model = Scalar(connection, "SELECT value FROM meta WHERE key = 'model';") as string;
        var dims = Scalar(connection, "SELECT value FROM meta WHERE key = 'dimensions';") as string;
        if (model is null || dims is null)
        {
            throw Refuse(source, livePath, "it records no embedding model or dimension");
        }

        if (!string.Equals(model, config.EmbeddingModel, StringComparison.Ordinal))
        {
            throw Refuse(source, livePath, $"it holds vectors of the model '{model}', but this memory uses '{config.EmbeddingModel}'", MemoryStoreError.Incompatible);
        }

        if (dims != dimensions.ToString(CultureInfo.InvariantCulture))
        {
            throw Refuse(source, livePath, $"it holds {dims}-dimensional vectors, but this memory holds {dimensions}", MemoryStoreError.Incompatible);
        }
    }

    private static MemoryStoreException Refuse(string source, string livePath, string reason, Exception inner) =>
        Refuse(source, livePath, reason, MemoryStoreError.NotAMemoryFile, inner);

    private static MemoryStoreException Refuse(string source, string livePath, string reason, MemoryStoreError error = MemoryStoreError.NotAMemoryFile, Exception? inner = null) =>
        new(source, error, $"'{source}' cannot be restored: {reason}. The memory '{livePath}' was not changed.", inner);

    private static List<string> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? string.Empty);
        }

        return rows;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
