namespace GopiAI.Toolkit.Benchmarks.HitRatio;

/// <summary>A named, deterministic sequence of key lookups replayed into a cache of <see cref="Capacity"/> entries.</summary>
/// <param name="Name">What the trace models, as shown in the table.</param>
/// <param name="Keys">The lookups, in order.</param>
/// <param name="Capacity">The cache capacity in entries.</param>
/// <param name="IsZipf">Whether the trace is a plain Zipf trace (the "≥ ConcurrentLfu − 0.5 points" target applies).</param>
internal sealed record Trace(string Name, int[] Keys, int Capacity, bool IsZipf)
{
    /// <summary>The number of lookups in each trace.</summary>
    public const int Length = 1_000_000;

    /// <summary>Returns the traces of the hit-ratio table.</summary>
    public static IReadOnlyList<Trace> All() =>
    [
        Zipf(0.86, 10_000, 1_000),
        Zipf(0.86, 100_000, 1_000),
        Zipf(0.6, 10_000, 1_000),
        Zipf(1.0, 100_000, 500),
        Zipf(0.9, 1_000_000, 10_000),
        Scan(),
        Loop(),
        Shifting(),
        Recency(),
    ];

    /// <summary>Keys drawn from a Zipf(<paramref name="s"/>) distribution over <paramref name="distinct"/> keys.</summary>
    public static Trace Zipf(double s, int distinct, int capacity) =>
        new($"Zipf s = {s:0.0#}, {distinct:N0} keys, capacity {capacity:N0}", Benchmarks.Zipf.Keys(Length, distinct, s, seed: 42), capacity, IsZipf: true);

    /// <summary>
    /// Scan resistance: cycles of 15,000 lookups from a hot set (Zipf 0.8 over 5,000 keys) followed by a sequential scan of
    /// 5,000 keys never seen before (five times the capacity of 1,000). An LRU lets every scan flush the hot set.
    /// </summary>
    public static Trace Scan()
    {
        const int HotLookups = 15_000;
        const int ScanLength = 5_000;
        var hot = Benchmarks.Zipf.Keys(Length, 5_000, 0.8, seed: 7);
        var keys = new int[Length];
        var next = 1_000_000;
        var h = 0;
        for (var i = 0; i < Length; i++)
        {
            keys[i] = i % (HotLookups + ScanLength) < HotLookups ? hot[h++] : next++;
        }

        return new Trace("Scan: Zipf hot set + scans of 5× capacity, capacity 1,000", keys, 1_000, IsZipf: false);
    }

    /// <summary>A loop over 1,200 keys into 1,000 entries: every key comes back just after an LRU has dropped it (LRU: 0 %).</summary>
    public static Trace Loop()
    {
        var keys = new int[Length];
        for (var i = 0; i < Length; i++)
        {
            keys[i] = i % 1_200;
        }

        return new Trace("Loop of 1,200 keys, capacity 1,000", keys, 1_000, IsZipf: false);
    }

    /// <summary>Shifting popularity: Zipf 0.9 over 10,000 keys, but every 100,000 lookups the whole hot set is replaced by new keys.</summary>
    public static Trace Shifting()
    {
        const int Phase = 100_000;
        var ranks = Benchmarks.Zipf.Keys(Length, 10_000, 0.9, seed: 11);
        var keys = new int[Length];
        for (var i = 0; i < Length; i++)
        {
            keys[i] = ((i / Phase) * 10_000) + ranks[i];
        }

        return new Trace("Shifting: Zipf 0.9 hot set replaced every 100k, capacity 1,000", keys, 1_000, IsZipf: false);
    }

    /// <summary>
    /// Recency-biased (LRU-friendly): 20 % of lookups introduce a new key, the others re-read a recent key at an exponentially
    /// distributed distance (mean 400 keys) behind the newest. What was used last is what is used next.
    /// </summary>
    public static Trace Recency()
    {
        var random = new Random(5);
        var keys = new int[Length];
        var newest = 0;
        for (var i = 0; i < Length; i++)
        {
            if (random.NextDouble() < 0.2)
            {
                keys[i] = ++newest;
                continue;
            }

            var distance = (int)(-400 * Math.Log(1 - random.NextDouble()));
            keys[i] = Math.Max(0, newest - distance);
        }

        return new Trace("Recency-biased: new keys + exponential reuse distance, capacity 1,000", keys, 1_000, IsZipf: false);
    }
}
