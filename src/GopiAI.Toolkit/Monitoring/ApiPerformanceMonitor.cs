using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace GopiAI.Toolkit.Monitoring;

/// <summary>
/// Records request durations and outcomes over a bounded sliding window (the last 1000 requests by default), and turns them
/// into aggregate and per-endpoint statistics, bottlenecks and concrete optimisation suggestions. Recording is lock-free and
/// allocation-free; statistics are computed on demand. Every <see cref="UnusualUsageOptions.EvaluationInterval"/> it compares
/// the last interval with its baseline and raises <see cref="AlertRaised"/> for request-rate, error-rate and allocation spikes.
/// </summary>
public sealed partial class ApiPerformanceMonitor : IDisposable, IResourceAlertSource
{
    private static readonly object s_true = true;
    private static readonly object s_false = false;

    // Bucket boundaries in seconds for exporters that build histograms (OpenTelemetry): from 10 µs (a cache hit) to 10 s.
    // Without advice they default to boundaries meant for milliseconds, and every call would land in the first bucket.
    private static readonly InstrumentAdvice<double> s_durationAdvice = new()
    {
        HistogramBucketBoundaries = [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private readonly Sample[] _window;
    private readonly TimeProvider _time;
    private readonly ApiPerformanceMonitorOptions _options;
    private readonly Meter? _ownedMeter;
    private readonly bool _isShared;
    private readonly Lock _cpuGate = new();
    private readonly ulong _windowMultiplier;
    private readonly double _timestampToTicks;
    private readonly bool _isSystemClock;
    private readonly Func<long> _allocatedBytes;
    private long _next;
    private long _startAllocated;
    private TimeSpan _lastCpu;
    private long _lastCpuTimestamp;

    /// <summary>Creates a monitor with default options and the system clock.</summary>
    public ApiPerformanceMonitor()
        : this(new ApiPerformanceMonitorOptions())
    {
    }

    /// <summary>Creates a monitor.</summary>
    /// <param name="options">Window size and thresholds.</param>
    /// <param name="timeProvider">The time source for durations measured by <see cref="MonitoredScope"/> and for request rates; <see langword="null"/> means <see cref="TimeProvider.System"/>.</param>
    /// <param name="meterFactory">Creates the <c>GopiAI.Toolkit.Monitoring</c> meter; <see langword="null"/> uses a meter owned by this monitor.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the exception names it.</exception>
    public ApiPerformanceMonitor(ApiPerformanceMonitorOptions options, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
        : this(options, timeProvider, meterFactory, allocatedBytesProvider: null, isShared: false)
    {
    }

    /// <summary>Creates a monitor that measures allocations with <paramref name="allocatedBytesProvider"/>.</summary>
    /// <param name="options">Window size and thresholds.</param>
    /// <param name="timeProvider">The time source; <see langword="null"/> means <see cref="TimeProvider.System"/>.</param>
    /// <param name="meterFactory">Creates the <c>GopiAI.Toolkit.Monitoring</c> meter; <see langword="null"/> uses a meter owned by this monitor.</param>
    /// <param name="allocatedBytesProvider">Returns the bytes allocated so far (a growing total); <see langword="null"/> uses <see cref="GC.GetTotalAllocatedBytes(bool)"/>. Tests inject figures here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the exception names it.</exception>
    public ApiPerformanceMonitor(ApiPerformanceMonitorOptions options, TimeProvider? timeProvider, IMeterFactory? meterFactory, Func<long>? allocatedBytesProvider)
        : this(options, timeProvider, meterFactory, allocatedBytesProvider, isShared: false)
    {
    }

    private ApiPerformanceMonitor(ApiPerformanceMonitorOptions options, TimeProvider? timeProvider, IMeterFactory? meterFactory, Func<long>? allocatedBytesProvider, bool isShared)
    {
        Throw.IfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _window = new Sample[options.WindowSize];
        _windowMultiplier = (ulong.MaxValue / (uint)options.WindowSize) + 1;
        _timestampToTicks = (double)TimeSpan.TicksPerSecond / _time.TimestampFrequency;
        _isSystemClock = ReferenceEquals(_time, TimeProvider.System);
        _isShared = isShared;
        _allocatedBytes = allocatedBytesProvider ?? (static () => GC.GetTotalAllocatedBytes(precise: false));
        var meter = meterFactory?.Create(ToolkitInfo.MonitoringMeterName, ToolkitInfo.Version)
            ?? (_ownedMeter = new Meter(ToolkitInfo.MonitoringMeterName, ToolkitInfo.Version));
        Duration = meter.CreateHistogram("gopi.call.duration", "s", "Duration of monitored calls, tagged endpoint, outcome and cache.hit.", tags: null, s_durationAdvice);
        _alertLog = new AlertLog(meter);
        _detector = new UnusualUsageDetector(options.UnusualUsage);
        ResetCore();
        if (options.UnusualUsage.EvaluationInterval is { } interval)
        {
            _usageTimer = new UsageTimer(this, _time, interval);
        }
    }

    /// <summary>Gets the process-wide monitor that <see cref="MonitoredScope"/> and generated <c>[Monitored]</c> code feed.</summary>
    public static ApiPerformanceMonitor Shared { get; } = new(new ApiPerformanceMonitorOptions(), null, null, null, isShared: true);

    /// <summary>Gets the activity source (<c>GopiAI.Toolkit.Monitoring</c>) that <see cref="MonitoredScope"/> starts activities from when listened to.</summary>
    public static ActivitySource ActivitySource { get; } = new(ToolkitInfo.MonitoringMeterName, ToolkitInfo.Version);

    /// <summary>Gets the time source used for durations and rates.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>Gets the options in use.</summary>
    public ApiPerformanceMonitorOptions Options => _options;

    /// <summary>Gets the number of requests recorded since creation or the last <see cref="Reset"/>.</summary>
    public long TotalRequests => Volatile.Read(ref _next);

    internal Histogram<double> Duration { get; }

    /// <summary>Reads the monitor's clock; the system clock directly, skipping the provider's virtual call.</summary>
    internal long GetTimestamp() => _isSystemClock ? Stopwatch.GetTimestamp() : _time.GetTimestamp();

    /// <summary>Converts a difference of <see cref="TimeProvider"/> timestamps to <see cref="TimeSpan"/> ticks without virtual calls.</summary>
    internal long ElapsedTicks(long start, long end) => (long)((end - start) * _timestampToTicks);

    /// <summary>Records one request. Allocation-free and lock-free.</summary>
    /// <param name="endpoint">The endpoint name (use a bounded set of names: it becomes a metric tag).</param>
    /// <param name="duration">How long the request took.</param>
    /// <param name="success">Whether it succeeded.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public void RecordRequest(string endpoint, TimeSpan duration, bool success) =>
        RecordRequest(endpoint, duration, success, cacheHit: false);

    /// <summary>Records one request, noting whether it was served from a cache. Allocation-free and lock-free.</summary>
    /// <param name="endpoint">The endpoint name (use a bounded set of names: it becomes a metric tag).</param>
    /// <param name="duration">How long the request took.</param>
    /// <param name="success">Whether it succeeded.</param>
    /// <param name="cacheHit">Whether the result came from a cache.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public void RecordRequest(string endpoint, TimeSpan duration, bool success, bool cacheHit)
    {
        if (string.IsNullOrEmpty(endpoint))
        {
            Throw.IfNullOrWhiteSpace(endpoint);
        }

        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "The duration must not be negative.");
        }

        RecordCore(endpoint, duration.Ticks, success, cacheHit, _time.GetTimestamp());
        if (Duration.Enabled)
        {
            RecordHistogram(endpoint, duration, success, cacheHit);
        }
    }

    /// <summary>Returns aggregate statistics over the window. CPU use is measured since the previous call.</summary>
    /// <returns>The statistics; all zero when nothing was recorded.</returns>
    public PerformanceStats GetPerformanceStats()
    {
        var samples = Snapshot();
        var durations = new long[samples.Count];
        int errors = 0, hits = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            durations[i] = samples[i].Duration;
            errors += samples[i].Success ? 0 : 1;
            hits += samples[i].CacheHit ? 1 : 0;
        }

        Array.Sort(durations);
        var n = samples.Count;
        return new PerformanceStats(
            Average(durations),
            Percentile(durations, 0.95),
            n == 0 ? 0 : (double)errors / n,
            Rate(samples),
            GC.GetTotalMemory(forceFullCollection: false),
            MeasureCpu(),
            n,
            Percentile(durations, 0.50),
            Percentile(durations, 0.99),
            n == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(durations[^1]),
            n == 0 ? 0 : (double)hits / n,
            TotalRequests);
    }

    /// <summary>Returns statistics per endpoint over the window.</summary>
    /// <returns>A dictionary keyed by endpoint name.</returns>
    public IReadOnlyDictionary<string, EndpointStats> GetEndpointStats()
    {
        var samples = Snapshot();
        var result = new Dictionary<string, EndpointStats>(StringComparer.Ordinal);
        foreach (var group in samples.GroupBy(s => s.Endpoint, StringComparer.Ordinal))
        {
            var list = group.ToList();
            var durations = list.Select(s => s.Duration).Order().ToArray();
            result[group.Key] = new EndpointStats(
                group.Key,
                list.Count,
                list.Count(s => !s.Success),
                Average(durations),
                Percentile(durations, 0.50),
                Percentile(durations, 0.95),
                Percentile(durations, 0.99),
                TimeSpan.FromTicks(durations[^1]),
                (double)list.Count(s => s.CacheHit) / list.Count,
                Rate(list));
        }

        return result;
    }

    /// <summary>
    /// Lists endpoints (with at least <see cref="ApiPerformanceMonitorOptions.MinimumSamples"/> requests in the window) whose p95
    /// is above <see cref="ApiPerformanceMonitorOptions.SlowThreshold"/> or whose error rate is above
    /// <see cref="ApiPerformanceMonitorOptions.ErrorRateThreshold"/>, worst first, each with the evidence.
    /// </summary>
    /// <returns>The bottlenecks; empty when none.</returns>
    public IReadOnlyList<Bottleneck> IdentifyBottlenecks()
    {
        var result = new List<Bottleneck>();
        var slowMs = _options.SlowThreshold.TotalMilliseconds;
        foreach (var stats in GetEndpointStats().Values.Where(s => s.Requests >= _options.MinimumSamples))
        {
            var p95 = stats.P95ResponseTime.TotalMilliseconds;
            if (p95 > slowMs)
            {
                result.Add(new Bottleneck(stats.Endpoint, BottleneckKind.SlowResponses, p95, slowMs, string.Create(
                    CultureInfo.InvariantCulture,
                    $"p95 {p95:0.#} ms over {stats.Requests} requests exceeds the {slowMs:0.#} ms threshold (avg {stats.AvgResponseTime.TotalMilliseconds:0.#} ms, max {stats.MaxResponseTime.TotalMilliseconds:0.#} ms)")));
            }

            if (stats.ErrorRate > _options.ErrorRateThreshold)
            {
                result.Add(new Bottleneck(stats.Endpoint, BottleneckKind.HighErrorRate, stats.ErrorRate, _options.ErrorRateThreshold, string.Create(
                    CultureInfo.InvariantCulture,
                    $"{stats.Errors} of {stats.Requests} requests failed ({stats.ErrorRate:P1}), above the {_options.ErrorRateThreshold:P1} threshold")));
            }
        }

        return [.. result.OrderByDescending(b => b.Observed / b.Threshold)];
    }

    /// <summary>
    /// Suggests concrete changes derived from the recorded data: cache slow endpoints that are rarely served from a cache, add a
    /// timeout where the tail latency of uncached calls is above the slow threshold and far above their median, add retry/circuit breaking where errors are frequent, and pool
    /// objects when the process allocates heavily per request.
    /// </summary>
    /// <returns>The suggestions; empty when the data gives no reason for any.</returns>
    public IReadOnlyList<OptimizationSuggestion> SuggestOptimizations()
    {
        var result = new List<OptimizationSuggestion>();
        var slow = _options.SlowThreshold;
        var uncached = Snapshot()
            .Where(x => !x.CacheHit)
            .GroupBy(x => x.Endpoint, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Duration).Order().ToArray(), StringComparer.Ordinal);
        foreach (var s in GetEndpointStats().Values.Where(s => s.Requests >= _options.MinimumSamples).OrderByDescending(s => s.P95ResponseTime))
        {
            if (s.P95ResponseTime > slow && s.CacheHitRate < 0.2 && s.ErrorRate <= _options.ErrorRateThreshold)
            {
                result.Add(new OptimizationSuggestion(s.Endpoint, OptimizationKind.Cache,
                    $"Cache the results of '{s.Endpoint}' ([Cached] or the 'api_responses' cache of CacheManager).",
                    Invariant($"{s.Requests} successful calls with p95 {s.P95ResponseTime.TotalMilliseconds:0.#} ms and only {s.CacheHitRate:P0} served from a cache.")));
            }

            // Judge the tail on calls that did real work: cache hits would make any miss look like a tail.
            if (uncached.TryGetValue(s.Endpoint, out var work) && work.Length >= _options.MinimumSamples)
            {
                var p50 = Percentile(work, 0.50);
                var p95 = Percentile(work, 0.95);
                var p99 = Percentile(work, 0.99);
                if (p99 > slow && p99.Ticks > 3 * Math.Max(1, p50.Ticks))
                {
                    var suggested = TimeSpan.FromMilliseconds(Math.Ceiling(p95.TotalMilliseconds * 1.5));
                    result.Add(new OptimizationSuggestion(s.Endpoint, OptimizationKind.Timeout,
                        Invariant($"Add a timeout of about {suggested.TotalMilliseconds:0} ms around '{s.Endpoint}' (ResiliencePresets.Timeout)."),
                        Invariant($"Of {work.Length} uncached calls, p99 {p99.TotalMilliseconds:0.#} ms is {p99.Ticks / (double)Math.Max(1, p50.Ticks):0.#}x the median {p50.TotalMilliseconds:0.#} ms; the tail holds callers up.")));
                }
            }

            if (s.ErrorRate > _options.ErrorRateThreshold)
            {
                result.Add(new OptimizationSuggestion(s.Endpoint, OptimizationKind.RetryAndCircuitBreaker,
                    $"Retry transient failures of '{s.Endpoint}' with exponential backoff and add a circuit breaker (ResiliencePresets.Standard).",
                    Invariant($"{s.Errors} of {s.Requests} recent calls failed ({s.ErrorRate:P1}).")));
            }
        }

        var total = TotalRequests;
        if (total >= _options.MinimumSamples)
        {
            var allocatedPerRequest = (_allocatedBytes() - Volatile.Read(ref _startAllocated)) / total;
            if (allocatedPerRequest > _options.AllocationPerRequestThreshold)
            {
                result.Add(new OptimizationSuggestion(OptimizationSuggestion.ProcessWide, OptimizationKind.Pool,
                    "Pool the objects and buffers that requests allocate ([Pooled], ResourcePoolManager, ArrayPool<T>).",
                    Invariant($"The process allocated about {allocatedPerRequest / 1024} KiB per recorded request ({total} requests), above the {_options.AllocationPerRequestThreshold / 1024} KiB threshold.")));
            }
        }

        return result;
    }

    /// <summary>Forgets every recorded request and restarts the allocation, CPU and unusual-usage baselines (the alert history stays).</summary>
    public void Reset()
    {
        Array.Clear(_window);
        ResetCore();
    }

    /// <summary>Stops the automatic unusual-usage checks and releases the meter this monitor created. Ignored on <see cref="Shared"/>.</summary>
    public void Dispose()
    {
        if (!_isShared)
        {
            _usageTimer?.Dispose();
            _ownedMeter?.Dispose();
        }
    }

    internal void RecordCore(string endpoint, long durationTicks, bool success, bool cacheHit, long timestamp)
    {
        var sequence = Interlocked.Increment(ref _next);

        // Lemire's fastmod instead of a 64-bit division on every call; after 2^32 requests the ring simply restarts at slot 0.
        var index = (uint)(((((_windowMultiplier * (uint)(sequence - 1)) >> 32) + 1) * (uint)_window.Length) >> 32);
        ref var slot = ref _window[index];

        // Seqlock-style publication: readers accept a slot only if its sequence is the same before and after they copy it.
        Volatile.Write(ref slot.Sequence, 0);
        slot.Endpoint = endpoint;
        slot.Duration = durationTicks;
        slot.Timestamp = timestamp;
        slot.Flags = (byte)((success ? 1 : 0) | (cacheHit ? 2 : 0));
        Volatile.Write(ref slot.Sequence, sequence);
    }

    internal void RecordHistogram(string endpoint, TimeSpan duration, bool success, bool cacheHit) =>
        Duration.Record(
            duration.TotalSeconds,
            new KeyValuePair<string, object?>("endpoint", endpoint),
            new KeyValuePair<string, object?>("outcome", success ? "success" : "failure"),
            new KeyValuePair<string, object?>("cache.hit", cacheHit ? s_true : s_false));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static TimeSpan Average(long[] durations) =>
        durations.Length == 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)durations.Average());

    private static TimeSpan Percentile(long[] sorted, double p) => TimeSpan.FromTicks(Percentiles.NearestRank(sorted, p));

    private void ResetCore()
    {
        Volatile.Write(ref _next, 0);
        Volatile.Write(ref _startAllocated, _allocatedBytes());
        ResetUsageBaseline();
        lock (_cpuGate)
        {
            _lastCpu = Environment.CpuUsage.TotalTime;
            _lastCpuTimestamp = Stopwatch.GetTimestamp();
        }
    }

    private double Rate(IReadOnlyList<Snap> samples)
    {
        if (samples.Count == 0)
        {
            return 0;
        }

        var oldest = samples.Min(s => s.Timestamp);
        var newest = samples.Max(s => s.Timestamp);
        var span = _time.GetElapsedTime(oldest, newest);

        // A single instant gives no span to divide by; count it as one second.
        return samples.Count / Math.Max(span.TotalSeconds, samples.Count == 1 ? 1.0 : 0.001);
    }

    private double MeasureCpu()
    {
        lock (_cpuGate)
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var now = Stopwatch.GetTimestamp();
            var wall = Stopwatch.GetElapsedTime(_lastCpuTimestamp, now);
            var used = cpu - _lastCpu;
            _lastCpu = cpu;
            _lastCpuTimestamp = now;
            return wall <= TimeSpan.Zero ? 0 : Math.Clamp(100.0 * used.TotalMilliseconds / (wall.TotalMilliseconds * Environment.ProcessorCount), 0, 100);
        }
    }

    private List<Snap> Snapshot()
    {
        var result = new List<Snap>(Math.Min(_window.Length, (int)Math.Min(int.MaxValue, TotalRequests)));
        for (var i = 0; i < _window.Length; i++)
        {
            ref var slot = ref _window[i];
            var before = Volatile.Read(ref slot.Sequence);
            if (before == 0)
            {
                continue;
            }

            var snap = new Snap(slot.Endpoint!, slot.Duration, slot.Timestamp, (slot.Flags & 1) != 0, (slot.Flags & 2) != 0, before);
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref slot.Sequence) == before && snap.Endpoint is not null)
            {
                result.Add(snap);
            }
        }

        return result;
    }

    private struct Sample
    {
        public long Sequence;
        public string? Endpoint;
        public long Duration;
        public long Timestamp;
        public byte Flags;
    }

    private readonly record struct Snap(string Endpoint, long Duration, long Timestamp, bool Success, bool CacheHit, long Sequence);
}
