namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// The files SQLite keeps next to a database (<c>-wal</c>, <c>-shm</c>, <c>-journal</c>) and the checks that keep a
/// backup or restore away from them: SQLite rewrites or deletes those files, so a backup written there vanishes.
/// </summary>
internal static class MemoryFilePaths
{
    private static readonly (string Suffix, string Role)[] Companions =
    [
        ("-wal", "write-ahead log (-wal)"),
        ("-shm", "shared-memory index (-shm)"),
        ("-journal", "rollback journal (-journal)"),
    ];

    private static StringComparison Comparison =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The full path with a symbolic link of the file itself (or of its folder) followed to its target.</summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            if (File.ResolveLinkTarget(full, returnFinalTarget: true) is { } target)
            {
                return target.FullName;
            }

            var directory = Path.GetDirectoryName(full);
            if (directory is not null && Directory.ResolveLinkTarget(directory, returnFinalTarget: true) is { } folder)
            {
                return Path.Combine(folder.FullName, Path.GetFileName(full));
            }
        }
        catch (IOException)
        {
            // A dangling or looping link: compare the path as written.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return full;
    }

    /// <summary>What <paramref name="path"/> is to the memory file at <paramref name="databasePath"/>; null when it is another file.</summary>
    public static string? RoleOf(string path, string databasePath)
    {
        var candidate = Resolve(path);
        var database = Resolve(databasePath);
        if (string.Equals(candidate, database, Comparison))
        {
            return "the memory file itself";
        }

        foreach (var (suffix, role) in Companions)
        {
            if (string.Equals(candidate, database + suffix, Comparison))
            {
                return $"the {role} of the memory file '{databasePath}'";
            }
        }

        return null;
    }

    /// <summary>Throws when <paramref name="path"/> is a folder, the memory file or one of its companions.</summary>
    /// <exception cref="ArgumentException">The path cannot be used for <paramref name="action"/>; the message says why.</exception>
    public static void ThrowIfUnusable(string path, string databasePath, string action, string paramName)
    {
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"'{path}' is a folder; {action} needs a file path.", paramName);
        }

        if (RoleOf(path, databasePath) is { } role)
        {
            var why = role.StartsWith("the memory file itself", StringComparison.Ordinal)
                ? string.Empty
                : " (SQLite rewrites that file while the memory is used and deletes it when the memory closes)";
            throw new ArgumentException($"'{path}' is {role}{why}, so it cannot be used to {action}. Choose another path.", paramName);
        }
    }

    /// <summary>Deletes a database file and its companions, ignoring files that are gone or cannot be deleted.</summary>
    public static void DeleteWithCompanions(string path)
    {
        TryDelete(path);
        foreach (var (suffix, _) in Companions)
        {
            TryDelete(path + suffix);
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
