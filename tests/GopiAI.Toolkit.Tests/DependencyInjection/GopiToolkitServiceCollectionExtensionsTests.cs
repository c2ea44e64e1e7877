using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.DependencyInjection;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.RateLimiting;
using GopiAI.Toolkit.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace GopiAI.Toolkit.Tests.DependencyInjection;

public sealed class GopiToolkitServiceCollectionExtensionsTests
{
    [Fact]
    public void AddGopiToolkit_Default_ResolvesSharedInstancesAsSingletons()
    {
        using var provider = new ServiceCollection().AddGopiToolkit().BuildServiceProvider();

        Assert.Same(CacheManager.Shared, provider.GetRequiredService<CacheManager>());
        Assert.Same(ResourcePoolManager.Shared, provider.GetRequiredService<ResourcePoolManager>());
        Assert.Same(MemoryMonitor.Shared, provider.GetRequiredService<MemoryMonitor>());
        Assert.Same(ApiPerformanceMonitor.Shared, provider.GetRequiredService<ApiPerformanceMonitor>());
        Assert.Same(StartupOptimizer.Shared, provider.GetRequiredService<StartupOptimizer>());
        Assert.Same(provider.GetRequiredService<ResiliencePipeline>(), provider.GetRequiredService<ResiliencePipeline>());
    }

    [Fact]
    public void AddGopiToolkit_SharedInstances_SurviveContainerDisposal()
    {
        var provider = new ServiceCollection().AddGopiToolkit().BuildServiceProvider();
        var manager = provider.GetRequiredService<CacheManager>();
        provider.Dispose();

        manager.Set("tools", $"after-dispose-{Guid.NewGuid()}", "v");
        Assert.NotNull(manager.GetCache("tools"));
    }

    [Fact]
    public void AddGopiToolkit_OwnedInstances_ConfiguredAndDisposedByContainer()
    {
        var time = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddGopiToolkit(o =>
        {
            o.UseSharedInstances = false;
            o.Caching.Caches["models"].MaxSize = 7;
            o.Pooling.MaxPoolSize = 3;
            o.Performance.WindowSize = 50;
        });
        var provider = services.BuildServiceProvider();

        var caches = provider.GetRequiredService<CacheManager>();
        var pools = provider.GetRequiredService<ResourcePoolManager>();
        Assert.NotSame(CacheManager.Shared, caches);
        Assert.Equal(7, caches.GetCache("models").MaxSize);
        Assert.Same(time, caches.GetCache("models").TimeProvider);
        Assert.Equal(3, pools.Options.MaxPoolSize);
        Assert.Equal(50, provider.GetRequiredService<ApiPerformanceMonitor>().Options.WindowSize);
        var models = caches.GetCache("models");

        provider.Dispose();

        Assert.Throws<ObjectDisposedException>(() => models.Set("k", "v"));
        Assert.Throws<ObjectDisposedException>(() => pools.GetObject<object>());
    }

    [Fact]
    public void AddGopiToolkit_OwnedMemoryMonitor_PressureTrimsOwnedCaches()
    {
        var services = new ServiceCollection().AddGopiToolkit(o => o.UseSharedInstances = false);
        using var provider = services.BuildServiceProvider();
        var caches = provider.GetRequiredService<CacheManager>();
        caches.Set("tools", "k", "v");

        provider.GetRequiredService<MemoryMonitor>().SignalMemoryPressure(MemoryPressureLevel.Critical, "test");

        Assert.Null(caches.Get<string>("tools", "k"));
    }

    [Fact]
    public void AddGopiToolkit_Configuration_BindsOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["UseSharedInstances"] = "false",
            ["Caching:Caches:embeddings:MaxSize"] = "42",
            ["Caching:Caches:embeddings:DefaultTtl"] = "00:10:00",
            ["Pooling:MaxPoolSize"] = "9",
            ["Memory:LeakThreshold"] = "2.5",
            ["Resilience:MaxRetryAttempts"] = "1",
        }).Build();

        using var provider = new ServiceCollection().AddGopiToolkit(configuration).BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<GopiToolkitOptions>>().Value;

        Assert.False(options.UseSharedInstances);
        Assert.Equal(42, options.Caching.Caches["embeddings"].MaxSize);
        Assert.Equal(TimeSpan.FromMinutes(10), options.Caching.Caches["embeddings"].DefaultTtl);
        Assert.Equal(100, options.Caching.Caches["models"].MaxSize);
        Assert.Equal(9, options.Pooling.MaxPoolSize);
        Assert.Equal(2.5, options.Memory.LeakThreshold);
        Assert.Equal(1, options.Resilience.MaxRetryAttempts);
        Assert.Equal(42, provider.GetRequiredService<CacheManager>().GetCache("embeddings").MaxSize);
    }

    [Fact]
    public async Task AddGopiToolkit_RateLimitingFromConfiguration_RegistersTheLimiterRegistry()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RateLimiting:Policies:search:Kind"] = "Concurrency",
            ["RateLimiting:Policies:search:PermitLimit"] = "1",
        }).Build();
        await using var provider = new ServiceCollection().AddGopiToolkit(configuration).BuildServiceProvider();

        var registry = provider.GetRequiredService<RateLimiterRegistry>();
        var search = registry.Get("search");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = search.ExecuteAsync(_ => gate.Task);

        Assert.Same(registry, provider.GetRequiredService<RateLimiterRegistry>());
        Assert.Contains(RateLimitingOptions.MemorySearch, registry.Names);
        await Assert.ThrowsAsync<RateLimitRejectedException>(() => search.ExecuteAsync(_ => Task.CompletedTask));
        gate.SetResult();
        await running;
    }

    [Fact]
    public void AddGopiToolkit_WithLogging_MonitorsLogTheirAlertsThroughTheContainer()
    {
        var logger = new CapturingLoggerProvider();
        using var provider = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logger))
            .AddGopiToolkit(o => o.UseSharedInstances = false)
            .BuildServiceProvider();

        var api = provider.GetRequiredService<ApiPerformanceMonitor>();
        var memory = provider.GetRequiredService<MemoryMonitor>();
        api.AlertLogger.LogWarning("from the request monitor");
        memory.AlertLogger.LogWarning("from the memory monitor");

        Assert.Contains((typeof(ApiPerformanceMonitor).FullName!, "from the request monitor"), logger.Messages);
        Assert.Contains((typeof(MemoryMonitor).FullName!, "from the memory monitor"), logger.Messages);
    }

    [Fact]
    public void AddGopiToolkit_NullArguments_Throw()
    {
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => GopiToolkitServiceCollectionExtensions.AddGopiToolkit(null!)).ParamName);
        Assert.Equal("configuration", Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddGopiToolkit((IConfiguration)null!)).ParamName);
    }
}

internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Category, string Message)> _messages = new();

    public IReadOnlyCollection<(string Category, string Message)> Messages => _messages;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _messages);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<(string, string)> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue((category, formatter(state, exception)));
    }
}
