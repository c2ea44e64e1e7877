namespace GopiAI.Toolkit.Monitoring;

/// <summary>
/// The one percentile method of the toolkit: <b>nearest rank</b>. The p-th percentile of n sorted values is the value at
/// rank ⌈p × n⌉ (1-based): the smallest recorded value that at least p of the values do not exceed. It is always a value
/// that was really recorded (no interpolation), so p95 of 24 calls is the 23rd fastest call.
/// <see cref="ApiPerformanceMonitor"/>, the dashboard and the sample's report all use it.
/// </summary>
/// <remarks>
/// A percentile is not bounded by the mean: when fewer than 5 % of the calls are much slower than the rest (a first,
/// JIT-compiling call; a cache miss among hits), the mean is pulled above p95 while p99 or the maximum show the slow calls.
/// </remarks>
public static class Percentiles
{
    /// <summary>The name of the method, as the dashboard and reports state it.</summary>
    public const string Method = "nearest-rank";

    /// <summary>Returns the nearest-rank percentile of values sorted in ascending order.</summary>
    /// <param name="sorted">The values, sorted ascending.</param>
    /// <param name="percentile">The percentile as a fraction in [0, 1] (0.95 for p95).</param>
    /// <returns>The value at rank ⌈<paramref name="percentile"/> × n⌉, the smallest value for p = 0; 0 when there are no values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percentile"/> is outside [0, 1] or NaN.</exception>
    public static double NearestRank(ReadOnlySpan<double> sorted, double percentile) =>
        sorted.IsEmpty ? 0 : sorted[Index(sorted.Length, percentile)];

    /// <summary>Returns the nearest-rank percentile of values sorted in ascending order.</summary>
    /// <param name="sorted">The values, sorted ascending.</param>
    /// <param name="percentile">The percentile as a fraction in [0, 1] (0.95 for p95).</param>
    /// <returns>The value at rank ⌈<paramref name="percentile"/> × n⌉, the smallest value for p = 0; 0 when there are no values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percentile"/> is outside [0, 1] or NaN.</exception>
    public static long NearestRank(ReadOnlySpan<long> sorted, double percentile) =>
        sorted.IsEmpty ? 0 : sorted[Index(sorted.Length, percentile)];

    private static int Index(int count, double percentile)
    {
        if (double.IsNaN(percentile) || percentile < 0 || percentile > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "The percentile must be a fraction in [0, 1] (0.95 for p95).");
        }

        var rank = (int)Math.Ceiling(percentile * count);
        return Math.Clamp(rank - 1, 0, count - 1);
    }
}
