using System.Text;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;

namespace GopiAI.Toolkit.Tests;

/// <summary>
/// The seed's memory-stability test: 1000 simulated assistant interactions through the caches, pools and monitors must not
/// grow memory by 20 % or more. Measurements are taken after a full compacting collection (<see cref="MemoryMonitor.ForceGarbageCollection"/>),
/// after a warm-up that fills every cache past capacity (so the baseline already holds a full working set and JIT-compiled code).
/// The managed heap is the precise signal (what the toolkit itself retains); the working set is also checked because it is
/// the seed's metric, but it includes native runtime memory that the GC does not return eagerly, hence the same 20 % bound.
/// The class runs in a non-parallel collection so other tests do not allocate during the measurement.
/// </summary>
[Collection(nameof(MemoryStabilityCollection))]
public sealed class MemoryStabilityTests
{
    private const int Interactions = 1000;

    [Fact]
    public void Interactions_ThousandThroughCachesAndPools_MemoryGrowsUnderTwentyPercent()
    {
        using var caches = new CacheManager();
        using var pools = new ResourcePoolManager();
        using var monitor = new ApiPerformanceMonitor();
        using var memory = new MemoryMonitor(new MemoryMonitorOptions { SustainedSamples = 5 });
        using var responses = new LruCache<string, string>(new LruCacheOptions { Name = "responses", MaxSize = 200 });
        var stringBuilders = pools.CreatePool("sb", () => new StringBuilder(1024), sb => sb.Clear());

        // Warm-up: fill every cache past its capacity and JIT every path.
        RunInteractions(caches, pools, monitor, responses, stringBuilders, offset: 0, count: Interactions);
        MemoryMonitor.ForceGarbageCollection();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = Environment.WorkingSet;
        memory.TrackMemory();

        for (var round = 0; round < 5; round++)
        {
            RunInteractions(caches, pools, monitor, responses, stringBuilders, offset: Interactions * (round + 1), count: Interactions / 5);
            MemoryMonitor.ForceGarbageCollection();
            memory.TrackMemory();
        }

        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetAfter = Environment.WorkingSet;

        var heapGrowth = (heapAfter - heapBefore) / (double)heapBefore;
        var workingSetGrowth = (workingSetAfter - workingSetBefore) / (double)workingSetBefore;
        Assert.True(heapGrowth < 0.20, $"managed heap grew {heapGrowth:P1} ({heapBefore:N0} -> {heapAfter:N0} bytes)");
        Assert.True(workingSetGrowth < 0.20, $"working set grew {workingSetGrowth:P1} ({workingSetBefore:N0} -> {workingSetAfter:N0} bytes)");
        Assert.Empty(memory.DetectLeaks());

        // The bounded structures really were exercised at capacity.
        Assert.Equal(500, caches.GetStats()[CacheManagerOptions.ApiResponses].Size);
        Assert.Equal(200, responses.Count);
        Assert.Equal(0, stringBuilders.GetStats().Outstanding);
        Assert.Equal(1000, monitor.GetPerformanceStats().SampleCount);
    }

    private static void RunInteractions(
        CacheManager caches,
        ResourcePoolManager pools,
        ApiPerformanceMonitor monitor,
        LruCache<string, string> responses,
        TrackedObjectPool<StringBuilder> stringBuilders,
        int offset,
        int count)
    {
        for (var i = offset; i < offset + count; i++)
        {
            var scope = MonitoredScope.Start("assistant.reply", monitor);
            var question = $"question {i}";

            // A distinct question each time: every cache must evict to stay bounded.
            var answer = responses.GetOrAdd(question, static (q, p) =>
            {
                var sb = p.Get();
                try
                {
                    sb.Append(q).Append(':').Append('x', 1024);
                    return sb.ToString();
                }
                finally
                {
                    p.Return(sb);
                }
            }, stringBuilders);
            caches.Set(CacheManagerOptions.ApiResponses, question, answer);
            caches.Set(CacheManagerOptions.WebContent, i % 300, new byte[2048]);
            _ = caches.Get<string>(CacheManagerOptions.ApiResponses, $"question {i - 1}");

            var buffer = pools.GetObject<List<int>>();
            buffer.Add(i);
            buffer.Clear();
            pools.ReturnObject(buffer);

            scope.Stop(success: true, cacheHit: false);
        }
    }
}

[CollectionDefinition(nameof(MemoryStabilityCollection), DisableParallelization = true)]
public sealed class MemoryStabilityCollection;
