using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// The writer thread: the one connection that writes (read-only for a read-only memory) and the <see cref="WriteQueue{TState}"/>
/// that runs every write on it, one at a time. Work that must see exactly the committed state (loading the vectors,
/// snapshotting them for an index build) also runs here, between two writes.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly WriteQueue<SqliteConnection> _queue;
    private readonly SqliteFaults _faults;

    public SqliteWriter(SqliteConnection connection, SqliteFaults faults)
    {
        _connection = connection;
        _faults = faults;
        _queue = new WriteQueue<SqliteConnection>(connection);
    }

    /// <summary>Runs <paramref name="operation"/> on the writer thread; SQLite errors and damaged values become <see cref="MemoryStoreException"/>.</summary>
    /// <exception cref="ObjectDisposedException">The writer was stopped.</exception>
    public async Task<T> RunAsync<T>(string action, Func<SqliteConnection, T> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await _queue.EnqueueAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SqliteException || StoreErrors.IsDamagedValue(ex))
        {
            throw _faults.Fail(ex, action);
        }
    }

    /// <summary>Runs <paramref name="operation"/> on the writer thread without the connection (for in-process state that follows the commits).</summary>
    public Task<T> RunAsync<T>(Func<T> operation, CancellationToken cancellationToken) =>
        RunAsync("update", _ => operation(), cancellationToken);

    /// <summary>Lets the queued writes finish and stops the thread; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public ValueTask StopAsync() => _queue.DisposeAsync();

    /// <summary>
    /// Copies the WAL into the file and truncates it to zero bytes (after <see cref="StopAsync"/>), so that old page
    /// versions, deleted content among them, do not stay in the -wal. Best effort: a reader of another process may hold it.
    /// </summary>
    public void Checkpoint()
    {
        try
        {
            SqliteCommands.Exec(_connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        catch (SqliteException)
        {
            // Closing must not fail over it; SQLite checkpoints again when the last connection closes.
        }
    }

    /// <summary>Closes the connection (after <see cref="StopAsync"/>).</summary>
    public void Dispose() => _connection.Dispose();
}
