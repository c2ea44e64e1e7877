using GopiAI.Toolkit.AspNetCore.Dashboard;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.Startup;
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
    public void Tick_SustainedLeak_RaisesOneAlertPerEpisode()
    {
        // Baseline 10 MB, then 20 MB for many samples: DetectLeaks reports the leak at every analysis, with a sliding window.
        _memory.TrackMemory();
        _usage = 20 * Mb;
        for (var i = 0; i < 10; i++)
        {
            _memory.TrackMemory();
            _time.Advance(TimeSpan.FromSeconds(1));
            _sampler.Tick();
        }

        Assert.Single(_alerts.GetAlerts(), a => a.Kind == "MemoryLeakSuspected");
        Assert.Single(_sampler.Current.Memory.Leaks);

        // Back to normal, then a second episode.
        _usage = 10 * Mb;
        for (var i = 0; i < 6; i++)
        {
            _memory.TrackMemory();
            _time.Advance(TimeSpan.FromSeconds(1));
            _sampler.Tick();
        }

        Assert.Empty(_sampler.Current.Memory.Leaks);
        _usage = 25 * Mb;
        for (var i = 0; i < 6; i++)
        {
            _memory.TrackMemory();
            _time.Advance(TimeSpan.FromSeconds(1));
            _sampler.Tick();
        }

        Assert.Equal(2, _alerts.GetAlerts().Count(a => a.Kind == "MemoryLeakSuspected"));
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
