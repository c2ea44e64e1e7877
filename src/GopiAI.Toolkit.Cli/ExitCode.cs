namespace GopiAI.Toolkit.Cli;

/// <summary>Process exit codes of <c>gopiai</c>. Every failure prints one line to standard error.</summary>
public enum ExitCode
{
    /// <summary>The command succeeded.</summary>
    Success = 0,

    /// <summary>An unexpected failure (a bug or an environment problem the tool does not recognise).</summary>
    Failure = 1,

    /// <summary>Bad command line: unknown command or option, missing or malformed value, blank text, non-positive limit.</summary>
    Usage = 2,

    /// <summary>The id or conversation to delete is not in the memory.</summary>
    NotFound = 3,

    /// <summary>An input file (text, JSONL, backup) or the memory file of a read-only command does not exist, or is a folder.</summary>
    MissingFile = 4,

    /// <summary>An input file is malformed (a JSONL line that is not a memory document, or text that is not valid UTF-8).</summary>
    BadInput = 5,

    /// <summary>The file is not a memory file (or is empty), is damaged, or was written by a newer version or another model; also a backup that fails verification.</summary>
    NotAMemoryFile = 6,

    /// <summary>The memory file or its folder cannot be written (a change was asked of a read-only memory).</summary>
    ReadOnly = 7,

    /// <summary>Another process held the memory file's write lock longer than the busy timeout.</summary>
    Locked = 8,

    /// <summary>The embedding model files are missing.</summary>
    ModelMissing = 9,

    /// <summary>The memory is full (<c>MaxDocuments</c> reached).</summary>
    Full = 10,

    /// <summary>The disk holding the memory file (or the backup) is full; the write was rolled back and nothing of it was stored.</summary>
    DiskFull = 11,

    /// <summary>
    /// The memory is encrypted and <c>--key-env</c> is missing or names another key, a key was given for an unencrypted
    /// memory, or the variable is unset or does not hold Base64 of 32 bytes. Nothing was read or written.
    /// </summary>
    EncryptionKey = 12,

    /// <summary>The PostgreSQL server of a memory cannot be reached or reported an error.</summary>
    Unavailable = 13,

    /// <summary>The command was cancelled (Ctrl+C).</summary>
    Canceled = 130,
}
