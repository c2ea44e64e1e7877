using System.Globalization;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.Samples.Assistant.Reporting;
using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.Samples.Assistant.Monitoring;

/// <summary>What kind of alert was raised.</summary>
public enum AlertKind
{
    /// <summary>The managed heap grew past <see cref="AlertOptions.MemoryAlertBytes"/>.</summary>
    MemoryUsage,

    /// <summary>An endpoint's p95 latency exceeded <see cref="AlertOptions.SlowEndpointThreshold"/>.</summary>
    SlowEndpoint,
}

/// <summary>An alert raised by the <see cref="ResourceWatchdog"/>.</summary>
/// <param name="Kind">What was detected.</param>
/// <param name="Message">A one-line description with the figures.</param>
/// <param name="At">When, relative to the start of the application.</param>
/// <param name="Cleanup">What the automated clean-up freed, for memory alerts.</param>
public sealed record AssistantAlert(AlertKind Kind, string Message, TimeSpan At, CleanupResult? Cleanup);

/// <summary>What an automated clean-up released.</summary>
/// <param name="CacheEntriesBefore">Entries in all caches before.</param>
/// <param name="CacheEntriesAfter">Entries in all caches after.</param>
/// <param name="PooledObjectsReleased">Idle pooled objects dropped.</param>
/// <param name="HeapBefore">Managed heap bytes before.</param>
/// <param name="HeapAfter">Managed heap bytes after a full collection.</param>
public sealed record CleanupResult(long CacheEntriesBefore, long CacheEntriesAfter, long PooledObjectsReleased, long HeapBefore, long HeapAfter)
{
    /// <summary>Gets the cache entries trimmed.</summary>
    public long CacheEntriesTrimmed => Math.Max(0, CacheEntriesBefore - CacheEntriesAfter);

    /// <summary>Gets the managed heap bytes freed.</summary>
    public long BytesFreed => Math.Max(0, HeapBefore - HeapAfter);

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"trimmed {CacheEntriesTrimmed:N0} cache entries ({CacheEntriesBefore:N0} -> {CacheEntriesAfter:N0}), released {PooledObjectsReleased:N0} idle pooled objects, heap {HeapBefore / 1048576.0:0.0} MB -> {HeapAfter / 1048576.0:0.0} MB");
}

/// <summary>
/// Samples memory on a timer, raises memory-usage and slow-endpoint alerts (an event and an <see cref="ILogger"/> warning,
/// thresholds from <see cref="AlertOptions"/>) and, when memory runs high, signals memory pressure so that the toolkit's
/// caches trim themselves and pools release idle objects; then it reports what was freed.
/// </summary>
public sealed class ResourceWatchdog : IDisposable
{
    private readonly AlertOptions _options;
    private readonly MemoryMonitor _memory;
    private readonly ApiPerformanceMonitor _api;
    private readonly CacheManager _caches;
    private readonly ResourcePoolManager _pools;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly Lock _gate = new();

    // One sample at a time, clean-up and alert included: a sample that finds the alert already claimed by a concurrent one
    // (the timer's) returns only once that alert is in Alerts, so callers that sample and then read Alerts see it.
    private readonly Lock _sampling = new();
    private readonly List<MemorySample> _samples = [];
    private readonly List<AssistantAlert> _alerts = [];
    private readonly HashSet<string> _slowEndpointsReported = new(StringComparer.Ordinal);
    private ITimer? _timer;
    private TimeSpan? _trackingSince;
    private bool _memoryAlertActive;
    private long _memoryAlertBytes;

    /// <summary>Initializes a new instance of the <see cref="ResourceWatchdog"/> class.</summary>
    /// <param name="options">The thresholds.</param>
    /// <param name="memory">Measures memory and carries the pressure signal.</param>
    /// <param name="api">The monitored-call statistics.</param>
    /// <param name="caches">The caches to measure.</param>
    /// <param name="pools">The pools to measure.</param>
    /// <param name="logger">Receives the alerts as warnings.</param>
    /// <param name="time">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ResourceWatchdog(AlertOptions options, MemoryMonitor memory, ApiPerformanceMonitor api, CacheManager caches, ResourcePoolManager pools, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(caches);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _memory = memory;
        _api = api;
        _caches = caches;
        _pools = pools;
        _logger = logger;
        _time = time;
        _memoryAlertBytes = options.MemoryAlertBytes;
        _startTimestamp = time.GetTimestamp();
    }

    /// <summary>Raised for every alert, on the thread that detected it.</summary>
    public event EventHandler<AssistantAlert>? AlertRaised;

    /// <summary>Gets the alert thresholds.</summary>
    public AlertOptions Options => _options;

    /// <summary>Gets or sets the managed-heap size in bytes that raises a memory alert (initially <see cref="AlertOptions.MemoryAlertBytes"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is 0 or less.</exception>
    public long MemoryAlertBytes
    {
        get => Interlocked.Read(ref _memoryAlertBytes);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            Interlocked.Exchange(ref _memoryAlertBytes, value);
        }
    }

    /// <summary>Gets the memory samples taken so far, oldest first.</summary>
    public IReadOnlyList<MemorySample> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>
    /// Gets the samples taken since <see cref="MarkBaseline"/> (the memory monitor's baseline), oldest first; all samples
    /// when no baseline was marked. The report draws these: earlier samples predate tracking.
    /// </summary>
    public IReadOnlyList<MemorySample> TrackedSamples
    {
        get
        {
            lock (_gate)
            {
                return _trackingSince is { } since ? [.. _samples.Where(s => s.At >= since)] : [.. _samples];
            }
        }
    }

    /// <summary>Gets the alerts raised so far.</summary>
    public IReadOnlyList<AssistantAlert> Alerts
    {
        get
        {
            lock (_gate)
            {
                return [.. _alerts];
            }
        }
    }

    /// <summary>Starts sampling every <see cref="AlertOptions.SampleInterval"/>.</summary>
    public void Start()
    {
        Sample();
        _timer ??= _time.CreateTimer(static state => ((ResourceWatchdog)state!).Sample(), this, _options.SampleInterval, _options.SampleInterval);
    }

    /// <summary>
    /// Takes one memory sample now and raises a memory alert (with clean-up) when it is above the threshold. Samples are taken
    /// one at a time (the timer's too): when this returns, every alert raised by this or an earlier sample is in <see cref="Alerts"/>.
    /// </summary>
    /// <returns>The sample.</returns>
    public MemorySample Sample()
    {
        lock (_sampling)
        {
            return SampleCore();
        }
    }

    /// <summary>
    /// Makes the next sample the memory monitor's new baseline (after startup and warm-up) and takes it: the tracked history
    /// (<see cref="TrackedSamples"/>) starts here.
    /// </summary>
    /// <returns>The baseline sample.</returns>
    public MemorySample MarkBaseline()
    {
        lock (_sampling)
        {
            _memory.ResetBaseline();
            lock (_gate)
            {
                _trackingSince = Elapsed;
            }

            return SampleCore();
        }
    }

    private MemorySample SampleCore()
    {
        var stats = _memory.TrackMemory();
        var sample = new MemorySample(Elapsed, stats.CurrentUsage);
        bool raise;
        lock (_gate)
        {
            _samples.Add(sample);
            var threshold = MemoryAlertBytes;
            raise = stats.CurrentUsage >= threshold && !_memoryAlertActive;
            _memoryAlertActive = stats.CurrentUsage >= threshold;
        }

        if (raise)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"managed heap {stats.CurrentUsage / 1048576.0:0.0} MB is above the alert threshold of {MemoryAlertBytes / 1048576.0:0.0} MB");
            var cleanup = Cleanup(reason);
            Raise(new AssistantAlert(AlertKind.MemoryUsage, $"Memory usage alert: {reason}; automated clean-up {cleanup}.", sample.At, cleanup));
        }

        return sample;
    }

    /// <summary>Raises a slow-endpoint alert (once per endpoint) for every endpoint whose p95 is above the threshold.</summary>
    /// <param name="minimumCalls">Calls an endpoint needs before it is judged.</param>
    /// <returns>The alerts raised by this check.</returns>
    public IReadOnlyList<AssistantAlert> CheckEndpoints(int minimumCalls = 3)
    {
        var raised = new List<AssistantAlert>();
        foreach (var (endpoint, stats) in _api.GetEndpointStats())
        {
            if (stats.Requests < minimumCalls || stats.P95ResponseTime < _options.SlowEndpointThreshold)
            {
                continue;
            }

            lock (_gate)
            {
                if (!_slowEndpointsReported.Add(endpoint))
                {
                    continue;
                }
            }

            var alert = new AssistantAlert(
                AlertKind.SlowEndpoint,
                string.Create(CultureInfo.InvariantCulture, $"Slow endpoint alert: {endpoint} p95 {stats.P95ResponseTime.TotalMilliseconds:0} ms over {stats.Requests} calls is above the {_options.SlowEndpointThreshold.TotalMilliseconds:0} ms threshold."),
                Elapsed,
                Cleanup: null);
            Raise(alert);
            raised.Add(alert);
        }

        return raised;
    }

    /// <summary>
    /// Signals memory pressure (the toolkit's caches trim their coldest entries, pools drop idle objects), collects garbage,
    /// and reports what was freed.
    /// </summary>
    /// <param name="reason">Why, for the pressure signal.</param>
    /// <returns>What was released.</returns>
    public CleanupResult Cleanup(string reason)
    {
        var entriesBefore = _caches.GetStats().Values.Sum(s => (long)s.Size);
        var drainedBefore = _pools.GetStats().Values.Sum(s => s.Drained);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        _memory.SignalMemoryPressure(MemoryPressureLevel.High, reason);
        MemoryMonitor.ForceGarbageCollection();
        var entriesAfter = _caches.GetStats().Values.Sum(s => (long)s.Size);
        var drainedAfter = _pools.GetStats().Values.Sum(s => s.Drained);
        return new CleanupResult(entriesBefore, entriesAfter, drainedAfter - drainedBefore, heapBefore, GC.GetTotalMemory(forceFullCollection: false));
    }

    /// <inheritdoc/>
    public void Dispose() => _timer?.Dispose();

    private TimeSpan Elapsed => _time.GetElapsedTime(_startTimestamp);

    private void Raise(AssistantAlert alert)
    {
        lock (_gate)
        {
            _alerts.Add(alert);
        }

        // The event name carries the kind, so log-based consumers (the live dashboard) can tell alerts apart.
        _logger.Log(LogLevel.Warning, new EventId((int)alert.Kind + 1, alert.Kind.ToString()), "{Alert}", alert.Message);
        AlertRaised?.Invoke(this, alert);
    }
}
