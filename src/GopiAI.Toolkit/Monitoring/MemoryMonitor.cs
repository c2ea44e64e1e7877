using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime;
using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.Monitoring;

/// <summary>
/// Samples process memory, keeps a bounded history, detects sustained growth (leaks), forces full compacting collections
/// on request, publishes gauges on the <c>GopiAI.Toolkit.Memory</c> meter, raises <see cref="MemoryPressure"/> so that
/// caches and pools can shed memory, and raises <see cref="AlertRaised"/> when growth goes beyond the leak threshold.
/// </summary>
public sealed partial class MemoryMonitor : IDisposable
{
    // The shared monitor samples on its own, so that the shared caches and pools react to memory pressure without any setup.
    private static readonly Lazy<MemoryMonitor> s_shared = new(() => new MemoryMonitor(new MemoryMonitorOptions { SamplingInterval = SharedSamplingInterval }, null, null, null, isShared: true));

    private readonly MemoryMonitorOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<long> _usage;
    private readonly Queue<MemoryStats> _history = new();
    private readonly Lock _gate = new();
    private readonly Meter? _ownedMeter;
    private readonly ITimer? _timer;
    private readonly bool _isShared;
    private long _baseline = -1;
    private long _peak;
    private MemoryStats? _last;
    private bool _disposed;

    /// <summary>Creates a monitor with default options (no automatic sampling).</summary>
    public MemoryMonitor()
        : this(new MemoryMonitorOptions())
    {
    }

    /// <summary>Creates a monitor.</summary>
    /// <param name="options">Thresholds, history size and sampling interval.</param>
    /// <param name="timeProvider">The time source for timestamps and the sampling timer; <see langword="null"/> means <see cref="TimeProvider.System"/>.</param>
    /// <param name="meterFactory">Creates the <c>GopiAI.Toolkit.Memory</c> meter; <see langword="null"/> uses a meter owned by this monitor.</param>
    /// <param name="usageProvider">Measures memory in bytes; <see langword="null"/> uses <see cref="GC.GetTotalMemory(bool)"/>. Tests inject figures here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the exception names it.</exception>
    public MemoryMonitor(MemoryMonitorOptions options, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null, Func<long>? usageProvider = null)
        : this(options, timeProvider, meterFactory, usageProvider, isShared: false)
    {
    }

    private MemoryMonitor(MemoryMonitorOptions options, TimeProvider? timeProvider, IMeterFactory? meterFactory, Func<long>? usageProvider, bool isShared)
    {
        Throw.IfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _usage = usageProvider ?? (static () => GC.GetTotalMemory(forceFullCollection: false));
        _isShared = isShared;

        Meter meter;
        if (meterFactory is not null)
        {
            meter = meterFactory.Create(ToolkitInfo.MemoryMeterName, ToolkitInfo.Version);
        }
        else
        {
            meter = _ownedMeter = new Meter(ToolkitInfo.MemoryMeterName, ToolkitInfo.Version);
        }

        meter.CreateObservableGauge("gopi.memory.heap_size", () => GC.GetTotalMemory(false), "By", "Managed heap bytes in use.");
        meter.CreateObservableGauge("gopi.memory.working_set", () => Environment.WorkingSet, "By", "Process working set.");
        meter.CreateObservableGauge("gopi.memory.peak_usage", () => Volatile.Read(ref _peak), "By", "Highest usage sampled by the monitor.");
        meter.CreateObservableGauge("gopi.memory.growth_factor", () => _last?.GrowthFactor ?? 1.0, "1", "Last sample divided by the baseline.");
        meter.CreateObservableCounter("gopi.memory.gc_collections", () => TotalCollections(), "{collection}", "Garbage collections of all generations.");
        _alertLog = new AlertLog(meter);

        if (options.SamplingInterval is { } interval)
        {
            _timer = _time.CreateTimer(static state => ((MemoryMonitor)state!).OnTimer(), this, interval, interval);
        }
    }

    /// <summary>The sampling interval of <see cref="Shared"/> (30 seconds).</summary>
    public static readonly TimeSpan SharedSamplingInterval = TimeSpan.FromSeconds(30);

    /// <summary>Occurs when memory is scarce (from a sample, a machine-load check, or <see cref="SignalMemoryPressure"/>). Caches and pools subscribe to shed memory.</summary>
    public event EventHandler<MemoryPressureEventArgs>? MemoryPressure;

    /// <summary>Gets the process-wide monitor that <see cref="Caching.CacheManager.Shared"/> and <see cref="Pooling.ResourcePoolManager.Shared"/> listen to; it samples every <see cref="SharedSamplingInterval"/>.</summary>
    public static MemoryMonitor Shared => s_shared.Value;

    /// <summary>Gets the options in use.</summary>
    public MemoryMonitorOptions Options => _options;

    /// <summary>Gets the most recent sample, or <see langword="null"/> before the first one.</summary>
    public MemoryStats? LastSample
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>Takes a sample, appends it to the bounded history and checks for memory pressure.</summary>
    /// <returns>The sample.</returns>
    /// <exception cref="ObjectDisposedException">The monitor has been disposed.</exception>
    public MemoryStats TrackMemory()
    {
        Throw.IfDisposed(_disposed, this);
        var usage = _usage();
        MemoryStats stats;
        lock (_gate)
        {
            if (_baseline < 0)
            {
                _baseline = Math.Max(1, usage);
            }

            _peak = Math.Max(_peak, usage);
            var growth = (usage - _baseline) / (double)_baseline;
            stats = new MemoryStats(usage, _peak, _baseline, growth, TotalCollections(), Environment.WorkingSet, _time.GetUtcNow());
            _history.Enqueue(stats);
            while (_history.Count > _options.HistorySize)
            {
                _history.Dequeue();
            }

            _last = stats;
        }

        CheckPressure(stats);
        CheckGrowth(stats);
        return stats;
    }

    /// <summary>Returns the sampled history, oldest first (at most <see cref="MemoryMonitorOptions.HistorySize"/> samples).</summary>
    /// <returns>A snapshot of the history.</returns>
    public IReadOnlyList<MemoryStats> GetHistory()
    {
        lock (_gate)
        {
            return [.. _history];
        }
    }

    /// <summary>Makes the next sample the new baseline (e.g. after warm-up) and forgets the history.</summary>
    public void ResetBaseline()
    {
        lock (_gate)
        {
            _baseline = -1;
            _peak = 0;
            _history.Clear();
            _last = null;
            _growthAlertActive = false;
        }
    }

    /// <summary>
    /// Reports sustained growth: the last <see cref="MemoryMonitorOptions.SustainedSamples"/> samples all exceed
    /// <see cref="MemoryMonitorOptions.LeakThreshold"/> × baseline and the usage did not fall across them. Each result carries the evidence.
    /// </summary>
    /// <returns>The suspected leaks; empty when memory is stable or there are too few samples.</returns>
    public IReadOnlyList<MemoryLeak> DetectLeaks()
    {
        MemoryStats[] recent;
        lock (_gate)
        {
            if (_history.Count < _options.SustainedSamples)
            {
                return [];
            }

            recent = [.. _history.Skip(_history.Count - _options.SustainedSamples)];
        }

        var first = recent[0];
        var last = recent[^1];
        var threshold = _options.LeakThreshold;
        if (!recent.All(s => s.GrowthFactor > threshold) || last.CurrentUsage < first.CurrentUsage)
        {
            return [];
        }

        var evidence =
            $"Managed memory stayed above {threshold:0.##}x the baseline for the last {recent.Length} samples " +
            $"({first.Timestamp:O} .. {last.Timestamp:O}): baseline {Format(last.BaselineUsage)}, " +
            $"now {Format(last.CurrentUsage)} ({last.GrowthFactor:0.00}x), rising from {Format(first.CurrentUsage)}; " +
            $"peak {Format(last.PeakUsage)}, {last.GcCollections - first.GcCollections} GCs in between did not reclaim it.";
        return [new MemoryLeak("managed heap", last.BaselineUsage, last.CurrentUsage, last.GrowthFactor, recent.Length, first.Timestamp, evidence)];
    }

    /// <summary>Takes a sample and writes it to <paramref name="logger"/> at Information level (growth above the leak threshold at Warning).</summary>
    /// <param name="logger">The logger.</param>
    /// <returns>The sample that was logged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="logger"/> is <see langword="null"/>.</exception>
    public MemoryStats LogMemoryStats(ILogger logger)
    {
        Throw.IfNull(logger);
        var stats = TrackMemory();
        if (stats.GrowthFactor > _options.LeakThreshold)
        {
            LogGrowth(logger, stats.CurrentUsage / 1024 / 1024, stats.BaselineUsage / 1024 / 1024, stats.GrowthFactor);
        }
        else
        {
            LogStats(logger, stats.CurrentUsage / 1024 / 1024, stats.PeakUsage / 1024 / 1024, stats.BaselineUsage / 1024 / 1024, stats.GrowthRate * 100, stats.GcCollections, stats.WorkingSet / 1024 / 1024);
        }

        return stats;
    }

    /// <summary>
    /// Runs a full, blocking, compacting collection of all generations, compacting the large object heap once, waits for
    /// finalizers and collects again. Expensive: for diagnostics, tests and after large one-off work, not for routine use.
    /// </summary>
    /// <returns>The bytes freed (managed heap before minus after; may be negative if other threads allocate).</returns>
    public static long ForceGarbageCollection()
    {
        var before = GC.GetTotalMemory(forceFullCollection: false);
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return before - GC.GetTotalMemory(forceFullCollection: false);
    }

    /// <summary>Raises <see cref="MemoryPressure"/> with <paramref name="level"/>, e.g. from an external signal or a test.</summary>
    /// <param name="level">The level to signal.</param>
    /// <param name="reason">Why; shown to subscribers.</param>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is null, empty or white space.</exception>
    public void SignalMemoryPressure(MemoryPressureLevel level, string reason)
    {
        Throw.IfNullOrWhiteSpace(reason);
        if (level != MemoryPressureLevel.None)
        {
            MemoryPressure?.Invoke(this, new MemoryPressureEventArgs(level, LastSample, reason));
        }
    }

    /// <summary>Stops automatic sampling and releases the meter. Ignored on <see cref="Shared"/>.</summary>
    public void Dispose()
    {
        if (_isShared || _disposed)
        {
            return;
        }

        _disposed = true;
        _timer?.Dispose();
        _ownedMeter?.Dispose();
        MemoryPressure = null;
        AlertRaised = null;
    }

    private static int TotalCollections()
    {
        var total = 0;
        for (var gen = 0; gen <= GC.MaxGeneration; gen++)
        {
            total += GC.CollectionCount(gen);
        }

        return total;
    }

    private static string Format(long bytes) => $"{bytes / 1024.0 / 1024.0:0.0} MiB";

    private void OnTimer()
    {
        if (!_disposed)
        {
            TrackMemory();
        }
    }

    private void CheckPressure(MemoryStats stats)
    {
        var level = MemoryPressureLevel.None;
        string? reason = null;
        if (_options.HeapLimitBytes is { } limit && stats.CurrentUsage > limit)
        {
            level = stats.CurrentUsage > limit * 1.25 ? MemoryPressureLevel.Critical : MemoryPressureLevel.High;
            reason = $"managed usage {Format(stats.CurrentUsage)} is above the configured limit {Format(limit)}";
        }
        else
        {
            var info = GC.GetGCMemoryInfo();
            if (info.HighMemoryLoadThresholdBytes > 0 && info.MemoryLoadBytes > 0)
            {
                var ratio = info.MemoryLoadBytes / (double)info.HighMemoryLoadThresholdBytes;
                if (ratio >= _options.PressureLoadRatio)
                {
                    level = ratio >= 1.0 ? MemoryPressureLevel.Critical : ratio >= 0.95 ? MemoryPressureLevel.High : MemoryPressureLevel.Moderate;
                    reason = $"memory load is {ratio:P0} of the GC's high-load threshold";
                }
            }
        }

        if (level != MemoryPressureLevel.None)
        {
            MemoryPressure?.Invoke(this, new MemoryPressureEventArgs(level, stats, reason!));
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Memory: {CurrentMiB} MiB in use (peak {PeakMiB} MiB, baseline {BaselineMiB} MiB, growth {GrowthPercent:0.0} %), {GcCollections} GCs, working set {WorkingSetMiB} MiB")]
    private static partial void LogStats(ILogger logger, long currentMiB, long peakMiB, long baselineMiB, double growthPercent, int gcCollections, long workingSetMiB);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Memory: {CurrentMiB} MiB in use is {GrowthFactor:0.00}x the baseline of {BaselineMiB} MiB; call DetectLeaks() for evidence")]
    private static partial void LogGrowth(ILogger logger, long currentMiB, long baselineMiB, double growthFactor);
}
