using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Tests.Pooling;

public sealed class ResourcePoolManagerTests
{
    private readonly FakeTimeProvider _time = new();

    private ResourcePoolManager NewManager(MemoryMonitor? monitor = null, int maxPoolSize = 100) =>
        new(new ResourcePoolManagerOptions { MaxPoolSize = maxPoolSize }, _time, memoryMonitor: monitor);

    [Fact]
    public void GetObjectReturnObject_ReusesAndTracksStats()
    {
        using var manager = NewManager();

        var a = manager.GetObject<Buffer>();
        manager.ReturnObject(a);
        var b = manager.GetObject<Buffer>();

        Assert.Same(a, b);
        var stats = manager.GetStats()[nameof(Buffer)];
        Assert.Equal(1, stats.Created);
        Assert.Equal(2, stats.Rented);
        Assert.Equal(1, stats.Returned);
        Assert.Equal(1, stats.Outstanding);
    }

    [Fact]
    public void GetStats_GenericType_ReadableName()
    {
        using var manager = NewManager();
        manager.ReturnObject(manager.GetObject<Dictionary<string, List<int>>>());

        Assert.Contains("Dictionary<String,List<Int32>>", manager.GetStats().Keys);
    }

    [Fact]
    public void ReturnObject_PublicResetMethod_IsCalled()
    {
        using var manager = NewManager();
        var buffer = manager.GetObject<Buffer>();
        buffer.Data.Add(1);

        manager.ReturnObject(buffer);

        Assert.Empty(manager.GetObject<Buffer>().Data);
    }

    [Fact]
    public void ReturnObject_IResettable_IsUsed()
    {
        using var manager = NewManager();
        var item = manager.GetObject<ResettableItem>();
        item.Dirty = true;

        manager.ReturnObject(item);

        Assert.False(manager.GetObject<ResettableItem>().Dirty);
    }

    [Fact]
    public void MaxPoolSize_BoundsRetention()
    {
        using var manager = NewManager(maxPoolSize: 2);
        var items = Enumerable.Range(0, 5).Select(_ => manager.GetObject<Buffer>()).ToList();
        items.ForEach(manager.ReturnObject);

        var again = Enumerable.Range(0, 5).Select(_ => manager.GetObject<Buffer>()).ToList();

        Assert.Equal(2, again.Count(items.Contains));
        Assert.Equal(8, manager.GetStats()[nameof(Buffer)].Created);
    }

    [Fact]
    public void CleanupScheduler_IdlePool_DrainedAfterTwoIntervals()
    {
        using var manager = NewManager();
        var items = Enumerable.Range(0, 3).Select(_ => manager.GetObject<DisposableItem>()).ToList();
        items.ForEach(manager.ReturnObject);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.All(items, i => Assert.False(i.Disposed));
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.All(items, i => Assert.True(i.Disposed));
        Assert.Equal(3, manager.GetStats()[nameof(DisposableItem)].Drained);
    }

    [Fact]
    public void CleanupIdle_BusyPool_NotDrained()
    {
        using var manager = NewManager();
        manager.ReturnObject(manager.GetObject<Buffer>());
        manager.CleanupIdle();
        manager.ReturnObject(manager.GetObject<Buffer>());

        Assert.Equal(0, manager.CleanupIdle());
        Assert.Equal(1, manager.CleanupIdle());
    }

    [Fact]
    public void MemoryPressure_DrainsIdleObjects()
    {
        using var monitor = new MemoryMonitor(new MemoryMonitorOptions(), _time, usageProvider: () => 1);
        using var manager = NewManager(monitor);
        var item = manager.GetObject<DisposableItem>();
        manager.ReturnObject(item);

        monitor.SignalMemoryPressure(MemoryPressureLevel.Moderate, "test");

        Assert.True(item.Disposed);
    }

    [Fact]
    public void CreatePool_Named_ReportedAndReplaceable()
    {
        using var manager = NewManager();
        var pool = manager.CreatePool("sb", () => new System.Text.StringBuilder(), sb => sb.Clear(), 3);
        pool.Return(pool.Get());

        Assert.Equal(3, manager.GetStats()["sb"].MaxRetained);
        var replacement = manager.CreatePool("sb", () => new System.Text.StringBuilder());
        Assert.Equal(100, manager.GetStats()["sb"].MaxRetained);
        Assert.NotNull(pool.Get());
        Assert.NotSame(pool, replacement);
    }

    [Fact]
    public void GetHttpClient_SharedHandlerWithPoolingSettings()
    {
        using var manager = new ResourcePoolManager(new ResourcePoolManagerOptions
        {
            HttpConnectionLifetime = TimeSpan.FromMinutes(3),
            HttpConnectionIdleTimeout = TimeSpan.FromSeconds(45),
        }, _time);

        var client = manager.GetHttpClient("api");
        var handler = manager.GetHttpHandler("api");

        Assert.Same(client, manager.GetHttpClient("api"));
        Assert.NotSame(client, manager.GetHttpClient("other"));
        Assert.Equal(TimeSpan.FromMinutes(3), handler.PooledConnectionLifetime);
        Assert.Equal(TimeSpan.FromSeconds(45), handler.PooledConnectionIdleTimeout);
    }

    [Fact]
    public void ScheduleCleanup_DisposesAfterDelay()
    {
        using var manager = NewManager();
        var item = new DisposableItem();

        manager.ScheduleCleanup(item, TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(item.Disposed);
    }

    [Fact]
    public void Dispose_DisposesPoolsHandlersAndPendingResources()
    {
        var manager = NewManager();
        var retained = manager.GetObject<DisposableItem>();
        manager.ReturnObject(retained);
        var scheduled = new DisposableItem();
        manager.ScheduleCleanup(scheduled, TimeSpan.FromHours(1));
        var client = manager.GetHttpClient();

        manager.Dispose();
        manager.Dispose();

        Assert.True(retained.Disposed);
        Assert.True(scheduled.Disposed);
        Assert.Throws<ObjectDisposedException>(() => client.CancelPendingRequests());
        Assert.Throws<ObjectDisposedException>(() => manager.GetObject<Buffer>());
        Assert.Throws<ObjectDisposedException>(() => manager.GetHttpClient());
    }

    [Fact]
    public void Shared_IgnoresDispose()
    {
        ResourcePoolManager.Shared.Dispose();

        Assert.NotNull(ResourcePoolManager.Shared.GetPool<SharedOnly>().Get());
    }

    [Fact]
    public void BadInput_ThrowsNamingArgument()
    {
        using var manager = NewManager();

        Assert.Equal("obj", Assert.Throws<ArgumentNullException>(() => manager.ReturnObject<Buffer>(null!)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => manager.GetHttpClient("")).ParamName);
        Assert.Equal("MaxPoolSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ResourcePoolManager(new ResourcePoolManagerOptions { MaxPoolSize = 0 })).ParamName);
        Assert.Equal("CleanupInterval", Assert.Throws<ArgumentOutOfRangeException>(() => new ResourcePoolManager(new ResourcePoolManagerOptions { CleanupInterval = TimeSpan.FromSeconds(-1) })).ParamName);
        Assert.Equal("pool", Assert.Throws<ArgumentNullException>(() => manager.RegisterPool<object>(null!)).ParamName);
    }

    public sealed class Buffer
    {
        public List<int> Data { get; } = [];

        public void Reset() => Data.Clear();
    }

    public sealed class ResettableItem : IResettable
    {
        public bool Dirty { get; set; }

        public bool TryReset()
        {
            Dirty = false;
            return true;
        }
    }

    public sealed class DisposableItem : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    public sealed class SharedOnly;
}
