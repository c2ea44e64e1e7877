using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// Tracks whether the distributed (L2) layer answers, counts its failures on the <c>GopiAI.Toolkit.Caching</c> meter
/// (<c>gopi.cache.l2.failures</c>, tags <c>layer=l2</c> and <c>operation</c>), logs once when an outage starts and once when it
/// ends, and tells callers to skip the L2 for <see cref="RetryAfter"/> after a failure so that an unreachable Redis costs
/// one bounded timeout per period rather than one per call.
/// </summary>
public sealed partial class DistributedCacheHealth : IDisposable
{
    /// <summary>The value of the <c>layer</c> tag on the L2 instruments.</summary>
    public const string LayerTag = "l2";

    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _failures;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _failureCount;
    private long _retryAtTimestamp;
    private long _outageStartedTimestamp;
    private long _outageFailures;
    private bool _down;

    /// <summary>Creates the health tracker.</summary>
    /// <param name="meterFactory">Creates the <c>GopiAI.Toolkit.Caching</c> meter; <see langword="null"/> uses a meter of its own.</param>
    /// <param name="logger">Receives the outage start and end lines; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public DistributedCacheHealth(IMeterFactory? meterFactory = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        var meter = meterFactory?.Create(CacheMetrics.MeterName, ToolkitInfo.Version);
        if (meter is null)
        {
            meter = _ownedMeter = new Meter(CacheMetrics.MeterName, ToolkitInfo.Version);
        }

        _failures = meter.CreateCounter<long>("gopi.cache.l2.failures", "{failure}", "Distributed-cache (L2) operations that failed or timed out; the call went on without the L2.");
        meter.CreateObservableGauge("gopi.cache.l2.available", () => new Measurement<int>(IsAvailable ? 1 : 0, new KeyValuePair<string, object?>("layer", LayerTag)), "{bool}", "1 while the distributed-cache layer answers, 0 during an outage.");
        Logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets or sets how long the L2 is skipped after a failure before it is tried again (default 1 second).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the logger for the outage lines.</summary>
    public ILogger Logger { get; set; }

    /// <summary>Gets the number of L2 failures recorded since creation.</summary>
    public long Failures => Interlocked.Read(ref _failureCount);

    /// <summary>Gets a value indicating whether the last L2 operation succeeded (no outage in progress).</summary>
    public bool IsAvailable => !Volatile.Read(ref _down);

    /// <summary>Gets a value indicating whether the L2 should be tried now: it is up, or the retry period after the last failure has passed.</summary>
    public bool ShouldTry => !Volatile.Read(ref _down) || _time.GetTimestamp() >= Interlocked.Read(ref _retryAtTimestamp);

    /// <summary>Records a failed L2 operation: counts it, starts an outage (one warning) if none is in progress.</summary>
    /// <param name="operation">The operation (<c>get</c>, <c>set</c>, <c>remove</c>, <c>publish</c>, <c>decode</c>…), used as a metric tag.</param>
    /// <param name="exception">The failure; its message is logged once per outage (never a cached value).</param>
    public void RecordFailure(string operation, Exception exception)
    {
        Interlocked.Increment(ref _failureCount);
        _failures.Add(1, new KeyValuePair<string, object?>("layer", LayerTag), new KeyValuePair<string, object?>("operation", operation));
        var now = _time.GetTimestamp();
        bool started;
        lock (_gate)
        {
            Interlocked.Exchange(ref _retryAtTimestamp, now + (long)(RetryAfter.TotalSeconds * _time.TimestampFrequency));
            _outageFailures++;
            started = !_down;
            if (started)
            {
                _down = true;
                _outageStartedTimestamp = now;
            }
        }

        if (started)
        {
            Log.OutageStarted(Logger, operation, exception.GetType().Name, exception.Message);
        }
    }

    /// <summary>Records a successful L2 operation: ends an outage in progress (one information line).</summary>
    public void RecordSuccess()
    {
        if (!Volatile.Read(ref _down))
        {
            return;
        }

        TimeSpan duration;
        long failures;
        lock (_gate)
        {
            if (!_down)
            {
                return;
            }

            _down = false;
            duration = _time.GetElapsedTime(_outageStartedTimestamp);
            failures = _outageFailures;
            _outageFailures = 0;
        }

        Log.OutageEnded(Logger, duration.TotalSeconds, failures);
    }

    /// <summary>Disposes the meter this instance created (when no factory was given).</summary>
    public void Dispose() => _ownedMeter?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Distributed cache (L2) unavailable ({Operation} failed with {ExceptionType}: {Message}); calls go on with the in-process cache and the method itself until it answers again.")]
        public static partial void OutageStarted(ILogger logger, string operation, string exceptionType, string message);

        [LoggerMessage(2, LogLevel.Information, "Distributed cache (L2) available again after {Seconds:F1} s and {Failures} failed operations.")]
        public static partial void OutageEnded(ILogger logger, double seconds, long failures);
    }
}
