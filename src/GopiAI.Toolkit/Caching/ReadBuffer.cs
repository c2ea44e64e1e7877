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
/// for good, once two threads collide (a miss's compare-and-swap fails, or a hit's fails twice: the cache's inlined
/// attempt, <see cref="TryRecordHitShared"/>, and the retry in <see cref="RecordHit"/>): each thread then counts in its
/// own padded ring (<see cref="PerThreadCounters"/>) with a plain add, so contending threads never share a cache line.
/// Either way every hit and miss is counted exactly once, in exactly one ring. A cache that two threads hammered once stays
/// striped, as a LongAdder keeps its cells: its hits then cost the thread-static read, which is small next to what a
/// cache line bouncing between two cores would cost.
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
/// A per-thread ring stores the id before it publishes the count (a release write). The shared ring claims the slot by its
/// compare-and-swap and stores the id after it (storing first would make the locked instruction wait for that store:
/// measurably slower), so a drainer may see a count whose id is not stored yet and apply the id that slot held one lap
/// earlier, or 0 (which no entry has: slot generations start at 1), and then skip that hit. That, and a drainer racing a
/// wrapping writer, only nudge recency order; ids of entries that have left are recognised and ignored; the counts stay
/// exact. The drainer only reads the rings: writing them would pull the readers' cache lines to its core.
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
        if (!TryRecordHitShared(policyId))
        {
            RecordHitStriped(policyId);
        }
    }

    /// <summary>
    /// Counts and records a hit in the shared ring if the buffer is in shared mode and no other thread collides; otherwise
    /// records nothing (the caller then calls <see cref="RecordHit"/>). The hit path's first attempt, kept free of calls.
    /// </summary>
    /// <param name="policyId">The entry's <see cref="CacheNode{TKey, TValue}.PolicyId"/>.</param>
    /// <returns><see langword="true"/> when the hit was counted.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRecordHitShared(long policyId)
    {
        if (_striped)
        {
            return false;
        }

        var ring = _shared;
        var hits = ring.First;
        if (Interlocked.CompareExchange(ref ring.First, hits + 1, hits) != hits)
        {
            return false;
        }

        ring.Ids[(int)(hits + 1) & RingMask] = policyId;
        return true;
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
