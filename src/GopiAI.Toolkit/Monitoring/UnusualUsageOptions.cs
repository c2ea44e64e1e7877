namespace GopiAI.Toolkit.Monitoring;

/// <summary>
/// Thresholds of the unusual-usage alerts of an <see cref="ApiPerformanceMonitor"/> (<see cref="ApiPerformanceMonitorOptions.UnusualUsage"/>):
/// request-rate spikes, error-rate spikes and allocation spikes. Each evaluation interval is compared with a baseline, the
/// median of the previous <see cref="BaselineIntervals"/> intervals, so a short burst stands out while a lasting change
/// becomes the new normal once it has filled half the baseline. Bindable from configuration.
/// </summary>
public sealed class UnusualUsageOptions
{
    /// <summary>
    /// Gets or sets how often the monitor evaluates the last interval on its own (default 10 s); <see langword="null"/> turns
    /// automatic checks off (call <see cref="ApiPerformanceMonitor.CheckForUnusualUsage"/> yourself).
    /// </summary>
    public TimeSpan? EvaluationInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how many past intervals form the baseline (default 30: five minutes at the default interval).</summary>
    public int BaselineIntervals { get; set; } = 30;

    /// <summary>Gets or sets how many intervals must have been seen before request-rate and allocation spikes are judged (default 5).</summary>
    public int WarmupIntervals { get; set; } = 5;

    /// <summary>Gets or sets the requests an interval needs before its rate and allocation are judged (default 50): a handful of calls is never a spike.</summary>
    public int MinimumRequests { get; set; } = 50;

    /// <summary>Gets or sets how many times the baseline request rate counts as a spike (default 3).</summary>
    public double RequestRateSpikeFactor { get; set; } = 3.0;

    /// <summary>Gets or sets the calls an endpoint needs in an interval before its error rate is judged (default 20).</summary>
    public int MinimumEndpointRequests { get; set; } = 20;

    /// <summary>Gets or sets the error rate (0–1) below which no error-rate spike is reported, whatever the baseline (default 0.1).</summary>
    public double MinimumErrorRate { get; set; } = 0.1;

    /// <summary>Gets or sets how many times an endpoint's baseline error rate counts as a spike (default 3).</summary>
    public double ErrorRateSpikeFactor { get; set; } = 3.0;

    /// <summary>Gets or sets how many times the baseline bytes allocated per request counts as a spike (default 4).</summary>
    public double AllocationSpikeFactor { get; set; } = 4.0;

    /// <summary>Gets or sets the bytes per request below which no allocation spike is reported, whatever the baseline (default 16 KiB).</summary>
    public long MinimumAllocationPerRequest { get; set; } = 16 * 1024;

    internal void Validate()
    {
        if (EvaluationInterval is { } interval)
        {
            Throw.IfNotPositive(interval, paramName: $"{nameof(UnusualUsageOptions)}.{nameof(EvaluationInterval)}");
        }

        Throw.IfNotPositive(BaselineIntervals, $"{nameof(UnusualUsageOptions)}.{nameof(BaselineIntervals)}");
        Throw.IfNotPositive(WarmupIntervals, $"{nameof(UnusualUsageOptions)}.{nameof(WarmupIntervals)}");
        Throw.IfNotPositive(MinimumRequests, $"{nameof(UnusualUsageOptions)}.{nameof(MinimumRequests)}");
        Throw.IfNotPositive(MinimumEndpointRequests, $"{nameof(UnusualUsageOptions)}.{nameof(MinimumEndpointRequests)}");
        Throw.IfOutOfRange(MinimumErrorRate, 0, 1, $"{nameof(UnusualUsageOptions)}.{nameof(MinimumErrorRate)}");
        Throw.IfNotPositive(MinimumAllocationPerRequest, $"{nameof(UnusualUsageOptions)}.{nameof(MinimumAllocationPerRequest)}");
        foreach (var (factor, name) in new[] { (RequestRateSpikeFactor, nameof(RequestRateSpikeFactor)), (ErrorRateSpikeFactor, nameof(ErrorRateSpikeFactor)), (AllocationSpikeFactor, nameof(AllocationSpikeFactor)) })
        {
            if (double.IsNaN(factor) || factor <= 1.0)
            {
                throw new ArgumentOutOfRangeException($"{nameof(UnusualUsageOptions)}.{name}", factor, $"UnusualUsageOptions.{name} must be greater than 1.0.");
            }
        }
    }
}
