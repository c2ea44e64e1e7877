namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>Why a memory file could not be used.</summary>
public enum MemoryStoreError
{
    /// <summary>The file is not a SQLite database, or not one written by this library, or it is damaged.</summary>
    NotAMemoryFile,

    /// <summary>The file or its folder cannot be written (read-only location, permissions).</summary>
    ReadOnly,

    /// <summary>Another connection or process held the write lock longer than <see cref="MemoryConfig.BusyTimeout"/>.</summary>
    Locked,

    /// <summary>The file was written by a newer version of the library or with another embedding model.</summary>
    Incompatible,

    /// <summary>The disk (or file system) holding the file is full; the write was rolled back and nothing of it was stored.</summary>
    DiskFull,

    /// <summary>
    /// The file is encrypted and <see cref="MemoryConfig.EncryptionKey"/> is missing or is not the key it was written
    /// with, or a key was given for a file stored unencrypted. Nothing was read or written.
    /// </summary>
    EncryptionKey,

    /// <summary>The PostgreSQL server cannot be reached, dropped the connection or reported an error (<see cref="MemoryProvider.Postgres"/> only).</summary>
    Unavailable,
}

/// <summary>A memory file cannot be opened or written. The message names the file and says what to do; the file is left as it was.</summary>
public sealed class MemoryStoreException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The memory file concerned.</param>
    /// <param name="error">The kind of failure.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The underlying SQLite or I/O error, if any.</param>
    public MemoryStoreException(string filePath, MemoryStoreError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
        Error = error;
    }

    /// <summary>Full path of the memory file.</summary>
    public string FilePath { get; }

    /// <summary>The kind of failure.</summary>
    public MemoryStoreError Error { get; }
}
