using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.Samples.Assistant;
using GopiAI.Toolkit.Samples.Assistant.Monitoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Samples.Tests.Assistant;

public sealed class ResourceWatchdogTests : IDisposable
{
    private const long Mb = 1024 * 1024;
    private readonly FakeTimeProvider _time = new();
    private readonly MemoryMonitor _memory;
    private readonly ApiPerformanceMonitor _api;
    private readonly CacheManager _caches;
    private readonly ResourcePoolManager _pools;
    private readonly ListLogger _logger = new();
    private long _usage = 100 * Mb;

    public ResourceWatchdogTests()
    {
        _memory = new MemoryMonitor(new MemoryMonitorOptions(), _time, meterFactory: null, usageProvider: () => Interlocked.Read(ref _usage));
        _api = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions(), _time);
        _caches = new CacheManager(new CacheManagerOptions(), _time, meterFactory: null, _memory);
        _pools = new ResourcePoolManager(new ResourcePoolManagerOptions(), _time, meterFactory: null, _memory);
    }

    [Fact]
    public void Sample_BelowThreshold_RaisesNothing()
    {
        using var watchdog = Create(new AlertOptions { MemoryAlertBytes = 200 * Mb });

        var sample = watchdog.Sample();

        Assert.Equal(100 * Mb, sample.Bytes);
        Assert.Empty(watchdog.Alerts);
        Assert.Empty(_logger.Warnings);
    }

    [Fact]
    public void Sample_AboveThreshold_RaisesOneAlertTrimsCachesAndLogsAWarning()
    {
        for (var i = 0; i < 40; i++)
        {
            _caches.Set("tools", i, "value " + i);
        }

        using var watchdog = Create(new AlertOptions { MemoryAlertBytes = 200 * Mb });
        var raised = new List<AssistantAlert>();
        watchdog.AlertRaised += (_, alert) => raised.Add(alert);
        Interlocked.Exchange(ref _usage, 250 * Mb);

        watchdog.Sample();
        watchdog.Sample();

        var alert = Assert.Single(raised);
        Assert.Equal(AlertKind.MemoryUsage, alert.Kind);
        Assert.NotNull(alert.Cleanup);
        Assert.Equal(40, alert.Cleanup.CacheEntriesBefore);
        Assert.True(alert.Cleanup.CacheEntriesTrimmed > 0, alert.Cleanup.ToString());
        Assert.Equal(alert.Cleanup.CacheEntriesAfter, _caches.GetStats()["tools"].Size);
        Assert.Contains(_logger.Warnings, w => w.Contains("Memory usage alert", StringComparison.Ordinal));
    }

    [Fact]
    public void Sample_DropsBelowThenRisesAgain_RaisesASecondAlert()
    {
        using var watchdog = Create(new AlertOptions { MemoryAlertBytes = 200 * Mb });

        Interlocked.Exchange(ref _usage, 250 * Mb);
        watchdog.Sample();
        Interlocked.Exchange(ref _usage, 150 * Mb);
        watchdog.Sample();
        Interlocked.Exchange(ref _usage, 260 * Mb);
        watchdog.Sample();

        Assert.Equal(2, watchdog.Alerts.Count(a => a.Kind == AlertKind.MemoryUsage));
    }

    [Fact]
    public void CheckEndpoints_SlowP95_RaisesOncePerEndpoint()
    {
        using var watchdog = Create(new AlertOptions { SlowEndpointThreshold = TimeSpan.FromMilliseconds(100) });
        for (var i = 0; i < 5; i++)
        {
            _api.RecordRequest("slow", TimeSpan.FromMilliseconds(400), success: true);
            _api.RecordRequest("fast", TimeSpan.FromMilliseconds(2), success: true);
        }

        var first = watchdog.CheckEndpoints();
        var second = watchdog.CheckEndpoints();

        var alert = Assert.Single(first);
        Assert.Equal(AlertKind.SlowEndpoint, alert.Kind);
        Assert.Contains("slow", alert.Message, StringComparison.Ordinal);
        Assert.Empty(second);
        Assert.Single(_logger.Warnings);
    }

    [Fact]
    public void Start_TimeAdvances_SamplesOnEveryInterval()
    {
        using var watchdog = Create(new AlertOptions { SampleInterval = TimeSpan.FromSeconds(1) });

        watchdog.Start();
        _time.Advance(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(3, watchdog.Samples.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), watchdog.Samples[^1].At);
    }

    [Fact]
    public async Task Sample_WhileTheTimersSampleCleansUp_ReturnsWithThatAlertInAlerts()
    {
        using var watchdog = Create(new AlertOptions { MemoryAlertBytes = 200 * Mb, SampleInterval = TimeSpan.FromSeconds(1) });
        using var cleaningUp = new ManualResetEventSlim();
        using var finishCleanup = new ManualResetEventSlim();
        var pressureSignals = 0;
        _memory.MemoryPressure += (_, _) =>
        {
            // Hold the first clean-up (the timer's) open while another caller samples.
            if (Interlocked.Increment(ref pressureSignals) == 1)
            {
                cleaningUp.Set();
                finishCleanup.Wait();
            }
        };
        watchdog.Start();
        Interlocked.Exchange(ref _usage, 250 * Mb);

        var timerTick = Task.Run(() => _time.Advance(TimeSpan.FromSeconds(1)));
        cleaningUp.Wait();
        var alertsSeenByCaller = -1;
        var caller = new Thread(() =>
        {
            watchdog.Sample();
            alertsSeenByCaller = watchdog.Alerts.Count(a => a.Kind == AlertKind.MemoryUsage);
        });
        caller.Start();

        // Until the caller has either returned or is waiting: a caller that returns before the timer's alert is recorded is the bug.
        SpinWait.SpinUntil(() => (caller.ThreadState & (ThreadState.WaitSleepJoin | ThreadState.Stopped)) != 0);
        finishCleanup.Set();
        await timerTick;
        caller.Join();

        Assert.Equal(1, alertsSeenByCaller);
        Assert.Single(watchdog.Alerts, a => a.Kind == AlertKind.MemoryUsage);
    }

    [Fact]
    public void MemoryAlertBytes_Zero_ThrowsArgumentOutOfRange()
    {
        using var watchdog = Create(new AlertOptions());

        Assert.Throws<ArgumentOutOfRangeException>(() => watchdog.MemoryAlertBytes = 0);
    }

    public void Dispose()
    {
        _pools.Dispose();
        _caches.Dispose();
        _api.Dispose();
        _memory.Dispose();
    }

    private ResourceWatchdog Create(AlertOptions options) => new(options, _memory, _api, _caches, _pools, _logger, _time);

    private sealed class ListLogger : ILogger
    {
        private readonly List<string> _warnings = [];

        public IReadOnlyList<string> Warnings
        {
            get
            {
                lock (_warnings)
                {
                    return [.. _warnings];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                lock (_warnings)
                {
                    _warnings.Add(formatter(state, exception));
                }
            }
        }
    }
}
