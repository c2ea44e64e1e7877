using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using GopiAI.Toolkit.Internal;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// Records cache hits for the eviction policy without a lock, and counts hits and misses for the statistics, exactly.
/// </summary>
/// <remarks>
/// <para>
/// A hit is counted in a <em>ring</em>: a hit counter plus the policy ids (<see cref="CacheNode{TKey, TValue}.PolicyId"/>)
/// of the last <see cref="RingSize"/> entries hit, the slot chosen by the counter. Ids are plain 64-bit stores: no
/// allocation, no GC write barrier, no entry kept reachable.
/// </para>
/// <para>
/// Two modes, after LongAdder (and Caffeine's and BitFaster's striped buffers). <b>Shared</b>, while no two threads have
/// collided: every thread counts in one shared ring with a compare-and-swap on its counter, which costs less than finding
/// a per-thread cell (a thread-static read is a runtime helper call plus dependent loads on this path). <b>Striped</b>,
/// for good, after the first failed compare-and-swap (two threads hit or missed at the same moment): each thread counts in
/// its own padded ring (<see cref="PerThreadCounters"/>) with a plain add, so contending threads never share a cache line.
/// Either way every hit and miss is counted exactly once, in exactly one ring.
/// </para>
/// <para>
/// The policy applies the rings under the maintenance lock before every write: eviction decisions are only taken on
/// writes, so that is when reads must be known, and readers never pay for the policy or wake a thread for it. A ring that
/// takes more than <see cref="RingSize"/> hits between two writes overwrites its oldest records: the buffer is lossy by
/// design (like Caffeine's and BitFaster's), which costs the policy a little precision on read-heavy stretches, when it
/// is not evicting anyway. In the hit-ratio simulator a 64-slot ring scored the same as a thread-pool drain on every trace
/// but the loop, where it scored higher; a 32-slot ring lost 1.6 points on the loop.
/// </para>
/// <para>
/// Every ring stores the id before it publishes the count (the shared ring's compare-and-swap is a full fence; a
/// per-thread ring uses a release write), so a drainer that sees a count finds every slot up to it written with the id of
/// a real hit. In the shared ring the loser of a collision may already have stored its id into the winner's slot; the
/// drainer then applies the loser's hit (which the loser also records again in its own ring) instead of the winner's.
/// That, and a drainer racing a wrapping writer, only nudge recency order; the counts stay exact. The drainer only reads
/// the rings: writing them would pull the readers' cache lines to its core.
/// </para>
/// <para>
/// A mutable struct, so that the cache holds the mode flag and the shared ring's reference in its own object and a hit
/// saves the load of a buffer object. Keep it in a non-readonly field (or local) and never copy it.
/// </para>
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
[SuppressMessage("Performance", "CA1815:Override equals and operator equals on value types", Justification = "Held in one field, never compared or copied.")]
internal struct ReadBuffer<TKey, TValue> : IDisposable
{
    /// <summary>The number of hits a ring holds; older unapplied hits are overwritten.</summary>
    public const int RingSize = 64;

    private const int RingMask = RingSize - 1;

    private readonly Ring _shared;
    private readonly Stripes _stripes;
    private volatile bool _striped;

    /// <summary>Initializes a buffer in shared mode.</summary>
    public ReadBuffer()
    {
        _stripes = new Stripes();
        _shared = new Ring(_stripes);
    }

    /// <summary>Gets whether the buffer has seen contention and counts in per-thread rings (see the remarks).</summary>
    public readonly bool IsStriped => _striped;

    /// <summary>Switches to per-thread rings now, as contention would; for tests of striped mode.</summary>
    internal void Stripe() => _striped = true;

    /// <summary>Counts a hit on the entry with <paramref name="policyId"/> and records it for the policy.</summary>
    /// <param name="policyId">The entry's <see cref="CacheNode{TKey, TValue}.PolicyId"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordHit(long policyId)
    {
        if (!_striped)
        {
            var ring = _shared;
            var hits = ring.First;
            if (Interlocked.CompareExchange(ref ring.First, hits + 1, hits) == hits)
            {
                ring.Ids[(int)(hits + 1) & RingMask] = policyId;
                return;
            }
        }

        RecordHitStriped(policyId);
    }

    /// <summary>Counts a miss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordMiss()
    {
        if (!_striped)
        {
            var ring = _shared;
            var misses = ring.Second;
            if (Interlocked.CompareExchange(ref ring.Second, misses + 1, misses) == misses)
            {
                return;
            }
        }

        RecordMissStriped();
    }

    /// <summary>Returns the number of hits counted so far (exact once concurrent callers have returned).</summary>
    /// <returns>The hit count.</returns>
    public readonly long SumHits() => Volatile.Read(ref _shared.First) + _stripes.SumFirst();

    /// <summary>Returns the number of misses counted so far (exact once concurrent callers have returned).</summary>
    /// <returns>The miss count.</returns>
    public readonly long SumMisses() => Volatile.Read(ref _shared.Second) + _stripes.SumSecond();

    /// <summary>Applies every ring's unapplied hits to <paramref name="policy"/>, oldest first per ring. Call under the maintenance lock.</summary>
    /// <param name="policy">The policy to feed.</param>
    public void DrainTo(WTinyLfuPolicy<TKey, TValue> policy)
    {
        _shared.DrainTo(policy);
        if (_striped)
        {
            foreach (var cell in _stripes.All())
            {
                Unsafe.As<Ring>(cell).DrainTo(policy);
            }
        }
    }

    /// <summary>Forgets every unapplied hit (the cache was cleared). Call under the maintenance lock.</summary>
    public void Discard()
    {
        _shared.Discard();
        foreach (var cell in _stripes.All())
        {
            Unsafe.As<Ring>(cell).Discard();
        }
    }

    /// <inheritdoc />
    public readonly void Dispose() => _stripes.Dispose();

    // Contention seen (or already striped): from now on every thread counts in its own ring.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordHitStriped(long policyId)
    {
        _striped = true;
        var ring = Unsafe.As<Ring>(_stripes.Local);
        var hits = ring.First + 1;
        ring.Ids[(int)hits & RingMask] = policyId;
        Volatile.Write(ref ring.First, hits);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordMissStriped()
    {
        _striped = true;
        _stripes.Local.Second++;
    }

    // The ids live inside the ring object: a hit stores into it directly, with no array to load or bounds-check.
    [InlineArray(RingSize)]
    private struct RecentIds
    {
        private long _id;
    }

    // The per-thread rings of striped mode.
    private sealed class Stripes : PerThreadCounters
    {
        public Cell[] All() => Cells();

        protected override Cell CreateCell() => new Ring(this);
    }

    // A ring's hit count is Cell.First and its miss count Cell.Second.
    private sealed class Ring(PerThreadCounters owner) : PerThreadCounters.Cell(owner)
    {
#pragma warning disable IDE0044 // an inline array written through its indexer must not be readonly
        public RecentIds Ids;
#pragma warning restore IDE0044

        // The hit count up to which this ring has been applied; touched only under the maintenance lock.
        private long _drained;

        public void DrainTo(WTinyLfuPolicy<TKey, TValue> policy)
        {
            var end = Volatile.Read(ref First);
            var start = Math.Max(_drained, end - RingSize);
            for (var i = start + 1; i <= end; i++)
            {
                policy.RecordRead(Ids[(int)i & RingMask]);
            }

            _drained = end;
        }

        public void Discard() => _drained = Volatile.Read(ref First);
    }
}
