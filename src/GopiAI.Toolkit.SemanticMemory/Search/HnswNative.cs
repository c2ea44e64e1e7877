using System.Reflection;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// The USearch C calls the managed binding (Cloud.Unum.USearch) keeps private or leaves out, and the Linux call
/// that lowers one thread's CPU priority. Used only by <see cref="HnswIndex"/>: its parallel build and its search width.
/// </summary>
/// <remarks>
/// The binding's <c>Add</c> reserves capacity itself (<c>usearch_reserve(size + 1)</c>) whenever the index is full;
/// that call reallocates the node table and must not run while other threads add. Reserving the whole capacity and
/// one thread context per worker before the parallel adds (<c>usearch_change_threads_add</c>, then
/// <c>usearch_reserve</c>, as the USearch C documentation's concurrency example does) makes concurrent
/// <c>usearch_add</c> calls safe: each takes its own context, and capacity never has to grow. The binding does not
/// expose its native handle, so it is read from its private field; when that fails (another binding version) the
/// build falls back to one thread.
/// </remarks>
internal static class HnswNative
{
    private const string USearch = "libusearch_c";
    private const string Libc = "libc";
    private const int PrioProcess = 0;

    private static readonly FieldInfo? HandleField = typeof(USearchIndex).GetField("_index", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>
    /// Prepares <paramref name="index"/> for <paramref name="threads"/> concurrent adds up to <paramref name="capacity"/>
    /// vectors in all; false when the native handle cannot be reached (then add from one thread only).
    /// </summary>
    public static bool TryReserve(USearchIndex index, int capacity, int threads)
    {
        if (HandleField?.GetValue(index) is not nint handle || handle == 0)
        {
            return false;
        }

        try
        {
            ChangeThreadsAdd(handle, (nuint)Math.Max(1, threads), out var error);
            ThrowIfError(error);
            Reserve(handle, (nuint)capacity, out error);
            ThrowIfError(error);
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Grows the capacity ahead of single adds, so that the binding's own reserve(size + 1) is not paid per add.</summary>
    public static void TryGrow(USearchIndex index, int capacity)
    {
        if (HandleField?.GetValue(index) is nint handle && handle != 0)
        {
            Reserve(handle, (nuint)capacity, out var error);
            ThrowIfError(error);
        }
    }

    /// <summary>
    /// Sets the candidate-list width a search explores (ef_search) on a built index: the binding fixes it at
    /// construction, and the engine widens it as the graph grows. False when the native handle cannot be reached.
    /// </summary>
    public static bool TryChangeExpansionSearch(USearchIndex index, int expansion)
    {
        if (HandleField?.GetValue(index) is not nint handle || handle == 0)
        {
            return false;
        }

        ChangeExpansionSearch(handle, (nuint)Math.Max(1, expansion), out var error);
        ThrowIfError(error);
        return true;
    }

    /// <summary>
    /// Lowers the calling thread's scheduling priority (Linux nice 10; Windows <see cref="ThreadPriority.BelowNormal"/>):
    /// a background build takes the CPU the application leaves idle. Best effort: ignored where the OS refuses.
    /// </summary>
    public static void LowerCurrentThreadPriority()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // Linux nice values are per thread: 0 as "who" would be the calling thread too, but gettid is explicit.
                _ = SetPriority(PrioProcess, GetTid(), 10);
            }
            else
            {
                Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or PlatformNotSupportedException)
        {
            // Priority is a courtesy; the build is correct without it.
        }
    }

    private static void ThrowIfError(nint error)
    {
        if (error != 0)
        {
            throw new USearchException("USearch operation failed: " + Marshal.PtrToStringAnsi(error));
        }
    }

    [DllImport(USearch, EntryPoint = "usearch_reserve")]
    private static extern void Reserve(nint index, nuint capacity, out nint error);

    [DllImport(USearch, EntryPoint = "usearch_change_expansion_search")]
    private static extern void ChangeExpansionSearch(nint index, nuint expansion, out nint error);

    [DllImport(USearch, EntryPoint = "usearch_change_threads_add")]
    private static extern void ChangeThreadsAdd(nint index, nuint threads, out nint error);

    [DllImport(Libc, EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport(Libc, EntryPoint = "gettid")]
    private static extern int GetTid();
}
