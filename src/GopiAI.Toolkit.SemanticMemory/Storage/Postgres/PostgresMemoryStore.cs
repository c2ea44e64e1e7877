using System.Data;
using Npgsql;
using Pgvector.Npgsql;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>
/// The PostgreSQL + pgvector provider: one database schema is the memory, shared by every process that opens it.
/// Documents, their <c>vector(n)</c> (HNSW, cosine) and generated <c>tsvector</c> (GIN) live in one row, so a batch
/// is one transaction; both search legs and the filters run in SQL. Every write transaction first bumps the
/// <c>state</c> row's change counter: its row lock serialises writers of all instances (so de-duplication by content
/// hash sees every committed row and nothing is stored twice), and each search reads the counter (one primary-key
/// read) to drop cached results as soon as any instance has committed.
/// </summary>
/// <remarks>Parts: schema and migration (<see cref="PostgresSchema"/>), filters (<see cref="PostgresFilterSql"/>),
/// errors (<see cref="PostgresErrors"/>); this file wires them, the partial files hold the operations.</remarks>
internal sealed partial class PostgresMemoryStore : IMemoryStore
{
    private readonly MemoryConfig _config;
    private readonly PostgresLocation _location;
    private readonly NpgsqlDataSource _dataSource;
    private readonly IStoreObserver _observer;
    private readonly string _documents;
    private readonly string _state;
    private readonly bool _readOnly;
    private readonly Retention _retention;
    private long _seenVersion;
    private long _epoch;
    private int _disposed;
    private RowCount _rowCount = new(-1, -1);

    private PostgresMemoryStore(MemoryConfig config, PostgresLocation location, int dimensions, NpgsqlDataSource dataSource, bool readOnly, long version, IStoreObserver observer)
    {
        _config = config;
        _location = location;
        Dimensions = dimensions;
        _dataSource = dataSource;
        _readOnly = readOnly;
        _seenVersion = version;
        _observer = observer;
        _documents = location.QuotedSchema + ".documents";
        _state = location.QuotedSchema + ".state";
        _retention = new Retention(config, location.Display);
    }

    /// <summary>Server, database and schema (never the password).</summary>
    public string Location => _location.Display;

    public int Dimensions { get; }

    /// <summary>Whether the server or role only allows reading (a hot standby, <c>default_transaction_read_only</c>).</summary>
    public bool IsReadOnly => _readOnly;

    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>
    /// Connects, creates the pgvector extension when missing, creates or migrates the schema under an advisory lock,
    /// and checks model and dimension.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string or schema name is invalid.</exception>
    /// <exception cref="MemoryStoreException">The server cannot be reached, or the memory is incompatible or cannot be created.</exception>
    public static async Task<PostgresMemoryStore> OpenAsync(MemoryConfig config, int dimensions, IStoreObserver observer, CancellationToken cancellationToken)
    {
        var location = PostgresLocation.From(config);
        NpgsqlDataSource? dataSource = null;
        try
        {
            bool readOnly;
            await using (var setup = NpgsqlDataSource.Create(location.ConnectionString))
            await using (var connection = await setup.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            {
                await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
                await using (var probe = new NpgsqlCommand("SELECT current_setting('transaction_read_only') = 'on' OR pg_is_in_recovery()", connection))
                {
                    readOnly = (bool)(await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                if (readOnly)
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await PostgresSchema.CheckReadableAsync(connection, location, config, dimensions, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await PostgresSchema.EnsureAsync(connection, location, config, dimensions, cancellationToken).ConfigureAwait(false);
                }
            }

            // Built after the extension exists, so the vector type is known to every pooled connection.
            var builder = new NpgsqlDataSourceBuilder(location.ConnectionString);
            builder.UseVector();
            dataSource = builder.Build();
            long version;
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            await using (var read = new NpgsqlCommand($"SELECT version FROM {location.QuotedSchema}.state", connection))
            {
                version = (long)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return new PostgresMemoryStore(config, location, dimensions, dataSource, readOnly, version, observer);
        }
        catch (Exception ex) when (PostgresErrors.IsTranslatable(ex))
        {
            if (dataSource is not null)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }

            throw PostgresErrors.Translate(ex, location, "open");
        }
        catch
        {
            if (dataSource is not null)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public void ThrowIfNotWritable(string action)
    {
        if (_readOnly)
        {
            throw new MemoryStoreException(Location, MemoryStoreError.ReadOnly,
                $"Cannot {action} {Location}: the server or role only allows reading (a standby, or a read-only role), so the memory can be searched but not changed.");
        }
    }

    /// <summary>Reads the change counter; when another instance committed since, the observer drops what it cached.</summary>
    public async ValueTask RefreshAsync(CancellationToken cancellationToken)
    {
        var version = await ReadAsync("read", async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT version FROM {_state}", connection);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken).ConfigureAwait(false);
        if (Advance(version))
        {
            _observer.OnStoreChanged(StoreChange.Written);
        }
    }

    /// <summary>Records a counter value seen; true when it is newer than any seen before.</summary>
    private bool Advance(long version)
    {
        var seen = Interlocked.Read(ref _seenVersion);
        while (version > seen)
        {
            var previous = Interlocked.CompareExchange(ref _seenVersion, version, seen);
            if (previous == seen)
            {
                return true;
            }

            seen = previous;
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await FlushRetrievalsOnCloseAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _retention.Dispose();
    }

    /// <summary>
    /// Runs a read on a pooled connection inside one transaction, translating database errors. The explicit transaction
    /// keeps a read's statements one unit on the server: its statements see one another's state, and a server that
    /// multiplexes clients onto one session between protocol messages (PGlite, which the tests use) serves them
    /// together instead of interleaving another client's unnamed statements with them.
    /// </summary>
    private async Task<T> ReadAsync<T>(string action, Func<NpgsqlConnection, Task<T>> operation, CancellationToken cancellationToken, IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
            var result = await operation(connection).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception ex) when (PostgresErrors.IsTranslatable(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgresErrors.Translate(ex, _location, action);
        }
    }

    /// <summary>
    /// Runs a write in one transaction that first bumps the change counter (taking its row lock, which serialises the
    /// writers of every instance), then tells the observer once it committed.
    /// </summary>
    private async Task<T> WriteAsync<T>(string action, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ThrowIfNotWritable(action);
        T result;
        long version;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var bump = new NpgsqlCommand($"UPDATE {_state} SET version = version + 1 RETURNING version", connection, transaction))
            {
                version = (long)(await bump.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            result = await operation(connection, transaction).ConfigureAwait(false);
            // Not cancellable from here: a commit that reached the server must be reported, not abandoned half-known.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsTranslatable(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgresErrors.Translate(ex, _location, action);
        }

        Advance(version);
        _observer.OnStoreChanged(StoreChange.Written);
        return result;
    }

    private sealed record RowCount(long Version, long Rows);
}
