using System.Diagnostics.Metrics;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class CacheManagerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Constructor_Default_HasSeedCachesWithSeedLimits()
    {
        using var manager = new CacheManager(new CacheManagerOptions(), _time);

        Assert.Equal(100, manager.GetCache("models").MaxSize);
        Assert.Equal(50, manager.GetCache("tools").MaxSize);
        Assert.Equal(200, manager.GetCache("web_content").MaxSize);
        Assert.Equal(500, manager.GetCache("api_responses").MaxSize);
        Assert.Equal(1000, manager.GetCache("something_else").MaxSize);
    }

    [Theory]
    [InlineData("models", 120)]
    [InlineData("tools", 60)]
    [InlineData("web_content", 30)]
    [InlineData("api_responses", 5)]
    public void Set_SeedCache_ExpiresAfterSeedTtl(string cacheName, int minutes)
    {
        using var manager = new CacheManager(new CacheManagerOptions(), _time);
        manager.Set(cacheName, "k", "v");

        _time.Advance(TimeSpan.FromMinutes(minutes) - TimeSpan.FromSeconds(1));
        Assert.Equal("v", manager.Get<string>(cacheName, "k"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(manager.Get<string>(cacheName, "k"));
    }

    [Fact]
    public void Get_WrongType_ReturnsDefault()
    {
        using var manager = new CacheManager(new CacheManagerOptions(), _time);
        manager.Set("tools", "k", 42);

        Assert.Equal(42, manager.Get<int>("tools", "k"));
        Assert.Null(manager.Get<string>("tools", "k"));
    }

    [Fact]
    public void Set_WithTtl_OverridesCacheDefault()
    {
        using var manager = new CacheManager(new CacheManagerOptions(), _time);
        manager.Set("models", "k", "v", TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(11));

        Assert.Null(manager.Get<string>("models", "k"));
    }

    [Fact]
    public void Invalidate_KeyOrWholeCache_RemovesEntries()
    {
        using var manager = new CacheManager(new CacheManagerOptions(), _time);
        manager.Set("tools", "a", "1");
        manager.Set("tools", "b", "2");

        manager.Invalidate("tools", "a");
        Assert.Null(manager.Get<string>("tools", "a"));
        Assert.Equal("2", manager.Get<string>("tools", "b"));

        manager.Invalidate("tools");
        Assert.Null(manager.Get<string>("tools", "b"));
        manager.Invalidate("never_created");
    }

    [Fact]
    public void GetCache_SameName_ReturnsSameInstance()
    {
        using var manager = new CacheManager();

        Assert.Same(manager.GetCache("x"), manager.GetCache("x"));
        Assert.Contains("x", manager.CacheNames);
    }

    [Fact]
    public void Options_CustomCache_UsedForThatName()
    {
        var options = new CacheManagerOptions();
        options.Caches["embeddings"] = new NamedCacheOptions { MaxSize = 7, DefaultTtl = TimeSpan.FromMinutes(1) };
        options.Caches["models"].MaxSize = 3;
        using var manager = new CacheManager(options, _time);

        Assert.Equal(7, manager.GetCache("embeddings").MaxSize);
        Assert.Equal(3, manager.GetCache("models").MaxSize);
    }

    [Fact]
    public void ConfigureCache_Existing_ReplacesCache()
    {
        using var manager = new CacheManager(new CacheManagerOptions(), _time);
        manager.Set("tools", "a", "1");

        manager.ConfigureCache("tools", new NamedCacheOptions { MaxSize = 2 });

        Assert.Equal(2, manager.GetCache("tools").MaxSize);
        Assert.Null(manager.Get<string>("tools", "a"));
    }

    [Fact]
    public void RemoveCache_ConfiguredCache_DisposedAndRecreatedWithDefaults()
    {
        using var manager = new CacheManager(new CacheManagerOptions(), _time);
        var tools = manager.GetCache("tools");

        Assert.True(manager.RemoveCache("tools"));
        Assert.False(manager.RemoveCache("tools"));

        Assert.Throws<ObjectDisposedException>(() => tools.Set("a", "b"));
        Assert.Equal(1000, manager.GetCache("tools").MaxSize);
    }

    [Fact]
    public void GetStats_FreshManager_ListsEveryConfiguredCacheBeforeFirstUse()
    {
        var options = new CacheManagerOptions();
        options.Caches["custom"] = new NamedCacheOptions { MaxSize = 7 };
        using var manager = new CacheManager(options, _time);

        var stats = manager.GetStats();

        Assert.Equal(["api_responses", "custom", "models", "tools", "web_content"], stats.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CacheStats.Empty("custom", 7), stats["custom"]);
        Assert.Equal(500, stats["api_responses"].MaxSize);
        Assert.Empty(manager.CacheNames);
    }

    [Fact]
    public void GetStats_IncludesOwnedAndRegisteredCaches()
    {
        using var manager = new CacheManager(new CacheManagerOptions(), _time);
        using var generated = new LruCache<string, int>(new LruCacheOptions { Name = "Gen.Method", TimeProvider = _time });
        manager.Set("tools", "a", "1");
        manager.Get<string>("tools", "a");
        generated.GetOrAdd("x", _ => 1);

        manager.Register("MyService.GetUser", generated);
        var stats = manager.GetStats();

        Assert.Equal(1, stats["tools"].Hits);
        Assert.Equal(1, stats["MyService.GetUser"].Misses);
        Assert.Equal("MyService.GetUser", stats["MyService.GetUser"].Name);
    }

    [Fact]
    public void Register_SameNameTwice_ReplacesInsteadOfLeaking()
    {
        using var manager = new CacheManager();
        using var first = new LruCache<string, int>(new LruCacheOptions { MaxSize = 1 });
        using var second = new LruCache<string, int>(new LruCacheOptions { MaxSize = 2 });

        manager.Register("gen", first);
        manager.Register("gen", second);

        Assert.Equal(2, manager.GetStats()["gen"].MaxSize);
        Assert.True(manager.Unregister("gen"));
        Assert.False(manager.GetStats().ContainsKey("gen"));
    }

    [Fact]
    public void MemoryPressure_FromMonitor_TrimsOwnedAndRegisteredCaches()
    {
        using var monitor = new MemoryMonitor(new MemoryMonitorOptions(), _time, usageProvider: () => 1000);
        using var manager = new CacheManager(new CacheManagerOptions { PressureTrimFraction = 0.5 }, _time, memoryMonitor: monitor);
        using var registered = new LruCache<int, int>(new LruCacheOptions { MaxSize = 100 });
        manager.Register("gen", registered);
        for (var i = 0; i < 10; i++)
        {
            manager.Set("tools", i, i);
            registered.Set(i, i);
        }

        monitor.SignalMemoryPressure(MemoryPressureLevel.Moderate, "test");
        Assert.Equal(5, manager.GetCache("tools").Count);
        Assert.Equal(5, registered.Count);

        monitor.SignalMemoryPressure(MemoryPressureLevel.Critical, "test");
        Assert.Equal(0, manager.GetCache("tools").Count);
        Assert.Equal(0, registered.Count);
    }

    [Fact]
    public void Dispose_DisposesOwnedCachesAndUnsubscribes()
    {
        using var monitor = new MemoryMonitor(new MemoryMonitorOptions(), _time, usageProvider: () => 1000);
        var manager = new CacheManager(new CacheManagerOptions(), _time, memoryMonitor: monitor);
        var cache = manager.GetCache("tools");

        manager.Dispose();
        manager.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cache.Set("a", "b"));
        Assert.Throws<ObjectDisposedException>(() => manager.GetCache("new"));
        monitor.SignalMemoryPressure(MemoryPressureLevel.Critical, "after dispose");
    }

    [Fact]
    public void Shared_IsSingletonAndIgnoresDispose()
    {
        var shared = CacheManager.Shared;
        shared.Dispose();

        Assert.Same(shared, CacheManager.Shared);
        shared.Set("tools", $"shared-{Guid.NewGuid()}", "v");
    }

    [Fact]
    public void TimeProvider_Set_AppliesToCachesCreatedLater()
    {
        using var manager = new CacheManager();
        manager.TimeProvider = _time;

        Assert.Same(_time, manager.GetCache("later").TimeProvider);
        Assert.Throws<ArgumentNullException>(() => manager.TimeProvider = null!);
    }

    [Fact]
    public void Metrics_Observed_ReportHitsTaggedWithCacheName()
    {
        var name = $"metrics-{Guid.NewGuid():N}";
        using var manager = new CacheManager(new CacheManagerOptions(), _time);
        manager.Set(name, "k", "v");
        manager.Get<string>(name, "k");
        manager.Get<string>(name, "missing");
        var measured = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "GopiAI.Toolkit.Caching")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "cache.name" && (string?)tag.Value == name)
                {
                    measured[instrument.Name] = value;
                }
            }
        });
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(1, measured["gopi.cache.hits"]);
        Assert.Equal(1, measured["gopi.cache.misses"]);
        Assert.Equal(1, measured["gopi.cache.size"]);
        Assert.Equal(0, measured["gopi.cache.evictions"]);
    }

    [Fact]
    public void BadInput_ThrowsNamingArgument()
    {
        using var manager = new CacheManager();

        Assert.Equal("cacheName", Assert.Throws<ArgumentException>(() => manager.GetCache("")).ParamName);
        Assert.Equal("cacheName", Assert.Throws<ArgumentNullException>(() => manager.GetCache(null!)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => manager.Get<string>("tools", null!)).ParamName);
        Assert.Equal("ttl", Assert.Throws<ArgumentOutOfRangeException>(() => manager.Set("tools", "k", "v", TimeSpan.FromSeconds(-1))).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => manager.Register(" ", new LruCache<int, int>(new LruCacheOptions()))).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => manager.Register("x", null!)).ParamName);
        Assert.Equal("MaxSize", Assert.Throws<ArgumentOutOfRangeException>(() => manager.ConfigureCache("x", new NamedCacheOptions { MaxSize = -1 })).ParamName);
        Assert.Equal("fraction", Assert.Throws<ArgumentOutOfRangeException>(() => manager.TrimAll(-0.1)).ParamName);
        Assert.Equal("PressureTrimFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new CacheManager(new CacheManagerOptions { PressureTrimFraction = 2 })).ParamName);
    }
}
