using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.RateLimiting;
using GopiAI.Toolkit.SemanticMemory;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.OpenTelemetry.Tests;

/// <summary>
/// Runs every component that publishes telemetry once, with known figures: 40 cache lookups over 10 keys (30 hits,
/// 10 misses), 40 rentals of one pooled buffer, 40 monitored calls, 40 rate-limiter permits, and memory samples that
/// grow past the leak threshold (one memory-growth alert), one distributed-cache (L2) failure, and a semantic memory
/// of at most one document that is given two (one document evicted, oldest first).
/// </summary>
internal sealed class ToolkitWorkload : IDisposable
{
    public const string Cache = "orders";
    public const string Pool = "order-buffers";
    public const string Endpoint = "Orders.Place";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"gopiai-workload-{Guid.NewGuid():N}");
    private long _usage = 10 * 1024 * 1024;
    private SemanticMemoryManager? _semanticMemory;

    public ToolkitWorkload()
    {
        Memory = new MemoryMonitor(new MemoryMonitorOptions(), timeProvider: null, meterFactory: null, usageProvider: () => _usage);
        Limiters = new RateLimiterRegistry(new RateLimitingOptions());
        Caches = new CacheManager(new CacheManagerOptions(), timeProvider: null, meterFactory: null, Memory);
        Pools = new ResourcePoolManager(new ResourcePoolManagerOptions(), timeProvider: null, meterFactory: null, Memory);
        Api = new ApiPerformanceMonitor();
    }

    public MemoryMonitor Memory { get; }

    public CacheManager Caches { get; }

    public ResourcePoolManager Pools { get; }

    public ApiPerformanceMonitor Api { get; }

    public RateLimiterRegistry Limiters { get; }

    public void Run()
    {
        Memory.TrackMemory();
        var pool = Pools.CreatePool(Pool, () => new byte[1024]);
        var limiter = Limiters.Get(RateLimitingOptions.Endpoints);
        for (var i = 0; i < 40; i++)
        {
            var scope = MonitoredScope.Start(Endpoint, Api);
            var hit = Caches.Get<string>(Cache, i % 10) is not null;
            if (!hit)
            {
                Caches.Set(Cache, i % 10, $"order {i % 10}");
            }

            pool.Return(pool.Get());
            using (limiter.Acquire())
            {
                scope.Stop(success: true, cacheHit: hit);
            }
        }

        // One L2 outage and its end, as a distributed cache manager records them (publishes the L2 instruments).
        Caches.DistributedHealth.RecordFailure("get", new TimeoutException("workload"));
        Caches.DistributedHealth.RecordSuccess();

        _usage *= 2;
        for (var i = 0; i < 6; i++)
        {
            Memory.TrackMemory();
        }

        // Kept open until Dispose: the memory owns its meter, and exporters read the counter after Run.
        _semanticMemory = Task.Run(EvictOneDocumentAsync).GetAwaiter().GetResult();
    }

    private async Task<SemanticMemoryManager> EvictOneDocumentAsync()
    {
        var config = new MemoryConfig { IndexPath = Path.Combine(_folder, "memory.db"), EmbeddingModel = "workload/4d", MaxDocuments = 1, Retention = MemoryRetention.EvictOldest };
        var memory = await SemanticMemoryManager.OpenAsync(config, new FixedEmbedder());
        await memory.StoreDocumentsAsync([new MemoryDocument { Content = "the first note" }]);
        await memory.StoreDocumentsAsync([new MemoryDocument { Content = "the second note" }]);
        return memory;
    }

    public void Dispose()
    {
        Limiters.Dispose();
        Caches.Dispose();
        Pools.Dispose();
        Api.Dispose();
        Memory.Dispose();
        _semanticMemory?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Every text gets the same unit vector: the workload needs rows, not meaning.</summary>
    private sealed class FixedEmbedder : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[] { 1, 0, 0, 0 }))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
