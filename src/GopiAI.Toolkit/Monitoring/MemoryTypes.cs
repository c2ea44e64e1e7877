namespace GopiAI.Toolkit.Monitoring;

/// <summary>One memory sample taken by <see cref="MemoryMonitor.TrackMemory"/>.</summary>
/// <param name="CurrentUsage">The measured usage in bytes (by default the managed heap size after the last GC plus allocations since).</param>
/// <param name="PeakUsage">The highest <paramref name="CurrentUsage"/> seen so far, in bytes.</param>
/// <param name="BaselineUsage">The usage the monitor compares against (the first sample, or the one at the last <see cref="MemoryMonitor.ResetBaseline"/>).</param>
/// <param name="GrowthRate">Relative growth over the baseline: <c>(CurrentUsage - BaselineUsage) / BaselineUsage</c> (0.5 = 50 % above).</param>
/// <param name="GcCollections">Garbage collections of all generations since process start.</param>
/// <param name="WorkingSet">The process working set in bytes.</param>
/// <param name="Timestamp">When the sample was taken (from the monitor's <see cref="TimeProvider"/>).</param>
public sealed record MemoryStats(
    long CurrentUsage,
    long PeakUsage,
    long BaselineUsage,
    double GrowthRate,
    int GcCollections,
    long WorkingSet,
    DateTimeOffset Timestamp)
{
    /// <summary>Gets <see cref="CurrentUsage"/> / <see cref="BaselineUsage"/> (1.0 = no growth).</summary>
    public double GrowthFactor => BaselineUsage <= 0 ? 1.0 : (double)CurrentUsage / BaselineUsage;
}

/// <summary>A suspected leak reported by <see cref="MemoryMonitor.DetectLeaks"/>, with the evidence that triggered it.</summary>
/// <param name="Metric">What grew ("managed heap" or "working set").</param>
/// <param name="BaselineUsage">The baseline in bytes.</param>
/// <param name="CurrentUsage">The latest value in bytes.</param>
/// <param name="GrowthFactor">Latest value divided by the baseline.</param>
/// <param name="SampleCount">How many consecutive recent samples stayed above the threshold.</param>
/// <param name="Since">When the first of those samples was taken.</param>
/// <param name="Evidence">A human-readable explanation with the figures.</param>
public sealed record MemoryLeak(
    string Metric,
    long BaselineUsage,
    long CurrentUsage,
    double GrowthFactor,
    int SampleCount,
    DateTimeOffset Since,
    string Evidence);

/// <summary>How scarce memory is, as signalled by <see cref="MemoryMonitor.MemoryPressure"/>.</summary>
public enum MemoryPressureLevel
{
    /// <summary>No pressure.</summary>
    None,

    /// <summary>Memory use is high: caches drop their coldest share, pools drop idle objects.</summary>
    Moderate,

    /// <summary>Memory use is close to the limit: caches drop twice as much.</summary>
    High,

    /// <summary>Memory is nearly exhausted: caches are emptied.</summary>
    Critical,
}

/// <summary>Arguments of <see cref="MemoryMonitor.MemoryPressure"/>.</summary>
public sealed class MemoryPressureEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="level">The pressure level.</param>
    /// <param name="stats">The sample that triggered the signal, if any.</param>
    /// <param name="reason">Why the signal was raised.</param>
    public MemoryPressureEventArgs(MemoryPressureLevel level, MemoryStats? stats, string reason)
    {
        Level = level;
        Stats = stats;
        Reason = reason;
    }

    /// <summary>Gets the pressure level.</summary>
    public MemoryPressureLevel Level { get; }

    /// <summary>Gets the sample that triggered the signal, if any.</summary>
    public MemoryStats? Stats { get; }

    /// <summary>Gets why the signal was raised.</summary>
    public string Reason { get; }
}

/// <summary>Settings of a <see cref="MemoryMonitor"/>. Bindable from configuration.</summary>
public sealed class MemoryMonitorOptions
{
    /// <summary>Gets or sets the growth factor over the baseline that counts as a leak when sustained (default 1.5).</summary>
    public double LeakThreshold { get; set; } = 1.5;

    /// <summary>Gets or sets how many consecutive samples must exceed <see cref="LeakThreshold"/> (and not be shrinking) before a leak is reported (default 5).</summary>
    public int SustainedSamples { get; set; } = 5;

    /// <summary>Gets or sets the number of samples kept (default 1000, the seed's bound).</summary>
    public int HistorySize { get; set; } = 1000;

    /// <summary>Gets or sets the interval of automatic sampling; <see langword="null"/> (default) samples only when <see cref="MemoryMonitor.TrackMemory"/> is called.</summary>
    public TimeSpan? SamplingInterval { get; set; }

    /// <summary>
    /// Gets or sets the memory load, as a fraction of the GC's high-memory-load threshold, at which a moderate pressure signal is
    /// raised (default 0.85; 0.95 gives high, 1.0 critical).
    /// </summary>
    public double PressureLoadRatio { get; set; } = 0.85;

    /// <summary>Gets or sets an optional managed-heap limit in bytes: usage above it signals high pressure, regardless of machine load.</summary>
    public long? HeapLimitBytes { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the monitor raises a <see cref="ResourceAlertKind.MemoryGrowth"/> alert
    /// (<see cref="MemoryMonitor.AlertRaised"/>) when growth stays beyond <see cref="LeakThreshold"/> for
    /// <see cref="SustainedSamples"/> samples (default <see langword="true"/>).
    /// </summary>
    public bool RaiseGrowthAlerts { get; set; } = true;

    internal void Validate()
    {
        if (double.IsNaN(LeakThreshold) || LeakThreshold <= 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(LeakThreshold), LeakThreshold, "MemoryMonitorOptions.LeakThreshold must be greater than 1.0.");
        }

        Throw.IfNotPositive(SustainedSamples, nameof(SustainedSamples));
        Throw.IfNotPositive(HistorySize, nameof(HistorySize));
        if (SamplingInterval is { } interval)
        {
            Throw.IfNotPositive(interval, paramName: nameof(SamplingInterval));
        }

        if (double.IsNaN(PressureLoadRatio) || PressureLoadRatio <= 0 || PressureLoadRatio > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PressureLoadRatio), PressureLoadRatio, "MemoryMonitorOptions.PressureLoadRatio must be in (0, 1].");
        }

        if (HeapLimitBytes is { } limit)
        {
            Throw.IfNotPositive(limit, nameof(HeapLimitBytes));
        }
    }
}
