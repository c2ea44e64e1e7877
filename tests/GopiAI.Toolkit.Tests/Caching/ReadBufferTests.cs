using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class ReadBufferTests
{
    [Fact]
    public void RecordHit_ManyHits_CountsEveryOneForTheCallingThread()
    {
        var buffer = new ReadBuffer<int, int>(); // a mutable struct: not a using variable, which would be a readonly copy
        for (var i = 0; i < 3 * ReadBuffer<int, int>.RingSize; i++)
        {
            buffer.RecordHit(1);
        }

        buffer.RecordMiss();
        var otherThread = new Thread(() => buffer.RecordHit(2));
        otherThread.Start();
        otherThread.Join();

        Assert.Equal((3 * ReadBuffer<int, int>.RingSize) + 1, buffer.SumHits());
        Assert.Equal(1, buffer.SumMisses());
    }

    [Fact]
    public void RecordHit_OneThreadAtATime_StaysShared()
    {
        var buffer = new ReadBuffer<int, int>(); // a mutable struct: not a using variable, which would be a readonly copy
        for (var i = 0; i < 1000; i++)
        {
            buffer.RecordHit(i);
            buffer.RecordMiss();
        }

        // Another thread after the first has stopped: no collision, so still one shared ring.
        var otherThread = new Thread(() => buffer.RecordHit(1));
        otherThread.Start();
        otherThread.Join();

        Assert.False(buffer.IsStriped);
        Assert.Equal(1001, buffer.SumHits());
        Assert.Equal(1000, buffer.SumMisses());
    }

    [Fact]
    public void Stripe_CountsBeforeAndAfter_AllKept()
    {
        var buffer = new ReadBuffer<int, int>(); // a mutable struct: not a using variable, which would be a readonly copy
        buffer.RecordHit(1);
        buffer.RecordMiss();

        buffer.Stripe();
        buffer.RecordHit(2);
        buffer.RecordHit(3);
        buffer.RecordMiss();

        Assert.True(buffer.IsStriped);
        Assert.Equal(3, buffer.SumHits());
        Assert.Equal(2, buffer.SumMisses());
    }

    [Fact]
    public void DrainTo_HitsInSharedThenStripedRings_AppliesBoth()
    {
        var (policy, nodes) = LruPolicyWith(3);
        var buffer = new ReadBuffer<int, int>(); // a mutable struct: not a using variable, which would be a readonly copy
        RecordSharedThenStriped(ref buffer, nodes);

        buffer.DrainTo(policy);

        // Both reads were applied: 2 (never read) is the least recently used, then 0 and 1.
        Assert.Equal([2, 0], EvictDownTo(policy, 1));
    }

    [Fact]
    public void Discard_HitsInBothModes_NoneApplied()
    {
        var (policy, nodes) = LruPolicyWith(3);
        var buffer = new ReadBuffer<int, int>(); // a mutable struct: not a using variable, which would be a readonly copy
        RecordSharedThenStriped(ref buffer, nodes);

        buffer.Discard();
        buffer.DrainTo(policy);

        // Insertion order is kept: 0 goes first, then 1.
        Assert.Equal([0, 1], EvictDownTo(policy, 1));
        Assert.Equal(2, buffer.SumHits());
    }

    [Fact]
    public void DrainTo_PendingHits_AppliedOnceInOrder()
    {
        var (policy, nodes) = LruPolicyWith(3);
        var buffer = new ReadBuffer<int, int>(); // a mutable struct: not a using variable, which would be a readonly copy
        buffer.RecordHit(nodes[0].PolicyId);
        buffer.RecordHit(nodes[1].PolicyId);

        buffer.DrainTo(policy);
        buffer.DrainTo(policy);

        // LRU order is now 2, 0, 1: evicting one entry takes 2 (never read), then 0 (read before 1).
        Assert.Equal([2, 0], EvictDownTo(policy, 1));
    }

    [Fact]
    public void DrainTo_MoreHitsThanRing_KeepsTheNewestAndDropsTheRest()
    {
        const int Ring = ReadBuffer<int, int>.RingSize;
        const int Entries = Ring + 8;
        var (policy, nodes) = LruPolicyWith(Entries, capacity: 1000);
        var buffer = new ReadBuffer<int, int>(); // a mutable struct: not a using variable, which would be a readonly copy
        foreach (var node in nodes)
        {
            buffer.RecordHit(node.PolicyId);
        }

        // Read the last Ring entries again, newest first, then drain: only the newest Ring records count, so the first
        // pass over all entries is forgotten and the LRU order becomes 0..7, then the re-read ones from the oldest read.
        for (var k = Entries - 1; k >= 8; k--)
        {
            buffer.RecordHit(nodes[k].PolicyId);
        }

        buffer.DrainTo(policy);

        Assert.Equal(Enumerable.Range(0, 8).Concat(Enumerable.Range(8, Ring).Reverse()), EvictDownTo(policy, 0));
    }

    [Fact]
    public void DrainTo_IdOfRemovedEntry_Ignored()
    {
        var policy = new WTinyLfuPolicy<int, int>(10, CacheEvictionPolicy.WTinyLfu);
        var node = new CacheNode<int, int>(1, 1, ExpiryClock.Never, ExpiryClock.Never, 0);
        policy.Add(node);
        var buffer = new ReadBuffer<int, int>(); // a mutable struct: not a using variable, which would be a readonly copy
        buffer.RecordHit(node.PolicyId);

        policy.Remove(node);
        buffer.DrainTo(policy);

        Assert.Equal(0, policy.Count);
        Assert.Equal(PolicyQueue.None, policy.QueueOf(node));
    }

    /// <summary>An LRU policy holding the entries 0 to <paramref name="count"/> - 1, added in that order.</summary>
    private static (WTinyLfuPolicy<int, int> Policy, CacheNode<int, int>[] Nodes) LruPolicyWith(int count, int capacity = 10)
    {
        var policy = new WTinyLfuPolicy<int, int>(capacity, CacheEvictionPolicy.Lru);
        var nodes = Enumerable.Range(0, count).Select(k => new CacheNode<int, int>(k, k, ExpiryClock.Never, ExpiryClock.Never, 0)).ToArray();
        foreach (var node in nodes)
        {
            policy.Add(node);
        }

        return (policy, nodes);
    }

    /// <summary>A hit on entry 0 in the shared ring, then (after striping) a hit on entry 1 in this thread's ring.</summary>
    private static void RecordSharedThenStriped(ref ReadBuffer<int, int> buffer, CacheNode<int, int>[] nodes)
    {
        buffer.RecordHit(nodes[0].PolicyId);
        buffer.Stripe();
        buffer.RecordHit(nodes[1].PolicyId);
    }

    /// <summary>Evicts down to <paramref name="maxCount"/> entries and returns the keys removed, in eviction order.</summary>
    private static List<int> EvictDownTo(WTinyLfuPolicy<int, int> policy, int maxCount)
    {
        var removed = default(RemovalBatch<int, int>);
        policy.Evict(maxCount, long.MaxValue, now: 0, ref removed);
        var keys = new List<int>();
        for (var node = removed.First; node is not null; node = node.NextRemoved)
        {
            keys.Add(node.Key);
        }

        return keys;
    }
}
