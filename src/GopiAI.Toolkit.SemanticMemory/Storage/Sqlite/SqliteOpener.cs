using System.Globalization;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using Microsoft.Data.Sqlite;
using static GopiAI.Toolkit.SemanticMemory.Storage.Sqlite.SqliteCommands;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// Opens the writer connection of a memory file after <see cref="MemoryFileInspector"/> checked it, and creates or
/// migrates the schema. Opening takes no lock unless the schema must be created or migrated, so a memory that another
/// process is writing, or a read-only file, can still be searched.
/// </summary>
internal static class SqliteOpener
{
    /// <summary>The writer thread's connection, how the file could be opened, and its encryption (key checked).</summary>
    /// <exception cref="MemoryStoreException">
    /// The file is not a memory file, is damaged, incompatible, locked or read-only, or the encryption key is missing or
    /// wrong; it is left untouched.
    /// </exception>
    public static async Task<(SqliteConnection Writer, StoreAccess Access, SqliteEncryption Encryption)> OpenAsync(string path, MemoryConfig config, int dimensions, CancellationToken cancellationToken)
    {
        var inspection = await Task.Run(() => MemoryFileInspector.Inspect(path, config, dimensions), cancellationToken).ConfigureAwait(false);
        var access = inspection.Writable ? StoreAccess.ReadWrite : inspection.ReadAccess;
        SqliteConnection? writer = null;
        try
        {
            if (access == StoreAccess.ReadWrite)
            {
                try
                {
                    writer = OpenWriter(path, config, dimensions, inspection);
                }
                catch (SqliteException ex) when (StoreErrors.IsCantOpen(ex) && inspection.Exists && inspection.Version == Schema.CurrentVersion)
                {
                    // The file is writable but its folder is not (SQLite cannot create the -wal and -shm files there).
                    writer?.Dispose();
                    writer = null;
                    access = StoreAccess.ReadOnly;
                }
            }

            if (writer is null)
            {
                (writer, access) = OpenReadOnly(path, config, inspection, access);
            }

            // The key is checked before any row is read or written (only the schema of a new file exists by now).
            var encryption = SqliteEncryption.Open(writer, path, config.EncryptionKey, access == StoreAccess.ReadWrite);
            if (access == StoreAccess.ReadWrite)
            {
                EnableFtsSecureDelete(writer);
            }

            return (writer, access, encryption);
        }
        catch (Exception ex) when (ex is SqliteException or UnauthorizedAccessException or IOException && ex is not MemoryStoreException)
        {
            writer?.Dispose();
            throw StoreErrors.Translate(ex, path, "open");
        }
        catch
        {
            writer?.Dispose();
            throw;
        }
    }

    /// <summary>Brings the schema to <see cref="Schema.CurrentVersion"/> in one transaction (a new file gets its header and meta rows).</summary>
    public static void Migrate(SqliteConnection connection, string path, MemoryConfig config, int dimensions)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        MemoryFileInspector.CheckCompatibility(connection, path, version, config, dimensions);
        for (var v = version; v < Schema.CurrentVersion; v++)
        {
            Exec(connection, Schema.Migrations[v]);
        }

        if (version == 0)
        {
            Exec(connection, $"PRAGMA application_id = {Schema.ApplicationId};");
            using var meta = connection.CreateCommand();
            meta.CommandText = "INSERT INTO meta(key, value) VALUES ('model', $m), ('dimensions', $d), ('created', $c);";
            meta.Parameters.AddWithValue("$m", config.EmbeddingModel);
            meta.Parameters.AddWithValue("$d", dimensions.ToString(CultureInfo.InvariantCulture));
            meta.Parameters.AddWithValue("$c", config.TimeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            meta.ExecuteNonQuery();
        }

        if (version < Schema.CurrentVersion)
        {
            Exec(connection, $"PRAGMA user_version = {Schema.CurrentVersion};");
        }

        transaction.Commit();
    }

    /// <summary>The read-write connection; creates the folder and the schema when needed, and takes the write lock only then.</summary>
    private static SqliteConnection OpenWriter(string path, MemoryConfig config, int dimensions, FileInspection inspection)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Created owner-only before SQLite opens it; SQLite gives its -wal, -shm and -journal files the same mode.
        OwnerOnlyFiles.PrepareDatabase(path);
        var writer = new SqliteConnection(StoreConnections.For(path, StoreAccess.ReadWrite, config.BusyTimeout, create: true));
        try
        {
            writer.Open();
            Configure(writer, config);
            if (!string.Equals(Scalar(writer, "PRAGMA journal_mode;") as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                Exec(writer, "PRAGMA journal_mode = WAL;");
            }

            if (inspection.Version < Schema.CurrentVersion)
            {
                Migrate(writer, path, config, dimensions);
            }

            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>A read-only connection for the writer thread; falls back to an immutable one where SQLite cannot create the WAL index.</summary>
    private static (SqliteConnection Connection, StoreAccess Access) OpenReadOnly(string path, MemoryConfig config, FileInspection inspection, StoreAccess access)
    {
        if (inspection.Version == 0)
        {
            throw new MemoryStoreException(path, MemoryStoreError.ReadOnly,
                $"'{path}' is read-only (the file or its folder cannot be written) and holds no memory yet, so there is nothing to read. Make it writable or choose another MemoryConfig.IndexPath.");
        }

        if (inspection.Version < Schema.CurrentVersion)
        {
            throw new MemoryStoreException(path, MemoryStoreError.ReadOnly,
                $"'{path}' has schema version {inspection.Version} and must be upgraded to {Schema.CurrentVersion} before it can be used, which needs write access. Make the file and its folder writable once.");
        }

        var connection = new SqliteConnection(StoreConnections.For(path, access, config.BusyTimeout));
        try
        {
            connection.Open();
            Scalar(connection, "PRAGMA schema_version;");
            return (connection, access);
        }
        catch (SqliteException ex) when (StoreErrors.IsCantOpen(ex) && access == StoreAccess.ReadOnly)
        {
            connection.Dispose();
            var immutable = new SqliteConnection(StoreConnections.For(path, StoreAccess.Immutable, config.BusyTimeout));
            immutable.Open();
            return (immutable, StoreAccess.Immutable);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes FTS5 remove a deleted row's entries from its index at once (the <c>secure-delete</c> option, stored in the
    /// file) instead of leaving delete markers until a merge; with <c>PRAGMA secure_delete</c> the freed bytes are zeroed.
    /// </summary>
    private static void EnableFtsSecureDelete(SqliteConnection connection)
    {
        if (Scalar(connection, "SELECT v FROM fts_config WHERE k = 'secure-delete';") is long and not 0)
        {
            return;
        }

        Exec(connection, "INSERT INTO fts(fts, rank) VALUES ('secure-delete', 1);");
    }

    private static void Configure(SqliteConnection connection, MemoryConfig config)
    {
        // secure_delete: SQLite overwrites deleted content (rows, freed pages) with zeros, so deleted text, metadata and
        // vectors do not linger in free space of the file (or in a backup, which copies pages).
        Exec(connection, $"PRAGMA busy_timeout = {(long)config.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF; PRAGMA secure_delete = ON;");
        if (config.MaxPageCount is { } pages)
        {
            Exec(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA max_page_count = {pages};"));
        }
    }
}
