using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>How the store's connections open the file.</summary>
internal enum StoreAccess
{
    /// <summary>Read and write (WAL, the normal case).</summary>
    ReadWrite,

    /// <summary>Read only: the file or its folder cannot be written; SQLite still shares the WAL index with writers.</summary>
    ReadOnly,

    /// <summary>
    /// Read only, without locks or a WAL index (<c>immutable=1</c>): for a folder where SQLite cannot create the
    /// <c>-shm</c> file. Changes made by others while the memory is open are not seen.
    /// </summary>
    Immutable,
}

/// <summary>What <see cref="MemoryFileInspector.Inspect"/> learned about an existing (or missing) file.</summary>
/// <param name="Exists">A file is there (possibly empty).</param>
/// <param name="Writable">The file can be opened for writing (false for a read-only file or file system).</param>
/// <param name="Version">Its schema version (0 for a missing, empty or blank file).</param>
/// <param name="ReadAccess">How a read-only connection could open it.</param>
internal sealed record FileInspection(bool Exists, bool Writable, int Version, StoreAccess ReadAccess);

/// <summary>
/// Checks a file before anything writes to it, so that a foreign, damaged or truncated file is never modified:
/// the SQLite header (magic, page size, the page count it records against the file length), then, through a
/// read-only connection, the application id, the schema version, the embedding model and the shape of the schema
/// (<see cref="SchemaShape"/>).
/// </summary>
internal static class MemoryFileInspector
{
    private const int HeaderLength = 100;
    private static readonly byte[] Magic = "SQLite format 3\0"u8.ToArray();

    public static FileInspection Inspect(string path, MemoryConfig config, int dimensions)
    {
        if (Directory.Exists(path))
        {
            throw new MemoryStoreException(path, MemoryStoreError.NotAMemoryFile, $"'{path}' is a folder, not a memory file. Set MemoryConfig.IndexPath to a file path.");
        }

        if (!File.Exists(path))
        {
            return new FileInspection(Exists: false, Writable: true, Version: 0, StoreAccess.ReadWrite);
        }

        var header = new byte[HeaderLength];
        long length;
        int read;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            length = stream.Length;
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MemoryStoreException(path, MemoryStoreError.ReadOnly, $"Cannot read the memory file '{path}': {ex.Message}", ex);
        }

        var writable = CanWrite(path);
        if (length == 0)
        {
            return new FileInspection(Exists: true, writable, Version: 0, writable ? StoreAccess.ReadWrite : StoreAccess.ReadOnly);
        }

        if (read < HeaderLength || !header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new MemoryStoreException(path, MemoryStoreError.NotAMemoryFile,
                $"'{path}' is not a SQLite database, so it cannot be a GopiAI semantic memory file. The file was not modified; point MemoryConfig.IndexPath to another path.");
        }

        CheckHeader(path, header, length);
        var access = StoreAccess.ReadOnly;
        try
        {
            return Read(path, config, dimensions, writable, access);
        }
        catch (SqliteException ex) when (StoreErrors.IsCantOpen(ex))
        {
            // A read-only folder: SQLite cannot create the WAL index (-shm), so read the file as immutable.
            access = StoreAccess.Immutable;
        }
        catch (SqliteException ex)
        {
            throw Unreadable(path, ex);
        }

        try
        {
            return Read(path, config, dimensions, writable: false, access);
        }
        catch (SqliteException ex)
        {
            throw Unreadable(path, ex);
        }
    }

    /// <summary>Opens the file for writing without changing it: false for a read-only file, folder permission or file system.</summary>
    private static bool CanWrite(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// The page size must be a power of two from 512 to 65,536, and a file without a pending WAL must be at least as long
    /// as the page count its header records (valid when the change counter equals "version-valid-for"): a shorter file was
    /// truncated, which SQLite itself only notices when it reads a missing page.
    /// </summary>
    private static void CheckHeader(string path, byte[] header, long length)
    {
        var rawPageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16));
        var pageSize = rawPageSize == 1 ? 65_536 : rawPageSize;
        if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
        {
            throw new MemoryStoreException(path, MemoryStoreError.NotAMemoryFile,
                $"'{path}' is damaged: its header records a page size of {rawPageSize} bytes. The file was not modified; restore a backup.");
        }

        var changeCounter = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24));
        var pages = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28));
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(92));
        var wal = new FileInfo(path + "-wal");
        if (changeCounter == validFor && pages > 0 && (long)pages * pageSize > length && !(wal.Exists && wal.Length > 0))
        {
            throw new MemoryStoreException(path, MemoryStoreError.NotAMemoryFile,
                string.Create(CultureInfo.InvariantCulture,
                    $"'{path}' is truncated: it is {length} bytes long, but its header records {pages} pages of {pageSize} bytes ({(long)pages * pageSize} bytes). The file was not modified; restore a backup."));
        }
    }

    private static FileInspection Read(string path, MemoryConfig config, int dimensions, bool writable, StoreAccess access)
    {
        using var connection = new SqliteConnection(StoreConnections.For(path, access, config.BusyTimeout));
        connection.Open();
        var applicationId = Convert.ToInt32(SqliteCommands.Scalar(connection, "PRAGMA application_id;"), CultureInfo.InvariantCulture);
        var version = Convert.ToInt32(SqliteCommands.Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        var tables = Convert.ToInt64(SqliteCommands.Scalar(connection, "SELECT count(*) FROM sqlite_master;"), CultureInfo.InvariantCulture);
        if (applicationId != Schema.ApplicationId)
        {
            if (tables == 0 && version == 0)
            {
                return new FileInspection(Exists: true, writable, Version: 0, access);
            }

            throw new MemoryStoreException(path, MemoryStoreError.NotAMemoryFile,
                $"'{path}' is a SQLite database but not a GopiAI semantic memory file (application id 0x{applicationId:X8}). The file was not modified.");
        }

        CheckCompatibility(connection, path, version, config, dimensions);
        if (version > 0 && SchemaShape.FindDifference(connection, version) is { } damage)
        {
            throw new MemoryStoreException(path, MemoryStoreError.NotAMemoryFile,
                $"'{path}' is damaged: {damage}. The file was not modified; restore a backup.");
        }

        return new FileInspection(Exists: true, writable, version, access);
    }

    /// <summary>Refuses a file of a newer schema, another model or another dimension.</summary>
    public static void CheckCompatibility(SqliteConnection connection, string path, int version, MemoryConfig config, int dimensions)
    {
        if (version > Schema.CurrentVersion)
        {
            throw new MemoryStoreException(path, MemoryStoreError.Incompatible,
                $"'{path}' has schema version {version}, newer than this library's {Schema.CurrentVersion}. Upgrade GopiAI.Toolkit.SemanticMemory to open it.");
        }

        if (version == 0)
        {
            return;
        }

        var model = SqliteCommands.Scalar(connection, "SELECT value FROM meta WHERE key = 'model';") as string;
        var dims = SqliteCommands.Scalar(connection, "SELECT value FROM meta WHERE key = 'dimensions';") as string;
        if (model is not null && !string.Equals(model, config.EmbeddingModel, StringComparison.Ordinal))
        {
            throw new MemoryStoreException(path, MemoryStoreError.Incompatible,
                $"'{path}' holds vectors of the model '{model}', but MemoryConfig.EmbeddingModel is '{config.EmbeddingModel}'. Use the same model or another file.");
        }

        if (dims is not null && dims != dimensions.ToString(CultureInfo.InvariantCulture))
        {
            throw new MemoryStoreException(path, MemoryStoreError.Incompatible,
                $"'{path}' holds {dims}-dimensional vectors, but the embedding generator produces {dimensions}.");
        }
    }

    private static MemoryStoreException Unreadable(string path, SqliteException ex) =>
        new(path, ex.SqliteErrorCode is 5 or 6 ? MemoryStoreError.Locked : MemoryStoreError.NotAMemoryFile,
            $"'{path}' cannot be read as a GopiAI semantic memory file ({ex.Message.TrimEnd('.')}). The file was not modified.", ex);
}

/// <summary>Connection strings for each <see cref="StoreAccess"/>.</summary>
internal static class StoreConnections
{
    public static string For(string path, StoreAccess access, TimeSpan busyTimeout, bool create = false)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = access == StoreAccess.Immutable ? ImmutableUri(path) : path,
            Mode = access == StoreAccess.ReadWrite ? (create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite) : SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        return builder.ConnectionString;
    }

    /// <summary>A SQLite URI for the file with <c>immutable=1</c>: '%', '?' and '#' escaped, Windows drive paths rooted.</summary>
    private static string ImmutableUri(string path)
    {
        var escaped = path.Replace("%", "%25", StringComparison.Ordinal).Replace("?", "%3f", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal);
        if (OperatingSystem.IsWindows())
        {
            escaped = "/" + escaped.Replace('\\', '/');
        }

        return "file:" + escaped + "?immutable=1";
    }
}
