using System.Diagnostics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace GopiAI.Toolkit.Benchmarks.HitCost;

/// <summary>
/// A BenchmarkDotNet clock that reads the <b>CPU time of the calling thread</b> (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), so
/// that on a loaded, shared machine the time a benchmark thread spends descheduled does not count. With the in-process
/// toolchain the engine reads the clock on the thread that runs the workload. Elsewhere it falls back to
/// <see cref="Stopwatch"/>. Used by the <c>cpuclock</c> mode of Program.cs:
/// <c>dotnet run -c Release --project benchmarks/GopiAI.Toolkit.Benchmarks -- cpuclock --filter '*CacheHitBenchmarks*'</c>.
/// </summary>
internal sealed class ThreadCpuClock : IClock
{
    private const int ClockThreadCpuTime = 3;

    /// <inheritdoc />
    public string Title => OperatingSystem.IsLinux() ? "ThreadCpuTime" : "Stopwatch";

    /// <inheritdoc />
    public bool IsAvailable => true;

    /// <inheritdoc />
    public Frequency Frequency => OperatingSystem.IsLinux() ? new Frequency(1_000_000_000) : new Frequency(Stopwatch.Frequency);

    /// <summary>The job of the <c>cpuclock</c> mode: BenchmarkDotNet's short run with 10 iterations, in process, on this clock.</summary>
    /// <returns>A config with that one job.</returns>
    public static IConfig Config() =>
        DefaultConfig.Instance.AddJob(Job.ShortRun.WithIterationCount(10).WithToolchain(InProcessEmitToolchain.Instance).WithClock(new ThreadCpuClock()));

    /// <inheritdoc />
    public long GetTimestamp()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Stopwatch.GetTimestamp();
        }

        return ThreadCpuNanoseconds();
    }

    /// <summary>The calling thread's CPU time in nanoseconds (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>).</summary>
    /// <returns>Nanoseconds of CPU the thread has used.</returns>
    internal static long ThreadCpuNanoseconds()
    {
        _ = NativeMethods.clock_gettime(ClockThreadCpuTime, out var ts);
        return (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "clock_gettime")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int clock_gettime(int clockId, out TimeSpec time);
    }
}
