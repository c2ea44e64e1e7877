using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BitFaster.Caching.Lru;
using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Benchmarks.HitCost;

/// <summary>
/// The <see cref="CacheHitBenchmarks"/> lookups measured in <b>CPU time of the measuring thread</b>, interleaved: every round
/// times a block of hits on each cache in turn (rotating which goes first), so every cache sees the same machine state, and
/// a descheduled thread (a loaded, shared VM) does not count the time it waited. Prints per cache the median and minimum
/// ns/hit over the rounds and the median of the per-round ratios to <c>ConcurrentTLru</c>. A complement to BenchmarkDotNet
/// on a loaded machine, not a replacement: it has no JIT-tuned loop unrolling and on other OSes falls back to wall time.
/// Reproduce: <c>dotnet run -c Release --project benchmarks/GopiAI.Toolkit.Benchmarks -- hitcost</c>.
/// </summary>
internal static class HitCostProbe
{
    private const int Key = 1;

    public static int Run(string[] args)
    {
        var rounds = int.Parse(Option(args, "--rounds") ?? "40", CultureInfo.InvariantCulture);
        var hitsPerBlock = int.Parse(Option(args, "--hits") ?? "2000000", CultureInfo.InvariantCulture);
        using var lru = new LruCache<int, int>(new LruCacheOptions { MaxSize = 1000 });
        using var lruTtl = new LruCache<int, int>(new LruCacheOptions { MaxSize = 1000, DefaultTtl = TimeSpan.FromMinutes(10) });
        var bitFaster = new ConcurrentLru<int, int>(1000);
        var bitFasterTtl = new ConcurrentTLru<int, int>(1000, TimeSpan.FromMinutes(10));
        // String keys as applications have them: a lookup key equal to, but not the same instance as, the stored one.
        using var lruTtlString = new LruCache<string, int>(new LruCacheOptions { MaxSize = 1000, DefaultTtl = TimeSpan.FromMinutes(10) });
        var bitFasterTtlString = new ConcurrentTLru<string, int>(1000, TimeSpan.FromMinutes(10));
        for (var i = 0; i < 500; i++)
        {
            lru.Set(i, i);
            lruTtl.Set(i, i);
            bitFaster.AddOrUpdate(i, i);
            bitFasterTtl.AddOrUpdate(i, i);
            lruTtlString.Set(StringKeyOf(i), i);
            bitFasterTtlString.AddOrUpdate(StringKeyOf(i), i);
        }

        var stringKey = StringKeyOf(Key);

        (string Name, Func<int, long> Block)[] probes =
        [
            ("BitFaster ConcurrentTLru (TTL)", n => Hits(bitFasterTtl, n)),
            ("GopiAI LruCache (TTL)", n => Hits(lruTtl, n)),
            ("BitFaster ConcurrentLru", n => Hits(bitFaster, n)),
            ("GopiAI LruCache", n => Hits(lru, n)),
            ("GopiAI LruCache GetOrAdd<TArg> hit (TTL)", n => GetOrAddHits(lruTtl, n)),
            ("BitFaster ConcurrentTLru (TTL), string key", n => Hits(bitFasterTtlString, stringKey, n)),
            ("GopiAI LruCache (TTL), string key", n => Hits(lruTtlString, stringKey, n)),
        ];

        var cpuClock = OperatingSystem.IsLinux();
        var samples = probes.Select(_ => new List<double>()).ToArray();
        for (var round = -3; round < rounds; round++)
        {
            for (var j = 0; j < probes.Length; j++)
            {
                var p = (j + Math.Max(round, 0)) % probes.Length;
                var start = Now(cpuClock);
                probes[p].Block(hitsPerBlock);
                var ns = (double)(Now(cpuClock) - start) / hitsPerBlock;
                if (round >= 0)
                {
                    // The first rounds only warm up (tiered JIT, caches).
                    samples[p].Add(ns);
                }
            }
        }

        Console.WriteLine($"{(cpuClock ? "Thread CPU time" : "Wall time")}, {rounds} rounds × {hitsPerBlock:N0} hits per cache, interleaved.");
        Console.WriteLine("| Method | Median ns/hit | Min ns/hit | Median of per-round ratios to ConcurrentTLru |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (var p = 0; p < probes.Length; p++)
        {
            var ratios = samples[p].Zip(samples[0], (mine, baseline) => mine / baseline).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {probes[p].Name} | {Median(samples[p]):0.00} | {samples[p].Min():0.00} | {Median(ratios):0.00} |"));
        }

        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Hits(LruCache<int, int> cache, int n)
    {
        long found = 0;
        for (var i = 0; i < n; i++)
        {
            found += Hit(cache);
        }

        return found;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Hits(ConcurrentLru<int, int> cache, int n)
    {
        long found = 0;
        for (var i = 0; i < n; i++)
        {
            found += Hit(cache);
        }

        return found;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Hits(ConcurrentTLru<int, int> cache, int n)
    {
        long found = 0;
        for (var i = 0; i < n; i++)
        {
            found += Hit(cache);
        }

        return found;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long GetOrAddHits(LruCache<int, int> cache, int n)
    {
        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += GetOrAddHit(cache);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Hits(LruCache<string, int> cache, string key, int n)
    {
        long found = 0;
        for (var i = 0; i < n; i++)
        {
            found += cache.TryGet(key, out _) ? 1 : 0;
        }

        return found;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Hits(ConcurrentTLru<string, int> cache, string key, int n)
    {
        long found = 0;
        for (var i = 0; i < n; i++)
        {
            found += cache.TryGet(key, out _) ? 1 : 0;
        }

        return found;
    }

    private static string StringKeyOf(int i) => string.Create(CultureInfo.InvariantCulture, $"customer:{i:D6}");

    // One call per lookup, as BenchmarkDotNet makes one call per operation.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Hit(LruCache<int, int> cache) => cache.TryGet(Key, out _) ? 1 : 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Hit(ConcurrentLru<int, int> cache) => cache.TryGet(Key, out _) ? 1 : 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Hit(ConcurrentTLru<int, int> cache) => cache.TryGet(Key, out _) ? 1 : 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int GetOrAddHit(LruCache<int, int> cache) => cache.GetOrAdd(Key, static (k, a) => k + a, 1);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static long Now(bool cpuClock)
    {
        if (!cpuClock)
        {
            return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
        }

        return ThreadCpuClock.ThreadCpuNanoseconds();
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
