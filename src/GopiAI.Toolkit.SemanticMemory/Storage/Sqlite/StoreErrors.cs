namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>Turns SQLite and file-system errors into a <see cref="MemoryStoreException"/> that names the file and says what to do.</summary>
internal static class StoreErrors
{
    // SQLite primary result codes (https://sqlite.org/rescode.html).
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int Auth = 23;
    private const int NotADatabase = 26;

    // ENOSPC on Linux and macOS; ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.
    private const int NoSpace = 28;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>Whether a SQLite error means the file is damaged (the store then refuses further writes).</summary>
    public static bool IsCorruption(Exception exception) =>
        exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: Corrupt or NotADatabase };

    /// <summary>
    /// Whether a stored value is one the schema rules out (<see cref="DamagedValueException"/>, <see cref="Privacy.RowValueException"/>), or Microsoft.Data.Sqlite
    /// could not read a value as the column's type (a NULL where the schema says NOT NULL): a damaged row or page that
    /// SQLite itself did not report. Only the value getters count, not misuse of a connection.
    /// </summary>
    public static bool IsDamagedValue(Exception exception) =>
        exception is DamagedValueException or Privacy.RowValueException
        || (exception is InvalidOperationException or InvalidCastException or FormatException or OverflowException
            && exception.TargetSite is { DeclaringType.Namespace: "Microsoft.Data.Sqlite", Name: var method }
            && method.StartsWith("Get", StringComparison.Ordinal));

    public static bool IsCantOpen(Exception exception) =>
        exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: CantOpen or ReadOnly };

    public static bool IsDiskFull(Exception exception) => exception switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == Full,
        IOException io => io.HResult is NoSpace or WindowsDiskFull or WindowsHandleDiskFull,
        _ => false,
    };

    public static MemoryStoreException Translate(Exception ex, string path, string action)
    {
        if (IsDiskFull(ex))
        {
            return new MemoryStoreException(path, MemoryStoreError.DiskFull,
                $"Cannot {action} '{path}': the disk holding it is full. Nothing of this operation was stored; free some space and retry.", ex);
        }

        if (ex is Microsoft.Data.Sqlite.SqliteException sqlite)
        {
            var detail = sqlite.Message.TrimEnd('.');
            return sqlite.SqliteErrorCode switch
            {
                Busy or Locked => new MemoryStoreException(path, MemoryStoreError.Locked,
                    $"Cannot {action} '{path}': another process (or connection) held the write lock for longer than the busy timeout. Retry later, or close the other writer.", ex),
                ReadOnly or CantOpen or Auth => new MemoryStoreException(path, MemoryStoreError.ReadOnly,
                    $"Cannot {action} '{path}': the file or its folder is read-only or access is denied ({detail}). Choose a writable location for MemoryConfig.IndexPath.", ex),
                Corrupt or NotADatabase => new MemoryStoreException(path, MemoryStoreError.NotAMemoryFile,
                    $"Cannot {action} '{path}': the file is damaged or not a database ({detail}). Restore a backup or choose another MemoryConfig.IndexPath.", ex),
                _ => new MemoryStoreException(path, MemoryStoreError.NotAMemoryFile, $"Cannot {action} '{path}': {sqlite.Message}", ex),
            };
        }

        if (IsDamagedValue(ex))
        {
            return new MemoryStoreException(path, MemoryStoreError.NotAMemoryFile,
                $"Cannot {action} '{path}': the file is damaged ({ex.Message.TrimEnd('.')}). Restore a backup.", ex);
        }

        return new MemoryStoreException(path, MemoryStoreError.ReadOnly,
            $"Cannot {action} '{path}': the location cannot be created or written ({ex.Message.TrimEnd('.')}). Choose a writable location for MemoryConfig.IndexPath.", ex);
    }
}
