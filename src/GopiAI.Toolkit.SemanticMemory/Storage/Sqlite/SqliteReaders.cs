using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// Pooled <c>query_only</c> read connections: reads run in parallel with each other and with the writer (WAL).
/// </summary>
internal sealed class SqliteReaders(string connectionString, TimeSpan busyTimeout, SqliteFaults faults) : IDisposable
{
    private readonly ConcurrentBag<SqliteConnection> _pool = [];
    private int _disposed;

    /// <summary>Runs <paramref name="operation"/> on a pooled read connection; SQLite errors and damaged values become <see cref="MemoryStoreException"/>.</summary>
    /// <exception cref="ObjectDisposedException">The memory was closed.</exception>
    public async Task<T> RunAsync<T>(Func<SqliteConnection, T> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, typeof(SqliteMemoryStore));
        cancellationToken.ThrowIfCancellationRequested();
        if (!_pool.TryTake(out var connection))
        {
            connection = new SqliteConnection(connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                SqliteCommands.Exec(connection, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA query_only = ON;");
            }
            catch (SqliteException ex)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw faults.Fail(ex, "read");
            }
        }

        try
        {
            return operation(connection);
        }
        catch (Exception ex) when (ex is SqliteException || StoreErrors.IsDamagedValue(ex))
        {
            throw faults.Fail(ex, "read");
        }
        finally
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                connection.Dispose();
            }
            else
            {
                _pool.Add(connection);
            }
        }
    }

    /// <summary>Refuses new reads and closes the idle connections (a read in flight closes its own when it ends).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_pool.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}
