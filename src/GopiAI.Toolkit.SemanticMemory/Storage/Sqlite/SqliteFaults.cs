using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// The memory file's damage state: once SQLite reports corruption during any operation, further writes are refused
/// (<see cref="SqliteMemoryStore.ThrowIfNotWritable"/>) until a restore clears it. Also translates SQLite errors.
/// </summary>
internal sealed class SqliteFaults(string path)
{
    private int _damaged;

    public bool IsDamaged => Volatile.Read(ref _damaged) != 0;

    /// <summary>After a restore replaced the content with a verified backup.</summary>
    public void Clear() => Volatile.Write(ref _damaged, 0);

    /// <summary>
    /// Translates a SQLite error, or a value that could not be read as its column's type
    /// (<see cref="StoreErrors.IsDamagedValue"/>); either kind of damage marks the file damaged.
    /// </summary>
    public MemoryStoreException Fail(Exception ex, string action)
    {
        if (StoreErrors.IsCorruption(ex) || StoreErrors.IsDamagedValue(ex))
        {
            Volatile.Write(ref _damaged, 1);
        }

        return StoreErrors.Translate(ex, path, action);
    }
}
