using System.Runtime.InteropServices;

namespace GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

/// <summary>
/// Sets the process umask to 000 (every file is created as wide as its creator asks) until disposed, so that a test of
/// owner-only file modes cannot pass merely because the usual 022 or 077 umask narrowed the mode. The umask is process
/// wide: files other tests create meanwhile may be wider than usual, which no other test checks.
/// </summary>
internal sealed class PermissiveUmask : IDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1); // not a Lock: the scope may end on another thread after an await
    private readonly uint _previous;

    public PermissiveUmask()
    {
        Gate.Wait();
        _previous = umask(0);
    }

    public void Dispose()
    {
        umask(_previous);
        Gate.Release();
    }

    [DllImport("libc")]
    private static extern uint umask(uint mask);
}

/// <summary>Grep-like scans of raw file bytes, as an attacker holding the file would do.</summary>
internal static class FileScan
{
    /// <summary>The files among <paramref name="paths"/> (those that exist) whose bytes contain <paramref name="text"/> in UTF-8, ignoring ASCII case.</summary>
    public static List<string> FilesContaining(IEnumerable<string> paths, string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text.ToLowerInvariant());
        return paths.Where(File.Exists).Where(p => IndexOfIgnoreCase(File.ReadAllBytes(p), needle) >= 0).ToList();
    }

    /// <summary>The files among <paramref name="paths"/> whose bytes contain <paramref name="bytes"/> exactly.</summary>
    public static List<string> FilesContaining(IEnumerable<string> paths, byte[] bytes) =>
        paths.Where(File.Exists).Where(p => File.ReadAllBytes(p).AsSpan().IndexOf(bytes) >= 0).ToList();

    /// <summary>The memory file, its SQLite side files, and any extra files (backups).</summary>
    public static IEnumerable<string> MemoryFiles(string path, params string[] extra) =>
        new[] { path, path + "-wal", path + "-shm", path + "-journal" }.Concat(extra);

    private static int IndexOfIgnoreCase(byte[] haystack, byte[] lowerNeedle)
    {
        if (lowerNeedle.Length == 0)
        {
            return 0;
        }

        for (var i = 0; i <= haystack.Length - lowerNeedle.Length; i++)
        {
            var j = 0;
            while (j < lowerNeedle.Length && Lower(haystack[i + j]) == lowerNeedle[j])
            {
                j++;
            }

            if (j == lowerNeedle.Length)
            {
                return i;
            }
        }

        return -1;
    }

    private static byte Lower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
}
