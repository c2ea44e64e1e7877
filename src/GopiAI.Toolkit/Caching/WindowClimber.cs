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
/// <see cref="SampleLength"/> requests per entry it tests whether the hit rate differs from the previous configuration's by
/// more than <see cref="SignificanceZ"/> standard errors. If not, it keeps measuring (the sample grows, so smaller
/// differences become visible) up to <see cref="MaxSampleLengths"/> samples; then it takes one exploratory step and
/// measures again. On a stationary workload the window therefore moves at most once per <see cref="MaxSampleLengths"/>
/// samples, and only as far as the hit rate does not measurably suffer.
/// </para>
/// <para>
/// A strong signal needs less evidence: halfway through a sample (see <see cref="ChecksPerSample"/>) the climber already
/// decides when the difference exceeds <see cref="EarlySignificanceZ"/> standard errors, so a workload whose hit rate
/// climbs by many points per step (recency-biased traffic, where the window must grow from 1 % to nearly the whole cache)
/// gets there in about half the requests. The bar is high enough that a periodic workload's swings (scans) rarely clear it.
/// </para>
/// <para>
/// Steps: a significant gain caused by a move keeps the direction and doubles the step (up to a quarter of the capacity),
/// unless the previous move was a turn-round (a periodic workload alternating gain and loss must not swing at full
/// step); a significant loss caused by a move turns round and halves the step. A change the climber did not cause (the
/// window stood still: the first comparison, or a move blocked at a bound) says nothing about the step's size: a loss turns
/// round and a gain keeps the direction, both at the current step. This is what makes the first move informative: when
/// the hit rate collapses once the young cache's LRU-like ties end (the sketch ages and admission starts refusing new
/// keys), the window grows; when it keeps rising (frequency pays off), the window shrinks. The first step is
/// <see cref="InitialStepFraction"/> of the capacity towards a smaller window. Deterministic and not thread-safe: the
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

    /// <summary>How many times per sample the policy calls <see cref="Adjust"/>; before a sample is complete only a strong difference (<see cref="EarlySignificanceZ"/>) moves the window.</summary>
    public const int ChecksPerSample = 2;

    /// <summary>How many samples a configuration is measured for, at most, before the climber gives up looking for a difference.</summary>
    public const int MaxSampleLengths = 8;

    /// <summary>How many standard errors apart two hit rates must be to count as different.</summary>
    public const double SignificanceZ = 2.5;

    /// <summary>How many standard errors apart two hit rates must be to count as different before a full sample is measured.</summary>
    public const double EarlySignificanceZ = 6;

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
    private bool _lastMoved;
    private bool _lastTurnedRound;

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

    /// <summary>Gets the number of requests after which the policy should call <see cref="Adjust"/> (a sample's share per check).</summary>
    public int CheckInterval => (int)Math.Clamp(SampleSize / ChecksPerSample, 1, int.MaxValue);

    // Requests in one full sample.
    private long SampleSize => (long)SampleLength * _capacity;

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
    /// <remarks>The first full sample after a <see cref="Restart"/> only primes the comparison.</remarks>
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

        // A partial sample (a check before the sample is complete) primes nothing and decides only on a strong difference.
        // The policy's check counts accesses, which can drift a little from requests: within half a check is complete.
        var slack = CheckInterval / 2;
        var complete = _sampleRequests + slack >= SampleSize;
        var hitRate = (double)_sampleHits / _sampleRequests;
        if (!_primed)
        {
            if (!complete)
            {
                return 0;
            }

            _primed = true;
            _lastMoved = false;
            EndMeasurement(hitRate);
            return 0;
        }

        var change = hitRate - _previousHitRate;
        var variance = Math.Max(hitRate * (1 - hitRate), 1e-4);
        var standardError = Math.Sqrt(variance * ((1.0 / _sampleRequests) + (1.0 / _previousRequests)));
        var z = Math.Abs(change) / standardError;
        if (!complete ? z <= EarlySignificanceZ : z <= SignificanceZ && _sampleRequests + slack < MaxSampleLengths * SampleSize)
        {
            return 0;
        }

        EndMeasurement(hitRate);
        double amount;
        if (z <= SignificanceZ)
        {
            // No measurable difference after a long measurement: explore one step further the same way, at least a first
            // step's size, so that a climb slowed to tiny steps cannot stall on a slope it can no longer measure.
            amount = Math.Abs(_step) < _initialStep ? (_step < 0 ? -_initialStep : _initialStep) : _step;
            _step = amount * StepDecay;
            _lastTurnedRound = false;
        }
        else if (change < 0)
        {
            // Turn round; halve the step only when the loss followed our own move (it overshot).
            amount = -_step;
            _step = _lastMoved ? amount / 2 : amount;
            _lastTurnedRound = _lastMoved;
        }
        else
        {
            // Keep going; twice as far when our own move paid off and did not just undo an overshoot.
            amount = _lastMoved && !_lastTurnedRound ? Math.Clamp(2 * _step, -_maxStep, _maxStep) : _step;
            _step = amount;
            _lastTurnedRound = false;
        }

        if (Math.Abs(_step) < 1)
        {
            _step = _step >= 0 ? 1 : -1;
        }

        var target = Math.Clamp(window + (int)Math.Round(amount), 1, _maxWindow);
        _lastMoved = target != window;
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
