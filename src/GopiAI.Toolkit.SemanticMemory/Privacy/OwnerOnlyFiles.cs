namespace GopiAI.Toolkit.SemanticMemory.Privacy;

/// <summary>
/// Creates memory files, their SQLite side files and backups readable and writable by their owner only (0600) on Unix,
/// whatever the process umask: the file is created empty with <see cref="FileStreamOptions.UnixCreateMode"/> (and the
/// mode set again, as the umask can only take bits away) before SQLite opens it. SQLite creates its <c>-wal</c>,
/// <c>-shm</c> and <c>-journal</c> files with the mode of the database file, so they follow; the existing ones are
/// tightened here too in case an older version or another tool left them wider.
/// </summary>
internal static class OwnerOnlyFiles
{
    /// <summary>Read and write for the owner only.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly string[] SideFiles = ["-wal", "-shm", "-journal"];

    /// <summary>
    /// Creates <paramref name="path"/> empty with mode 0600 when it does not exist yet (a no-op on Windows, where the
    /// folder's ACL applies); an existing file keeps its mode. Returns whether the file was created.
    /// </summary>
    /// <exception cref="IOException">The file cannot be created (another I/O error than "already exists").</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    public static bool Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Mode }))
            {
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }

        // The umask may have narrowed the mode further, never widened it; set it exactly.
        File.SetUnixFileMode(path, Mode);
        return true;
    }

    /// <summary>
    /// Prepares a database path before SQLite opens it: creates the file 0600 when it is new, and brings side files that
    /// already exist (left by a crash) down to the database file's mode when they are wider.
    /// </summary>
    public static void PrepareDatabase(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Create(path);
        if (!File.Exists(path))
        {
            return;
        }

        var databaseMode = File.GetUnixFileMode(path);
        foreach (var suffix in SideFiles)
        {
            var side = path + suffix;
            try
            {
                if (File.Exists(side) && (File.GetUnixFileMode(side) & ~databaseMode) != 0)
                {
                    File.SetUnixFileMode(side, File.GetUnixFileMode(side) & databaseMode);
                }
            }
            catch (UnauthorizedAccessException)
            {
                // Someone else's side file (a read-only open of a shared memory): leave it.
            }
            catch (IOException)
            {
            }
        }
    }
}
