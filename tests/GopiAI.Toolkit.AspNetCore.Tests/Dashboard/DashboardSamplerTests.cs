using GopiAI.Toolkit.AspNetCore.Dashboard;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.Startup;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.AspNetCore.Tests.Dashboard;

/// <summary>The sampler on its own, ticked by hand against a fake clock and injected memory figures.</summary>
public sealed class DashboardSamplerTests : IAsyncLifetime
{
    private const long Mb = 1024 * 1024;
    private readonly FakeTimeProvider _time = new();
    private readonly MemoryMonitor _memory;
    private readonly ApiPerformanceMonitor _api;
    private readonly CacheManager _caches;
    private readonly ResourcePoolManager _pools;
    private readonly StartupOptimizer _startup;
    private readonly DashboardAlerts _alerts;
    private readonly DashboardSampler _sampler;
    private long _usage = 10 * Mb;

    public DashboardSamplerTests()
    {
        _memory = new MemoryMonitor(new MemoryMonitorOptions(), _time, meterFactory: null, usageProvider: () => _usage);
        _api = new ApiPerformanceMonitor(new ApiPerformanceMonitorOptions(), _time);
        _caches = new CacheManager(new CacheManagerOptions(), _time, meterFactory: null, _memory);
        _pools = new ResourcePoolManager(new ResourcePoolManagerOptions(), _time, meterFactory: null, _memory);
        _startup = new StartupOptimizer(new StartupOptimizerOptions(), _time);
        var options = new GopiDashboardOptions { TimeProvider = _time, AnalysisInterval = TimeSpan.FromSeconds(1), HistoryLength = 5 };
        _alerts = new DashboardAlerts(_time, 100);
        _sampler = new DashboardSampler(options, new DashboardRuntime(_caches, _pools, _api, _memory, _startup), _alerts, [], NullLogger.Instance);
    }

    [Fact]
    public void Tick_Repeatedly_TakesNoMemorySampleAndChangesNoMonitorState()
    {
        _memory.TrackMemory();
        _api.RecordRequest("e", TimeSpan.FromMilliseconds(5), success: true);

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _sampler.Tick();
        }

        Assert.Single(_memory.GetHistory());
        Assert.Equal(1, _api.TotalRequests);
        Assert.Equal(5, _sampler.Current.Sequence);
    }

    [Fact]
    public async Task AlertRaised_MonitorAlertsBeforeAndAfterTheStart_AppearOnceEachAlsoWhenLogged()
    {
        // The monitor logs every alert (to the app's logger factory, which holds the dashboard's alert provider) and raises
        // it as an event: the dashboard keeps it once, structured, whatever its kind.
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new DashboardAlertLoggerProvider(_alerts)));
        _memory.AlertLogger = loggers.CreateLogger<MemoryMonitor>();
        _memory.TrackMemory();
        _usage = 20 * Mb;
        for (var i = 0; i < 6; i++)
        {
            _memory.TrackMemory();                   // growth alert #1, before the second dashboard instance starts
        }

        await using var late = new DashboardSampler(new GopiDashboardOptions { TimeProvider = _time }, new DashboardRuntime(_caches, _pools, _api, _memory, _startup), _alerts, [], NullLogger.Instance);
        _usage = 10 * Mb;
        _memory.TrackMemory();                       // the condition clears
        _usage = 25 * Mb;
        for (var i = 0; i < 6; i++)
        {
            _memory.TrackMemory();                   // growth alert #2, while both samplers listen
        }

        var growth = _alerts.GetAlerts().Where(a => a.Kind == nameof(ResourceAlertKind.MemoryGrowth)).ToArray();
        Assert.Equal(2, _memory.GetAlerts().Count);
        Assert.Equal(2, growth.Select(a => a.Message).Distinct().Count());
        Assert.All(growth, a => Assert.StartsWith(nameof(MemoryMonitor), a.Source, StringComparison.Ordinal));
        Assert.DoesNotContain(_alerts.GetAlerts(), a => a.Source.StartsWith("GopiAI.", StringComparison.Ordinal));
    }

    [Fact]
    public void Tick_CallsBetweenTicks_ReportsCallsPerSecondFromTheDelta()
    {
        _sampler.Tick();
        for (var i = 0; i < 30; i++)
        {
            _api.RecordRequest("e", TimeSpan.FromMilliseconds(1), success: i % 10 != 0);
        }

        _time.Advance(TimeSpan.FromSeconds(2));
        var snapshot = _sampler.Tick();

        Assert.Equal(15, snapshot.Endpoints.CallsPerSecond, 6);
        Assert.Equal(30, snapshot.Endpoints.TotalRequests);
        var point = _sampler.GetSnapshot().Series[^1];
        Assert.Equal(15, point.CallsPerSecond, 6);
        Assert.Equal(0.1, point.ErrorRate, 6);
    }

    [Fact]
    public void GetSnapshot_MoreTicksThanHistory_KeepsTheNewestPointsInOrder()
    {
        for (var i = 0; i < 8; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _sampler.Tick();
        }

        Assert.Equal([4L, 5, 6, 7, 8], _sampler.GetSnapshot().Series.Select(p => p.Sequence));
        Assert.Equal([7L, 8], _sampler.PointsAfter(6)!.Select(p => p.Sequence));
        Assert.Empty(_sampler.PointsAfter(8)!);
        Assert.Equal([4L, 5, 6, 7, 8], _sampler.PointsAfter(3)!.Select(p => p.Sequence));
        Assert.Null(_sampler.PointsAfter(2));
        Assert.Null(_sampler.PointsAfter(9));
    }

    [Fact]
    public async Task Tick_StartupRan_ReportsTasksAndComponentsByStartTime()
    {
        _startup.RegisterLazyLoader("model", () => new object(), new LazyLoaderOptions { Eager = true });
        _startup.AddStartupTask(new StartupTask("open", _ => Task.CompletedTask) { DependsOn = ["model"] });
        await _startup.InitializeApplicationAsync();

        var steps = _sampler.Tick().Startup.Steps;

        Assert.Equal(["model", "open"], steps.Select(s => s.Name));
        Assert.Equal(["component", "task"], steps.Select(s => s.Kind));
        Assert.Equal(["Loaded", nameof(StartupStepStatus.Succeeded)], steps.Select(s => s.Status));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _sampler.DisposeAsync();
        _caches.Dispose();
        _pools.Dispose();
        _api.Dispose();
        _memory.Dispose();
        await _startup.DisposeAsync();
    }
}
