using System.Globalization;
using System.Text;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.Resilience;
using GopiAI.Toolkit.Startup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace GopiAI.Toolkit.Samples.RuntimeDemo;

/// <summary>
/// Exercises the runtime the way a long-running assistant would: startup with progress, cached knowledge-base lookups,
/// pooled prompt buffers, monitored calls, resilient calls to a flaky tool, and memory checks, printing real statistics.
/// </summary>
public static class RuntimeDemo
{
    /// <summary>The section headings the demo prints, in order.</summary>
    public static readonly IReadOnlyList<string> Sections = ["Startup", "Caching", "Pooling", "Resilience", "Monitoring", "Memory"];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Runs the demo, writing to <paramref name="output"/>.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="cancellationToken">Stops the demo.</param>
    /// <returns>The process exit code (0).</returns>
    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information))
            .AddGopiToolkit(o =>
            {
                // A container of its own, so the demo's numbers are not mixed with anything else in the process.
                o.UseSharedInstances = false;
                o.Caching.Caches["knowledge"] = new NamedCacheOptions { MaxSize = 64, DefaultTtl = TimeSpan.FromMinutes(10) };
                o.Performance.SlowThreshold = TimeSpan.FromMilliseconds(15);
                o.Resilience.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
                o.Resilience.MinimumThroughput = 4;
                o.Resilience.SamplingDuration = TimeSpan.FromSeconds(5);
                o.Resilience.BreakDuration = TimeSpan.FromSeconds(1);
                o.Resilience.MaxRetryAttempts = 2;
            });
        await using var provider = services.BuildServiceProvider();

        output.WriteLine("GopiAI.Toolkit runtime demo");
        output.WriteLine();
        await StartupAsync(output, provider.GetRequiredService<StartupOptimizer>(), cancellationToken).ConfigureAwait(false);
        var monitor = provider.GetRequiredService<ApiPerformanceMonitor>();
        await CachingAsync(output, provider.GetRequiredService<CacheManager>(), monitor, cancellationToken).ConfigureAwait(false);
        Pooling(output, provider.GetRequiredService<ResourcePoolManager>(), monitor);
        await ResilienceAsync(output, provider.GetRequiredService<ResiliencePipeline>(), monitor, cancellationToken).ConfigureAwait(false);
        Monitoring(output, monitor);
        Memory(output, provider.GetRequiredService<MemoryMonitor>(), provider.GetRequiredService<ILoggerFactory>().CreateLogger("Memory"));
        return 0;
    }

    private static void Heading(TextWriter output, string section) => output.WriteLine($"== {section} ==");

    private static async Task StartupAsync(TextWriter output, StartupOptimizer startup, CancellationToken cancellationToken)
    {
        Heading(output, "Startup");
        startup.AddStartupTask(new StartupTask("load-config", ct => Task.Delay(20, ct)) { Priority = 10 });
        startup.AddStartupTask(new StartupTask("open-database", ct => Task.Delay(40, ct)) { DependsOn = ["load-config"] });
        startup.AddStartupTask(new StartupTask("warm-caches", ct => Task.Delay(30, ct)) { DependsOn = ["load-config"] });
        startup.AddStartupTask(new StartupTask("start-api", ct => Task.Delay(10, ct)) { DependsOn = ["open-database", "warm-caches"] });
        startup.RegisterLazyLoader("tokenizer", async ct =>
        {
            await Task.Delay(25, ct).ConfigureAwait(false);
            return new Dictionary<string, int>(StringComparer.Ordinal) { ["hello"] = 1, ["world"] = 2 };
        }, new LazyLoaderOptions { Eager = true, DependsOn = ["load-config"] });
        startup.RegisterLazyLoader("speech-model", () => new byte[1024 * 1024]);

        var progress = new ConsoleProgress(output);
        await startup.InitializeApplicationAsync(progress, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"  speech-model loaded lazily on first use: {startup.GetComponent<byte[]>("speech-model").Length / 1024} KiB");
        output.Write(startup.GetStartupReport().ToString());

        var failing = new StartupOptimizer();
        failing.AddStartupTask(new StartupTask("connect-vector-store", _ => throw new InvalidOperationException("connection refused")));
        failing.AddStartupTask(new StartupTask("index-documents", _ => Task.CompletedTask) { DependsOn = ["connect-vector-store"] });
        try
        {
            await failing.InitializeApplicationAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (StartupException ex)
        {
            output.WriteLine($"  failure is reported once and clearly: {ex.Message}");
        }
        finally
        {
            await failing.DisposeAsync().ConfigureAwait(false);
        }

        output.WriteLine();
    }

    private static async Task CachingAsync(TextWriter output, CacheManager caches, ApiPerformanceMonitor monitor, CancellationToken cancellationToken)
    {
        Heading(output, "Caching");
        var knowledge = caches.GetCache("knowledge");
        var random = new Random(42);
        var factoryRuns = 0;

        // 400 questions over 200 topics with a Zipf-like skew: popular topics repeat, the tail does not fit in 64 entries.
        for (var i = 0; i < 400; i++)
        {
            var topic = Zipf(random, 200);
            var scope = MonitoredScope.Start("knowledge.search", monitor);
            var hit = knowledge.TryGet(topic, out var answer, recordMiss: false);
            if (!hit)
            {
                answer = await knowledge.GetOrAddAsync(topic, async (key, ct) =>
                {
                    Interlocked.Increment(ref factoryRuns);
                    await Task.Delay(1, ct).ConfigureAwait(false);
                    return (object?)$"answer about topic {key}";
                }, cancellationToken).ConfigureAwait(false);
            }

            scope.Stop(success: answer is not null, cacheHit: hit);
        }

        // The seed's named caches.
        caches.Set(CacheManagerOptions.Models, "gpt-small", new byte[4096]);
        caches.Set(CacheManagerOptions.Tools, "weather", "sunny");
        _ = caches.Get<string>(CacheManagerOptions.Tools, "weather");
        _ = caches.Get<string>(CacheManagerOptions.Tools, "calendar");

        output.WriteLine($"  {"cache",-14} {"hits",6} {"misses",7} {"hit rate",9} {"size",6} {"max",5} {"evicted",8}");
        foreach (var (name, stats) in caches.GetStats().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(Inv, $"  {name,-14} {stats.Hits,6} {stats.Misses,7} {stats.HitRate,9:P1} {stats.Size,6} {stats.MaxSize,5} {stats.Evictions,8}"));
        }

        output.WriteLine($"  knowledge factory ran {factoryRuns} times for 400 questions (stampede-protected, bounded at 64 entries)");
        output.WriteLine();
    }

    private static void Pooling(TextWriter output, ResourcePoolManager pools, ApiPerformanceMonitor monitor)
    {
        Heading(output, "Pooling");
        var builders = pools.CreatePool("prompt-builders", () => new StringBuilder(4096), sb => sb.Clear(), maxRetained: 8);
        var totalChars = 0L;
        Parallel.For(0, 500, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var scope = MonitoredScope.Start("prompt.build", monitor);
            using (var lease = new PooledLease<StringBuilder>(builders))
            {
                lease.Value.Append("System: you are helpful.\nUser: question ").Append(i).Append('\n');
                Interlocked.Add(ref totalChars, lease.Value.Length);
            }

            scope.Stop(success: true);
        });

        for (var i = 0; i < 100; i++)
        {
            var list = pools.GetObject<List<string>>();
            list.Add("token");
            pools.ReturnObject(list);
        }

        output.WriteLine($"  {"pool",-16} {"created",8} {"rented",7} {"returned",9} {"outstanding",12} {"reuse",7}");
        foreach (var (name, s) in pools.GetStats().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(Inv, $"  {name,-16} {s.Created,8} {s.Rented,7} {s.Returned,9} {s.Outstanding,12} {s.ReuseRate,7:P0}"));
        }

        var handler = pools.GetHttpHandler("llm-api");
        output.WriteLine(string.Create(Inv, $"  HttpClient 'llm-api' shares one SocketsHttpHandler: connection lifetime {handler.PooledConnectionLifetime.TotalMinutes} min, idle timeout {handler.PooledConnectionIdleTimeout.TotalMinutes} min"));
        output.WriteLine($"  built {totalChars:N0} prompt characters with {pools.GetStats()["prompt-builders"].Created} StringBuilders");
        output.WriteLine();
    }

    private static async Task ResilienceAsync(TextWriter output, ResiliencePipeline pipeline, ApiPerformanceMonitor monitor, CancellationToken cancellationToken)
    {
        Heading(output, "Resilience");
        var attempts = 0;
        var weather = await pipeline.ExecuteAsync(async ct =>
        {
            attempts++;
            await Task.Delay(1, ct).ConfigureAwait(false);
            return attempts < 3 ? throw new HttpRequestException("weather service hiccup") : "sunny, 21 C";
        }, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"  flaky tool answered '{weather}' after {attempts} attempts (retry with exponential backoff)");

        // One pipeline per dependency, so one tool's failures do not open another tool's circuit.
        var calendarPipeline = ResiliencePresets.Standard(new ResilienceOptions
        {
            MaxRetryAttempts = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MinimumThroughput = 4,
            SamplingDuration = TimeSpan.FromSeconds(5),
            BreakDuration = TimeSpan.FromSeconds(5),
        });
        var rejected = 0;
        var failed = 0;
        var toolCalls = 0;
        for (var i = 0; i < 12; i++)
        {
            var scope = MonitoredScope.Start("tools.calendar", monitor);
            try
            {
                await calendarPipeline.ExecuteAsync<int>(_ =>
                {
                    toolCalls++;
                    throw new HttpRequestException("calendar service down");
                }, cancellationToken).ConfigureAwait(false);
                scope.Stop(success: true);
            }
            catch (BrokenCircuitException)
            {
                rejected++;
                scope.Stop(success: false);
            }
            catch (HttpRequestException)
            {
                failed++;
                scope.Stop(success: false);
            }
        }

        output.WriteLine($"  dead tool, 12 requests x up to 3 attempts: the tool was called only {toolCalls} times instead of 36; {failed} request(s) surfaced its error, {rejected} were rejected fast by the open circuit breaker");

        using var limiter = ResiliencePresets.CreateTokenBucketLimiter(permitsPerSecond: 5);
        var limited = ResiliencePresets.RateLimit(limiter);
        var admitted = 0;
        var throttled = 0;
        for (var i = 0; i < 10; i++)
        {
            try
            {
                await limited.ExecuteAsync(_ => ValueTask.CompletedTask, cancellationToken).ConfigureAwait(false);
                admitted++;
            }
            catch (Polly.RateLimiting.RateLimiterRejectedException)
            {
                throttled++;
            }
        }

        output.WriteLine($"  token bucket (5/s): {admitted} calls admitted, {throttled} rejected in a burst of 10");
        output.WriteLine();
    }

    private static void Monitoring(TextWriter output, ApiPerformanceMonitor monitor)
    {
        Heading(output, "Monitoring");
        var random = new Random(7);
        for (var i = 0; i < 60; i++)
        {
            // A simulated LLM endpoint with a long tail, recorded directly.
            var ms = i % 12 == 0 ? 120 + random.Next(60) : 8 + random.Next(6);
            monitor.RecordRequest("llm.complete", TimeSpan.FromMilliseconds(ms), success: true);
        }

        var stats = monitor.GetPerformanceStats();
        output.WriteLine(string.Create(Inv, $"  {stats.SampleCount} requests in window: avg {stats.AvgResponseTime.TotalMilliseconds:0.00} ms, p95 {stats.P95ResponseTime.TotalMilliseconds:0.00} ms, errors {stats.ErrorRate:P1}, {stats.RequestsPerSecond:0} req/s, cache hits {stats.CacheHitRate:P1}, CPU {stats.CpuUsage:0.0} %"));
        output.WriteLine($"  {"endpoint",-18} {"calls",6} {"avg ms",8} {"p95 ms",8} {"errors",7} {"cache",7}");
        foreach (var (name, e) in monitor.GetEndpointStats().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(Inv, $"  {name,-18} {e.Requests,6} {e.AvgResponseTime.TotalMilliseconds,8:0.00} {e.P95ResponseTime.TotalMilliseconds,8:0.00} {e.ErrorRate,7:P0} {e.CacheHitRate,7:P0}"));
        }

        foreach (var b in monitor.IdentifyBottlenecks())
        {
            output.WriteLine($"  bottleneck {b.Endpoint} ({b.Kind}): {b.Evidence}");
        }

        foreach (var s in monitor.SuggestOptimizations())
        {
            output.WriteLine($"  suggestion for {s.Endpoint}: {s.Suggestion} Evidence: {s.Evidence}");
        }

        output.WriteLine();
    }

    private static void Memory(TextWriter output, MemoryMonitor memory, ILogger logger)
    {
        Heading(output, "Memory");
        var before = memory.TrackMemory();
        var freed = MemoryMonitor.ForceGarbageCollection();
        var after = memory.TrackMemory();
        output.WriteLine(string.Create(Inv, $"  managed heap {before.CurrentUsage / 1024.0 / 1024.0:0.0} MiB -> {after.CurrentUsage / 1024.0 / 1024.0:0.0} MiB after a compacting GC (freed {freed / 1024.0 / 1024.0:0.0} MiB); working set {after.WorkingSet / 1024 / 1024} MiB; {after.GcCollections} GCs so far"));
        output.WriteLine($"  suspected leaks: {memory.DetectLeaks().Count}");
        memory.LogMemoryStats(logger);
    }

    private static int Zipf(Random random, int n)
    {
        // Inverse-CDF sampling of a Zipf(s = 0.86) distribution over 1..n; fine for a demo.
        const double S = 0.86;
        double total = 0;
        for (var k = 1; k <= n; k++)
        {
            total += 1 / Math.Pow(k, S);
        }

        var target = random.NextDouble() * total;
        double sum = 0;
        for (var k = 1; k <= n; k++)
        {
            sum += 1 / Math.Pow(k, S);
            if (sum >= target)
            {
                return k;
            }
        }

        return n;
    }

    private sealed class ConsoleProgress(TextWriter output) : IProgress<StartupProgress>
    {
        private readonly Lock _gate = new();

        public void Report(StartupProgress value)
        {
            lock (_gate)
            {
                output.WriteLine(string.Create(Inv, $"  [{value.Completed}/{value.Total}] {value.Status,-9} {value.CurrentTask} (+{value.Elapsed.TotalMilliseconds:0} ms)"));
            }
        }
    }
}
