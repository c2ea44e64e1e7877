using System.Runtime.CompilerServices;
using GopiAI.Toolkit.Internal;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// The cache's notion of "now" for expiry, in ticks of its own scale. With <see cref="TimeProvider.System"/> it reads the
/// process-wide millisecond <see cref="CoarseClock"/> (a field, refreshed by a timer), because reading the OS clock on
/// every hit costs tens of nanoseconds on some VMs; any other provider (a test's <c>FakeTimeProvider</c>) is read exactly.
/// </summary>
internal readonly struct ExpiryClock
{
    /// <summary>The expiry of an entry that never expires.</summary>
    public const long Never = long.MaxValue;

    private readonly TimeProvider _time;
    private readonly bool _coarse;

    /// <summary>Initializes a clock over <paramref name="time"/>.</summary>
    /// <param name="time">The time source.</param>
    public ExpiryClock(TimeProvider time)
    {
        _time = time;
        _coarse = ReferenceEquals(time, TimeProvider.System);
        if (_coarse)
        {
            CoarseClock.EnsureStarted();
        }
    }

    /// <summary>Gets whether this clock reads <see cref="CoarseClock"/> (the provider is <see cref="TimeProvider.System"/>).</summary>
    public bool IsCoarse => _coarse;

    /// <summary>Returns the current time in ticks.</summary>
    /// <returns>Ticks on this clock's scale.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Now() => _coarse ? CoarseClock.Now : _time.GetTimestamp();

    /// <summary>Converts a time to live to ticks; <see cref="Timeout.InfiniteTimeSpan"/> becomes <see cref="Never"/>.</summary>
    /// <param name="ttl">A positive duration or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <returns>At least one tick, at most <see cref="Never"/> − 1 for finite durations.</returns>
    public long ToTicks(TimeSpan ttl)
    {
        if (ttl == Timeout.InfiniteTimeSpan)
        {
            return Never;
        }

        var frequency = _coarse ? 1000.0 : _time.TimestampFrequency;
        var ticks = ttl.Ticks * (frequency / TimeSpan.TicksPerSecond);
        return ticks >= Never - 1 ? Never - 1 : Math.Max(1, (long)ticks);
    }

    /// <summary>Returns the expiry of an entry created now with a time to live of <paramref name="ttlTicks"/>.</summary>
    /// <param name="ttlTicks">The time to live in ticks, or <see cref="Never"/>.</param>
    /// <returns>The expiry in ticks, saturating below <see cref="Never"/>.</returns>
    public long ExpiryFor(long ttlTicks)
    {
        if (ttlTicks == Never)
        {
            return Never;
        }

        var now = Now();
        var sum = now + ttlTicks;
        return sum < now ? Never - 1 : sum;
    }
}
