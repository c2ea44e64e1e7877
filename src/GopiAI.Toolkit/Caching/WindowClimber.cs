namespace GopiAI.Toolkit.Caching;

/// <summary>
/// Sizes W-TinyLFU's admission window by hill climbing on the hit rate (after Caffeine's adaptive policy): a large window
/// suits recency-biased workloads (what was just used is used again next), a small one frequency-biased workloads (Zipf).
/// </summary>
/// <remarks>
/// <para>
/// Each configuration of the window is measured over a sample of requests and compared with the previous configuration.
/// Caffeine moves after every fixed sample, which on a stationary workload turns sampling noise into a random walk of the
/// window (a point or more of hit ratio lost on Zipf traces). This climber moves only on evidence: after each
/// <see cref="SampleLength"/> requests it tests whether the hit rate differs from the previous configuration's by more than
/// <see cref="SignificanceZ"/> standard errors. If not, it keeps measuring (the sample grows, so smaller differences become
/// visible) up to <see cref="MaxSampleLengths"/> samples; then it takes one exploratory step and measures again. On a
/// stationary workload the window therefore moves at most once per <see cref="MaxSampleLengths"/> samples, and only as far
/// as the hit rate does not measurably suffer.
/// </para>
/// <para>
/// A significant gain keeps the direction, and a second one in a row doubles the step (up to a quarter of the capacity), so
/// a strongly recency-biased workload reaches a large window in a few samples; a significant loss turns round and halves
/// the step. Doubling only on consecutive gains damps the ping-pong that a periodic workload (scans every few samples)
/// would otherwise sustain, one sample's gain undoing the previous one's loss. The first move tries a smaller window, as
/// most cache workloads are frequency-biased. Deterministic and not thread-safe: the
/// policy calls it under the maintenance lock.
/// </para>
/// </remarks>
internal sealed class WindowClimber
{
    /// <summary>The first step, as a share of the capacity.</summary>
    public const double InitialStepFraction = 0.0625;

    /// <summary>The largest step, as a share of the capacity.</summary>
    public const double MaxStepFraction = 0.25;

    /// <summary>Requests per sample, per entry of capacity.</summary>
    public const int SampleLength = 10;

    /// <summary>How many samples a configuration is measured for, at most, before the climber gives up looking for a difference.</summary>
    public const int MaxSampleLengths = 8;

    /// <summary>How many standard errors apart two hit rates must be to count as different.</summary>
    public const double SignificanceZ = 2.5;

    /// <summary>The factor applied to the step when a long measurement found no difference.</summary>
    public const double StepDecay = 0.98;

    private readonly int _capacity;
    private readonly int _maxWindow;
    private readonly double _maxStep;
    private readonly double _initialStep;
    private double _step;
    private double _previousHitRate;
    private long _previousRequests;
    private long _lastHits;
    private long _lastMisses;
    private long _sampleHits;
    private long _sampleRequests;
    private bool _primed;
    private bool _previousWasGain;

    /// <summary>Initializes a climber for a cache of <paramref name="capacity"/> entries.</summary>
    /// <param name="capacity">The capacity in entries.</param>
    public WindowClimber(int capacity)
    {
        _capacity = capacity;
        _maxWindow = Math.Max(1, capacity - 1);
        _maxStep = MaxStepFraction * capacity;
        _initialStep = InitialStepFraction * capacity;
        _step = -_initialStep;
    }

    /// <summary>Gets the number of requests after which the policy should call <see cref="Adjust"/>.</summary>
    public int SampleRequests => (int)Math.Min((long)SampleLength * _capacity, int.MaxValue);

    /// <summary>Gets the current step in entries (signed: positive grows the window).</summary>
    public double Step => _step;

    /// <summary>Forgets the measurement so far: the next sample starts at these totals and only primes the comparison.</summary>
    /// <param name="totalHits">Hits since the cache was created.</param>
    /// <param name="totalMisses">Misses since the cache was created.</param>
    public void Restart(long totalHits, long totalMisses)
    {
        _lastHits = totalHits;
        _lastMisses = totalMisses;
        _sampleHits = 0;
        _sampleRequests = 0;
        _primed = false;
    }

    /// <summary>
    /// Adds the requests since the previous call to the current measurement and returns by how many entries the window
    /// should change (positive: grow), or 0 to keep measuring or to stay.
    /// </summary>
    /// <param name="totalHits">Hits since the cache was created.</param>
    /// <param name="totalMisses">Misses since the cache was created.</param>
    /// <param name="window">The window's current size in entries.</param>
    /// <returns>The change in window entries, clamped so that the window stays within [1, capacity − 1].</returns>
    public int Adjust(long totalHits, long totalMisses, int window)
    {
        _sampleHits += totalHits - _lastHits;
        _sampleRequests += (totalHits - _lastHits) + (totalMisses - _lastMisses);
        _lastHits = totalHits;
        _lastMisses = totalMisses;
        if (_sampleRequests <= 0)
        {
            return 0;
        }

        var hitRate = (double)_sampleHits / _sampleRequests;
        if (!_primed)
        {
            _primed = true;
            EndMeasurement(hitRate);
            return 0;
        }

        var change = hitRate - _previousHitRate;
        var variance = Math.Max(hitRate * (1 - hitRate), 1e-4);
        var standardError = Math.Sqrt(variance * ((1.0 / _sampleRequests) + (1.0 / _previousRequests)));
        var significant = Math.Abs(change) > SignificanceZ * standardError;
        if (!significant && _sampleRequests < (long)MaxSampleLengths * SampleRequests)
        {
            return 0;
        }

        EndMeasurement(hitRate);
        if (!significant)
        {
            // No measurable difference after a long measurement: explore one step further the same way, at least a first
            // step's size, so that a climb slowed to tiny steps cannot stall on a slope it can no longer measure.
            var probe = Math.Abs(_step) < _initialStep ? (_step < 0 ? -_initialStep : _initialStep) : _step;
            _step = probe * StepDecay;
            return Math.Clamp(window + (int)Math.Round(probe), 1, _maxWindow) - window;
        }

        var amount = change > 0 ? _step : -_step;
        var gain = change > 0;
        _step = gain ? (_previousWasGain ? Math.Clamp(2 * amount, -_maxStep, _maxStep) : amount) : amount / 2;
        _previousWasGain = gain;
        if (Math.Abs(_step) < 1)
        {
            _step = Math.Sign(_step) >= 0 ? 1 : -1;
        }

        var target = Math.Clamp(window + (int)Math.Round(amount), 1, _maxWindow);
        return target - window;
    }

    private void EndMeasurement(double hitRate)
    {
        _previousHitRate = hitRate;
        _previousRequests = _sampleRequests;
        _sampleHits = 0;
        _sampleRequests = 0;
    }
}
