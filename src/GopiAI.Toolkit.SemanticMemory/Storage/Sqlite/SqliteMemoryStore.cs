using System.Globalization;
using Microsoft.Data.Sqlite;
using static GopiAI.Toolkit.SemanticMemory.Storage.Sqlite.SqliteCommands;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// The SQLite provider: one file is the single source of truth. Documents, vectors and the FTS5 index change together
/// in one transaction per batch; every write runs on the <see cref="SqliteWriter"/> thread; reads use pooled
/// <see cref="SqliteReaders"/> (WAL lets them run while a write is in progress); the dense leg is the in-process
/// <see cref="SqliteDenseIndex"/>, kept in step with every commit on the writer thread.
/// </summary>
/// <remarks>
/// Parts: opening and migration (<see cref="SqliteOpener"/>), row-level write SQL (<see cref="SqliteDocumentWriter"/>),
/// de-duplication (<see cref="DocumentIdentity"/>), filter SQL (<see cref="SqliteFilterSql"/>), keyword pruning
/// (<see cref="KeywordTerms"/>), row mapping (<see cref="SqliteRowMapper"/>), damage and error translation
/// (<see cref="SqliteFaults"/>, <see cref="StoreErrors"/>); this file wires them, the partial files hold the operations.
/// </remarks>
internal sealed partial class SqliteMemoryStore : IMemoryStore
{
    /// <summary>Commits of other processes are looked for at most this often (a cheap PRAGMA on the writer thread).</summary>
    private const long ExternalCheckIntervalMs = 250;

    private readonly MemoryConfig _config;
    private readonly StoreAccess _access;
    private readonly IStoreObserver _observer;
    private readonly SqliteFaults _faults;
    private readonly SqliteWriter _writer;
    private readonly SqliteReaders _readers;
    private readonly SqliteDenseIndex _dense;
    private readonly SqliteEncryption _encryption;
    private readonly Retention _retention;
    private int _disposed;
    private long _epoch;
    private long _dataVersion;
    private long _lastExternalCheck;

    private SqliteMemoryStore(MemoryConfig config, string filePath, int dimensions, SqliteConnection writer, StoreAccess access, SqliteEncryption encryption, IStoreObserver observer)
    {
        _encryption = encryption;
        _config = config;
        Location = filePath;
        Dimensions = dimensions;
        _access = access;
        _observer = observer;
        _faults = new SqliteFaults(filePath);
        _writer = new SqliteWriter(writer, _faults);
        _readers = new SqliteReaders(StoreConnections.For(filePath, access, config.BusyTimeout), config.BusyTimeout, _faults);
        _dense = new SqliteDenseIndex(_writer, config, dimensions, encryption);
        _retention = new Retention(config, filePath);
    }

    /// <summary>Full path of the SQLite file.</summary>
    public string Location { get; }

    public int Dimensions { get; }

    /// <summary>Whether the file (or its folder) cannot be written: search, context, stats and backup work, changes throw.</summary>
    public bool IsReadOnly => _access != StoreAccess.ReadWrite;

    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>Whether content, metadata, sources and vectors are sealed with <see cref="MemoryConfig.EncryptionKey"/>.</summary>
    public bool IsEncrypted => _encryption.Codec.IsEncrypted;

    /// <summary>Opens (or creates) the file at <see cref="MemoryConfig.IndexPath"/>; <paramref name="observer"/> is told about every commit.</summary>
    /// <exception cref="MemoryStoreException">The file is not a memory file, is damaged, incompatible, locked or read-only; it is left untouched.</exception>
    public static async Task<SqliteMemoryStore> OpenAsync(MemoryConfig config, int dimensions, IStoreObserver observer, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(config.IndexPath);
        var (writer, access, encryption) = await SqliteOpener.OpenAsync(path, config, dimensions, cancellationToken).ConfigureAwait(false);
        var store = new SqliteMemoryStore(config, path, dimensions, writer, access, encryption, observer);
        store._dataVersion = Convert.ToInt64(Scalar(writer, "PRAGMA data_version;"), CultureInfo.InvariantCulture);
        return store;
    }

    /// <summary>Throws when the memory was opened read-only.</summary>
    public void ThrowIfReadOnly(string action)
    {
        if (IsReadOnly)
        {
            throw new MemoryStoreException(Location, MemoryStoreError.ReadOnly,
                $"Cannot {action} '{Location}': the memory is read-only (the file or its folder cannot be written), so it can be searched but not changed. Make it writable to change it.");
        }
    }

    public void ThrowIfNotWritable(string action)
    {
        ThrowIfReadOnly(action);
        if (_faults.IsDamaged)
        {
            throw new MemoryStoreException(Location, MemoryStoreError.NotAMemoryFile,
                $"Cannot {action} '{Location}': SQLite reported the file as damaged earlier, so nothing more is written to it. Restore a backup (RestoreAsync) or choose another MemoryConfig.IndexPath.");
        }
    }

    /// <summary>
    /// Detects commits made by other processes (PRAGMA data_version on the writer connection changes only for those),
    /// at most every 250 ms, and then resets the in-memory vectors so that they are reloaded instead of drifting from the file.
    /// </summary>
    public async ValueTask RefreshAsync(CancellationToken cancellationToken)
    {
        var tick = Environment.TickCount64;
        if (tick - Interlocked.Read(ref _lastExternalCheck) <= ExternalCheckIntervalMs)
        {
            return;
        }

        Interlocked.Exchange(ref _lastExternalCheck, tick);
        await _writer.RunAsync("read", connection =>
        {
            var version = Convert.ToInt64(Scalar(connection, "PRAGMA data_version;"), CultureInfo.InvariantCulture);
            if (Interlocked.Exchange(ref _dataVersion, version) == version)
            {
                return false;
            }

            Replaced();
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<MemoryStats> GetStatsAsync(CancellationToken cancellationToken) =>
        _readers.RunAsync(connection =>
        {
            var stats = SqliteRowMapper.ReadStats(connection, _config, Dimensions);
            var audit = MemoryAudit.Run(connection, Dimensions, _encryption.Codec, cancellationToken);
            return stats with
            {
                FileSizeBytes = FileSize(Location) + FileSize(Location + "-wal"),
                HnswActive = _dense.HnswActive,
                InvalidRows = audit.InvalidRows,
                InvalidRowDetails = audit.Problems,
            };
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // New reads are refused first; queued writes then finish (and update the vectors) before the vectors are released.
        _readers.Dispose();
        await FlushRetrievalsOnCloseAsync().ConfigureAwait(false);
        await _writer.StopAsync().ConfigureAwait(false);
        _dense.Dispose();
        if (!IsReadOnly)
        {
            // Deleted means gone: no old page versions stay in the -wal once the memory is closed.
            _writer.Checkpoint();
        }

        _writer.Dispose();
        _encryption.Dispose();
        _retention.Dispose();
    }

    /// <summary>After a commit, on the writer thread: the row count cache and the observer learn of it.</summary>
    private void Written()
    {
        Interlocked.Increment(ref _writeVersion);
        _observer.OnStoreChanged(StoreChange.Written);
    }

    /// <summary>After the whole content was replaced, on the writer thread: a new epoch, the vectors reload.</summary>
    private void Replaced()
    {
        Interlocked.Increment(ref _writeVersion);
        Interlocked.Increment(ref _epoch);
        _termCounts.Clear();
        _dense.Reset();
        _observer.OnStoreChanged(StoreChange.Replaced);
    }

    /// <summary>For tests: runs <paramref name="action"/> with the write connection on the writer thread, between two writes (to trace its statements).</summary>
    internal Task RunOnWriterAsync(Action<SqliteConnection> action) =>
        _writer.RunAsync("inspect", connection =>
        {
            action(connection);
            return true;
        }, CancellationToken.None);

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
