using System.Numerics;
using System.Runtime.CompilerServices;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// Estimates how often each key was seen recently: the "TinyLFU" part of W-TinyLFU (Einziger, Friedman, Manes, ACM TOS 2017).
/// A count-min sketch of 4-bit counters; each key owns four counters, one per row, all inside one 64-byte block, so an
/// update or an estimate touches one cache line. Its estimate is the smallest of the four (collisions only inflate counts).
/// </summary>
/// <remarks>
/// Aging: after <see cref="SamplePeriod"/> increments (ten per entry of the cache's capacity) every counter is halved, so a
/// key that was popular an hour ago fades unless it stays popular. Counters saturate at <see cref="MaxFrequency"/>: the
/// sketch only has to tell "seen often" from "seen once", not count exactly. The table starts small and doubles (cleared)
/// while the cache fills, up to 16 counters per entry of capacity. Not thread-safe: used under the maintenance lock.
/// </remarks>
internal sealed class FrequencySketch
{
    /// <summary>The largest estimate a key can have.</summary>
    public const int MaxFrequency = 15;

    /// <summary>Increments per entry of capacity between two halvings.</summary>
    /// <remarks>
    /// Caffeine and BitFaster use 10. Six forgets faster: on traces whose popular keys change it recovers sooner, and on the
    /// Zipf traces of the hit-ratio simulator it scored as well or better (docs/benchmarks.md).
    /// </remarks>
    public const int SamplePerEntry = 6;

    private const int LongsPerBlock = 8;
    private const int InitialEntries = 256;

    // 2^26 longs (512 MB) at most: a cache that large is bounded by memory, not by its entry count.
    private const int MaxTableEntries = 1 << 26;

    // After a right shift by one, clears the bit that moved into each counter from its upper neighbour.
    private const long HalveMask = 0x7777_7777_7777_7777L;

    // The lowest bit of every counter: the halves lost by odd counters when halving.
    private const long LowBitsMask = 0x1111_1111_1111_1111L;

    private readonly int _maxEntries;
    private long[] _table = [];
    private int _blockMask;
    private int _additions;

    /// <summary>Initializes a sketch for a cache of <paramref name="capacity"/> entries.</summary>
    /// <param name="capacity">The cache's capacity in entries; sets the aging period and the largest table.</param>
    public FrequencySketch(int capacity)
    {
        _maxEntries = CeilingPowerOfTwo(Math.Clamp(capacity, LongsPerBlock, MaxTableEntries));
        SamplePeriod = (int)Math.Min((long)SamplePerEntry * Math.Max(capacity, 1), int.MaxValue / 2);
        Allocate(Math.Min(_maxEntries, InitialEntries));
    }

    /// <summary>Gets the number of increments after which every counter is halved.</summary>
    public int SamplePeriod { get; }

    /// <summary>Gets a value indicating whether the counters were ever halved: until then a count of one means "seen once".</summary>
    public bool HasAged { get; private set; }

    /// <summary>Gets the number of entries the table is sized for (it holds 16 counters per entry).</summary>
    public int TableEntries => _table.Length;

    /// <summary>Mixes a key's hash code into the sketch's hash (computed once per cache entry).</summary>
    /// <param name="hashCode">The key's hash code.</param>
    /// <returns>A hash whose every bit depends on every input bit.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Mix(int hashCode)
    {
        // The 32-bit finalizer of MurmurHash3: keys with similar hash codes (small integers) spread over the whole table.
        var h = (uint)hashCode;
        h ^= h >> 16;
        h *= 0x85EB_CA6B;
        h ^= h >> 13;
        h *= 0xC2B2_AE35;
        h ^= h >> 16;
        return (int)h;
    }

    /// <summary>Grows the table (clearing it) when the cache holds more entries than it was sized for.</summary>
    /// <param name="entries">The number of entries the cache holds now.</param>
    public void EnsureCapacity(int entries)
    {
        if (entries > _table.Length && _table.Length < _maxEntries)
        {
            Allocate(Math.Min(_maxEntries, CeilingPowerOfTwo(entries)));
        }
    }

    /// <summary>Returns the estimated recent frequency of the key with mixed hash <paramref name="hash"/>.</summary>
    /// <param name="hash">A hash from <see cref="Mix"/>.</param>
    /// <returns>An estimate in [0, <see cref="MaxFrequency"/>].</returns>
    public int Frequency(int hash)
    {
        var block = (hash & _blockMask) * LongsPerBlock;
        var counters = CounterHash(hash);
        var min = MaxFrequency;
        for (var row = 0; row < 4; row++)
        {
            var selector = counters >> (row * 8);
            var word = _table[block + (row * 2) + (int)(selector & 1)];
            var shift = (int)((selector >> 1) & 15) * 4;
            min = Math.Min(min, (int)((word >> shift) & 0xF));
        }

        return min;
    }

    /// <summary>Counts one occurrence of the key with mixed hash <paramref name="hash"/>; halves every counter at the end of a sample period.</summary>
    /// <param name="hash">A hash from <see cref="Mix"/>.</param>
    public void Increment(int hash)
    {
        var block = (hash & _blockMask) * LongsPerBlock;
        var counters = CounterHash(hash);
        var added = false;
        for (var row = 0; row < 4; row++)
        {
            var selector = counters >> (row * 8);
            ref var word = ref _table[block + (row * 2) + (int)(selector & 1)];
            var shift = (int)((selector >> 1) & 15) * 4;
            if (((word >> shift) & 0xF) != MaxFrequency)
            {
                word += 1L << shift;
                added = true;
            }
        }

        if (added && ++_additions >= SamplePeriod)
        {
            Halve();
        }
    }

    /// <summary>Forgets every count.</summary>
    public void Clear()
    {
        Array.Clear(_table);
        _additions = 0;
    }

    private static uint CounterHash(int hash)
    {
        // A second, independent mix picks the four counters, so keys that share a block rarely share all four.
        var h = (uint)hash * 0x9E37_79B1u;
        return h ^ (h >> 15);
    }

    private static int CeilingPowerOfTwo(int value) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(value, 1));

    private void Allocate(int entries)
    {
        _table = new long[Math.Max(entries, LongsPerBlock)];
        _blockMask = (_table.Length / LongsPerBlock) - 1;
        _additions = 0;
    }

    private void Halve()
    {
        HasAged = true;
        var oddCounters = 0;
        var table = _table;
        for (var i = 0; i < table.Length; i++)
        {
            oddCounters += BitOperations.PopCount((ulong)(table[i] & LowBitsMask));
            table[i] = (long)((ulong)table[i] >> 1) & HalveMask;
        }

        // Each addition raised four counters: the halves that odd counters lost are a quarter of an addition each.
        _additions = Math.Max(0, (_additions - (oddCounters / 4)) / 2);
    }
}
