using System.Runtime.CompilerServices;
using GopiAI.Toolkit.Internal;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// Records cache hits for the eviction policy without a lock or an interlocked instruction on the hit path, and counts hits
/// and misses for the statistics.
/// </summary>
/// <remarks>
/// <para>
/// Each thread owns a cell (see <see cref="PerThreadCounters"/>) with its hit and miss counters and a ring of the policy ids
/// (<see cref="CacheNode{TKey, TValue}.PolicyId"/>) of the last <see cref="RingSize"/> entries it hit. A hit is a plain
/// increment of the thread's own hit counter plus a 64-bit store into the slot that counter selects: exact, uncontended, no
/// allocation, no GC write barrier, and no entry kept reachable.
/// </para>
/// <para>
/// The policy applies the rings under the maintenance lock before every write: eviction decisions are only taken on
/// writes, so that is when reads must be known, and readers never pay for the policy or wake a thread for it. A thread
/// that hits more than <see cref="RingSize"/> times between two writes overwrites its oldest records: the buffer is lossy
/// by design (like Caffeine's and BitFaster's), which costs the policy a little precision on read-heavy stretches, when
/// it is not evicting anyway. In the hit-ratio simulator a 64-slot ring scored the same as a thread-pool drain on every
/// trace but the loop, where it scored higher; a 32-slot ring lost 1.6 points on the loop.
/// </para>
/// <para>
/// The hit counter is published after the slot (a release write), so a drainer that sees the count also sees the id. A
/// drainer that races a wrapping writer may lose a record or apply a newer one early; both only nudge recency order. The
/// drainer only reads the rings: writing them would pull the readers' cache lines to its core.
/// </para>
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class ReadBuffer<TKey, TValue> : PerThreadCounters
{
    /// <summary>The number of hits a thread's ring holds; older unapplied hits are overwritten.</summary>
    public const int RingSize = 64;

    private const int RingMask = RingSize - 1;

    /// <summary>Counts a hit on the entry with <paramref name="policyId"/> for the calling thread and records it for the policy.</summary>
    /// <param name="policyId">The entry's <see cref="CacheNode{TKey, TValue}.PolicyId"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordHit(long policyId)
    {
        var ring = Unsafe.As<Ring>(Local);
        var hits = ring.First + 1;
        ring.Ids[(int)hits & RingMask] = policyId;
        Volatile.Write(ref ring.First, hits);
    }

    /// <summary>Counts a miss for the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordMiss() => Local.Second++;

    /// <summary>Applies every thread's unapplied hits to <paramref name="policy"/>, oldest first per thread. Call under the maintenance lock.</summary>
    /// <param name="policy">The policy to feed.</param>
    public void DrainTo(WTinyLfuPolicy<TKey, TValue> policy)
    {
        foreach (var cell in Cells())
        {
            Unsafe.As<Ring>(cell).DrainTo(policy);
        }
    }

    /// <summary>Forgets every unapplied hit (the cache was cleared). Call under the maintenance lock.</summary>
    public void Discard()
    {
        foreach (var cell in Cells())
        {
            Unsafe.As<Ring>(cell).Discard();
        }
    }

    /// <inheritdoc />
    protected override Cell CreateCell() => new Ring(this);

    // The ids live inside the cell object: a hit stores into it directly, with no array to load or bounds-check.
    [InlineArray(RingSize)]
    private struct RecentIds
    {
        private long _id;
    }

    private sealed class Ring(PerThreadCounters owner) : Cell(owner)
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
