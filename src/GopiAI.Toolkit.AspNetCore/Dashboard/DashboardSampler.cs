using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GopiAI.Toolkit.Monitoring;
using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>
/// Samples the runtime every <see cref="GopiDashboardOptions.SampleInterval"/> into an immutable
/// <see cref="DashboardSnapshot"/>, keeps the time series, turns monitor signals into alerts and clean-ups, and wakes the
/// event streams. Read-only towards the runtime: it never takes a memory sample, resets a baseline or measures CPU
/// "since the previous call" on a monitor, so it changes no figure that someone else reports.
/// </summary>
internal sealed partial class DashboardSampler : IAsyncDisposable
{
    private static readonly JsonSerializerOptions s_sectionJson = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset s_processStart = ProcessStart();

    private readonly GopiDashboardOptions _options;
    private readonly DashboardRuntime _runtime;
    private readonly DashboardAlerts _alerts;
    private readonly IReadOnlyList<IDashboardStatisticsSource> _sources;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly DashboardHistory _history;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private readonly Lock _tickGate = new();
    private readonly Dictionary<long, long> _drainedBeforeCleanup = [];
    private readonly IResourceAlertSource[] _alertSources;
    private TaskCompletionSource _nextTick = NewSignal();
    private DashboardSection[] _sections;
    private DashboardSnapshot _current;
    private Task _loops = Task.CompletedTask;
    private long _sequence;
    private long _lastTotalRequests;
    private long _lastTickTimestamp;
    private TimeSpan _lastCpu;
    private long _lastCacheEntries;
    private long _previousCacheEntries;
    private long _lastDrained;
    private long _previousDrained;
    private long _peakHeap;
    private long _lastAnalysisTimestamp;
    private IReadOnlyList<DashboardBottleneck> _bottlenecks = [];
    private IReadOnlyList<DashboardSuggestion> _suggestions = [];
    private IReadOnlyList<DashboardLeak> _leaks = [];
    private int _started;
    private int _stopped;

    public DashboardSampler(
        GopiDashboardOptions options,
        DashboardRuntime runtime,
        DashboardAlerts alerts,
        IReadOnlyList<IDashboardStatisticsSource> sources,
        ILogger logger,
        IEnumerable<IResourceAlertSource>? alertSources = null)
    {
        _options = options;
        _runtime = runtime;
        _alerts = alerts;
        _sources = sources;
        _logger = logger;
        _time = options.TimeProvider;
        _history = new DashboardHistory(options.HistoryLength);
        _stoppingToken = _stopping.Token;
        _sections = [.. sources.Select(s => new DashboardSection(s.Name, s.Title, null, null, null))];
        Instance = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
        _lastTickTimestamp = _time.GetTimestamp();
        _lastCpu = Environment.CpuUsage.TotalTime;
        _lastTotalRequests = runtime.Api.TotalRequests;
        _runtime.Memory.MemoryPressure += OnMemoryPressure;

        // Every alert source the dashboard reads: the two monitors and any other registered one. Alerts raised before the
        // dashboard started (during startup, say) come from their histories.
        _alertSources = [.. new IResourceAlertSource[] { runtime.Api, runtime.Memory }.Concat(alertSources ?? []).Distinct()];
        foreach (var source in _alertSources)
        {
            foreach (var alert in source.GetAlerts())
            {
                _alerts.Report(alert, source.GetType().Name);
            }

            source.AlertRaised += OnResourceAlert;
        }

        _current = Build(0, 0, 0, _lastTotalRequests);
    }

    /// <summary>Gets the random id of this dashboard instance (the prefix of every event id).</summary>
    public string Instance { get; }

    public GopiDashboardOptions Options => _options;

    /// <summary>Gets a token that is cancelled when the dashboard stops; event streams end then.</summary>
    public CancellationToken Stopping => _stoppingToken;

    /// <summary>Gets the latest snapshot, without its time series.</summary>
    public DashboardSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Starts the sampling and statistics loops (once).</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _loops = Task.WhenAll(
                Task.Run(() => SampleLoopAsync(_stoppingToken)),
                Task.Run(() => StatisticsLoopAsync(_stoppingToken)));
        }
    }

    /// <summary>Returns the latest snapshot with the whole time series.</summary>
    public DashboardSnapshot GetSnapshot()
    {
        var state = Current;
        return state with { Series = DashboardEventStream.UpTo(_history.All(), state.Sequence) };
    }

    /// <summary>Returns every kept point, oldest first.</summary>
    public IReadOnlyList<DashboardPoint> AllPoints() => _history.All();

    /// <summary>Returns the points after tick <paramref name="sequence"/>, or <see langword="null"/> when some were dropped.</summary>
    public IReadOnlyList<DashboardPoint>? PointsAfter(long sequence) => _history.After(sequence);

    /// <summary>Completes when a tick newer than <paramref name="sequence"/> has been published.</summary>
    public async Task WaitForTickAfterAsync(long sequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _nextTick);
            if (Current.Sequence > sequence)
            {
                return;
            }

            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Samples once, now: builds and publishes the next snapshot. The loop calls it; tests and benchmarks may too.</summary>
    public DashboardSnapshot Tick()
    {
        lock (_tickGate)
        {
            var now = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(_lastTickTimestamp, now);
            _lastTickTimestamp = now;
            var cpu = Environment.CpuUsage.TotalTime;
            var cpuPercent = elapsed <= TimeSpan.Zero ? 0 : Math.Clamp(100 * (cpu - _lastCpu).TotalMilliseconds / (elapsed.TotalMilliseconds * Environment.ProcessorCount), 0, 100);
            _lastCpu = cpu;
            var total = _runtime.Api.TotalRequests;
            var callsPerSecond = elapsed <= TimeSpan.Zero ? 0 : Math.Max(0, total - _lastTotalRequests) / elapsed.TotalSeconds;
            _lastTotalRequests = total;

            if (_time.GetElapsedTime(_lastAnalysisTimestamp, now) >= _options.AnalysisInterval || _sequence == 0)
            {
                _lastAnalysisTimestamp = now;
                Analyze();
            }

            var snapshot = Build(_sequence + 1, cpuPercent, callsPerSecond, total);
            var cacheEntries = snapshot.Caches.Sum(c => (long)c.Size);
            var drained = snapshot.Pools.Sum(p => p.Drained);
            CompleteCleanups(cacheEntries, drained);
            lock (_drainedBeforeCleanup)
            {
                _previousCacheEntries = _lastCacheEntries;
                _previousDrained = _lastDrained;
                _lastCacheEntries = cacheEntries;
                _lastDrained = drained;
            }

            var point = new DashboardPoint(
                snapshot.Sequence,
                snapshot.Timestamp.ToUnixTimeMilliseconds(),
                snapshot.Memory.HeapBytes,
                snapshot.Memory.WorkingSetBytes,
                callsPerSecond,
                ErrorRate(snapshot.Endpoints.Items),
                snapshot.Memory.Gc.Gen0 + snapshot.Memory.Gc.Gen1 + snapshot.Memory.Gc.Gen2,
                cpuPercent);
            _history.Add(point);
            _sequence = snapshot.Sequence;
            Volatile.Write(ref _current, snapshot);
            Interlocked.Exchange(ref _nextTick, NewSignal()).TrySetResult();
            return snapshot;
        }
    }

    /// <summary>Reads every statistics source once (the statistics loop calls it).</summary>
    public async Task RefreshSectionsAsync(CancellationToken cancellationToken)
    {
        var sections = new DashboardSection[_sources.Count];
        for (var i = 0; i < _sources.Count; i++)
        {
            var source = _sources[i];
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.StatisticsInterval);
                var value = await source.GetStatisticsAsync(timeout.Token).ConfigureAwait(false);
                JsonElement? data = value is null ? null : JsonSerializer.SerializeToElement(value, value.GetType(), s_sectionJson);
                sections[i] = new DashboardSection(source.Name, source.Title, data, null, _time.GetUtcNow());
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                sections[i] = new DashboardSection(source.Name, source.Title, null, $"{ex.GetType().Name}: {ex.Message}", _time.GetUtcNow());
            }
        }

        Volatile.Write(ref _sections, sections);
    }

    /// <summary>Stops sampling and ends the event streams; the last snapshot stays readable.</summary>
    public void Stop()
    {
        _runtime.Memory.MemoryPressure -= OnMemoryPressure;
        foreach (var source in _alertSources)
        {
            source.AlertRaised -= OnResourceAlert;
        }

        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _stopping.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loops end by cancellation.
        }

        _stopping.Dispose();
    }

    private static DateTimeOffset ProcessStart()
    {
        using var process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static double ErrorRate(IReadOnlyList<DashboardEndpoint> endpoints)
    {
        long calls = 0, errors = 0;
        foreach (var e in endpoints)
        {
            calls += e.Calls;
            errors += e.Errors;
        }

        return calls == 0 ? 0 : (double)errors / calls;
    }

    private DashboardSnapshot Build(long sequence, double cpuPercent, double callsPerSecond, long totalRequests)
    {
        var memory = _runtime.Memory;
        var last = memory.LastSample;
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        _peakHeap = Math.Max(_peakHeap, heap);
        var info = GC.GetGCMemoryInfo();
        var leakFactor = memory.Options.LeakThreshold;
        var memorySection = new DashboardMemory(
            heap,
            Environment.WorkingSet,
            Math.Max(_peakHeap, last?.PeakUsage ?? 0),
            last?.BaselineUsage,
            last is null ? null : (long)(last.BaselineUsage * leakFactor),
            leakFactor,
            last?.GrowthFactor,
            GC.GetTotalAllocatedBytes(precise: false),
            info.FragmentedBytes,
            info.MemoryLoadBytes,
            info.HighMemoryLoadThresholdBytes,
            new DashboardGc(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), info.PauseTimePercentage, GC.GetTotalPauseDuration().TotalMilliseconds),
            _leaks);

        var api = _runtime.Api;
        return new DashboardSnapshot(
            DashboardSnapshot.CurrentSchemaVersion,
            Instance,
            sequence,
            _time.GetUtcNow(),
            Math.Max(0, (_time.GetUtcNow() - s_processStart).TotalSeconds),
            _options.SampleInterval.TotalMilliseconds,
            new DashboardProcess(Environment.ProcessorCount, cpuPercent, ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount, Monitor.LockContentionCount),
            memorySection,
            DashboardMapping.Caches(_runtime.Caches.GetStats()),
            DashboardMapping.Pools(_runtime.Pools.GetStats()),
            new DashboardEndpoints(Percentiles.Method, api.Options.WindowSize, totalRequests, callsPerSecond, DashboardMapping.Endpoints(api.GetEndpointStats())),
            _alerts.GetAlerts(),
            _alerts.GetCleanups(),
            _bottlenecks,
            _suggestions,
            DashboardMapping.Startup(_runtime.Startup.GetStartupReport()),
            Volatile.Read(ref _sections),
            []);
    }

    /// <summary>Recomputes bottlenecks, suggestions and suspected leaks (shown as state; the monitors raise the alerts).</summary>
    private void Analyze()
    {
        _bottlenecks = [.. _runtime.Api.IdentifyBottlenecks().Select(DashboardMapping.Bottleneck)];
        _suggestions = [.. _runtime.Api.SuggestOptimizations().Select(DashboardMapping.Suggestion)];
        _leaks = [.. _runtime.Memory.DetectLeaks().Select(DashboardMapping.Leak)];
    }

    private void OnResourceAlert(object? sender, ResourceAlert alert) =>
        _alerts.Report(alert, sender?.GetType().Name ?? nameof(IResourceAlertSource));

    private void OnMemoryPressure(object? sender, MemoryPressureEventArgs e)
    {
        _alerts.Report("MemoryPressure", string.Create(CultureInfo.InvariantCulture, $"{e.Level} memory pressure: {e.Reason}"), DashboardMapping.Severity(e.Level), nameof(MemoryMonitor));
        lock (_drainedBeforeCleanup)
        {
            // The caches and pools react to the signal before this handler runs, and a tick may land in between: of the last
            // two ticks, trimming can only have lowered the entries and raised the drained count.
            var cleanup = _alerts.AddCleanup(e.Level.ToString(), e.Reason, Math.Max(_lastCacheEntries, _previousCacheEntries));
            _drainedBeforeCleanup[cleanup.Id] = Math.Min(_lastDrained, _previousDrained);
        }
    }

    private void CompleteCleanups(long cacheEntries, long drained)
    {
        lock (_drainedBeforeCleanup)
        {
            if (_drainedBeforeCleanup.Count == 0)
            {
                return;
            }

            _alerts.CompleteCleanups(cacheEntries, c => _drainedBeforeCleanup.TryGetValue(c.Id, out var before) ? Math.Max(0, drained - before) : 0);
            _drainedBeforeCleanup.Clear();
        }
    }

    private async Task SampleLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.SampleInterval, _time);
        do
        {
            try
            {
                Tick();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSamplingFailed(_logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task StatisticsLoopAsync(CancellationToken cancellationToken)
    {
        if (_sources.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.StatisticsInterval, _time);
        do
        {
            await RefreshSectionsAsync(cancellationToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The GopiAI dashboard could not sample the runtime; it tries again at the next tick")]
    private static partial void LogSamplingFailed(ILogger logger, Exception exception);
}
