using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>One-statement helpers for SQL without parameters (pragmas, DDL).</summary>
internal static class SqliteCommands
{
    public static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>A row of the <c>counters</c> table (<see cref="Schema.Counter"/>).</summary>
    /// <exception cref="DamagedValueException">The counter is missing or not an integer: only damage does that.</exception>
    public static long ReadCounter(SqliteConnection connection, string name) =>
        Scalar(connection, Schema.Counter.Read(name)) is long value
            ? value
            : throw new DamagedValueException($"the document counter '{name}' is missing or not a number");
}

/// <summary>
/// A stored value that the schema rules out (a missing counter, a NULL in a NOT NULL column): damage SQLite did not
/// report. The store translates it into a <see cref="MemoryStoreException"/> and marks the file damaged.
/// </summary>
internal sealed class DamagedValueException(string message) : Exception(message);
