using System.Net.Sockets;
using Npgsql;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>Translates Npgsql and PostgreSQL errors into <see cref="MemoryStoreException"/>s that name the memory and say what to do.</summary>
internal static class PostgresErrors
{
    /// <summary>Whether <paramref name="ex"/> is a database error this class translates (others pass through unchanged).</summary>
    public static bool IsTranslatable(Exception ex) => ex is NpgsqlException or SocketException && ex is not MemoryStoreException;

    public static MemoryStoreException Translate(Exception ex, PostgresLocation location, string action)
    {
        if (ex is PostgresException pg)
        {
            var (error, advice) = pg.SqlState switch
            {
                PostgresErrorCodes.DiskFull or PostgresErrorCodes.OutOfMemory or PostgresErrorCodes.ProgramLimitExceeded =>
                    (MemoryStoreError.DiskFull, "The server is out of space; the transaction was rolled back and nothing of it was stored."),
                PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.InsufficientPrivilege =>
                    (MemoryStoreError.ReadOnly, "The server or role does not allow this change (a standby, or a role without write privileges)."),
                PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.QueryCanceled =>
                    (MemoryStoreError.Locked, "Another session held the lock too long, or the statement timed out; retry."),
                PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.UndefinedObject =>
                    (MemoryStoreError.NotAMemoryFile, "The schema does not look like a GopiAI memory (was it changed or dropped by hand?)."),
                _ => (MemoryStoreError.Unavailable, "The server reported an error."),
            };
            return new MemoryStoreException(location.Display, error, $"Cannot {action} {location.Display}: {pg.MessageText} ({pg.SqlState}). {advice}", ex);
        }

        return new MemoryStoreException(location.Display, MemoryStoreError.Unavailable,
            $"Cannot {action} {location.Display}: the server cannot be reached or dropped the connection ({ex.Message.TrimEnd('.')}). Check MemoryConfig.ConnectionString and that the server is running.", ex);
    }
}
