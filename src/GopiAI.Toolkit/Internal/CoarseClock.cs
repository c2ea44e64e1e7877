namespace GopiAI.Toolkit.Internal;

/// <summary>
/// A process-wide millisecond clock (<see cref="Environment.TickCount64"/>) refreshed by a timer every
/// <see cref="Resolution"/>, so that the cache hit path reads a field instead of calling into the OS clock (which costs
/// 20–60 ns on some virtual machines). TTL checks against it are accurate to about one resolution step.
/// </summary>
internal static class CoarseClock
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(50);

    private static readonly Lazy<Timer> s_timer = new(StartTimer);
    private static long s_now = Environment.TickCount64;

    /// <summary>Gets milliseconds on the <see cref="Environment.TickCount64"/> scale, at most about one resolution step old once started.</summary>
    public static long Now => Volatile.Read(ref s_now);

    /// <summary>Starts the refresh timer (once per process).</summary>
    public static void EnsureStarted()
    {
        if (!s_timer.IsValueCreated)
        {
            _ = s_timer.Value;
        }
    }

    private static Timer StartTimer()
    {
        Volatile.Write(ref s_now, Environment.TickCount64);

        // No captured ExecutionContext (AsyncLocals of whoever created the first cache), no effect on process lifetime.
        using (ExecutionContext.SuppressFlow())
        {
            return new Timer(static _ => Volatile.Write(ref s_now, Environment.TickCount64), null, Resolution, Resolution);
        }
    }
}
