using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class ReadBufferTests
{
    [Fact]
    public void RecordHit_EveryRingSizeHits_AsksForMaintenance()
    {
        using var buffer = new ReadBuffer<int, int>();
        var wraps = 0;
        for (var i = 0; i < 4 * ReadBuffer<int, int>.RingSize; i++)
        {
            wraps += buffer.RecordHit(1) ? 1 : 0;
        }

        Assert.Equal(4, wraps);
        Assert.Equal(4 * ReadBuffer<int, int>.RingSize, buffer.SumFirst());
    }

    [Fact]
    public void DrainTo_PendingHits_AppliedOnceInOrder()
    {
        var policy = new WTinyLfuPolicy<int, int>(10, CacheEvictionPolicy.Lru);
        var nodes = Enumerable.Range(0, 3).Select(k => new CacheNode<int, int>(k, k, FrequencySketch.Mix(k), ExpiryClock.Never, ExpiryClock.Never, 0)).ToArray();
        foreach (var node in nodes)
        {
            policy.Add(node);
        }

        using var buffer = new ReadBuffer<int, int>();
        buffer.RecordHit(nodes[0].PolicyId);
        buffer.RecordHit(nodes[1].PolicyId);

        buffer.DrainTo(policy);
        buffer.DrainTo(policy);

        // LRU order is now 2, 0, 1: evicting one entry takes 2 (never read), then 0 (read before 1).
        var removed = default(RemovalBatch<int, int>);
        policy.Evict(maxCount: 1, long.MaxValue, now: 0, ref removed);
        Assert.Equal([2, 0], Keys(removed));
    }

    [Fact]
    public void DrainTo_MoreHitsThanRing_KeepsTheNewestAndDropsTheRest()
    {
        var policy = new WTinyLfuPolicy<int, int>(100, CacheEvictionPolicy.Lru);
        var nodes = Enumerable.Range(0, 40).Select(k => new CacheNode<int, int>(k, k, FrequencySketch.Mix(k), ExpiryClock.Never, ExpiryClock.Never, 0)).ToArray();
        foreach (var node in nodes)
        {
            policy.Add(node);
        }

        using var buffer = new ReadBuffer<int, int>();
        foreach (var node in nodes)
        {
            buffer.RecordHit(node.PolicyId);
        }

        // Reverse the LRU order of the last 32 by reading them again in reverse, then drain: only the newest 32 records count.
        for (var k = 39; k >= 8; k--)
        {
            buffer.RecordHit(nodes[k].PolicyId);
        }

        buffer.DrainTo(policy);

        var removed = default(RemovalBatch<int, int>);
        policy.Evict(maxCount: 8, long.MaxValue, now: 0, ref removed);
        Assert.Equal(Enumerable.Range(0, 8).Concat(Enumerable.Range(8, 32).Reverse()).Take(32), Keys(removed));
    }

    [Fact]
    public void DrainTo_IdOfRemovedEntry_Ignored()
    {
        var policy = new WTinyLfuPolicy<int, int>(10, CacheEvictionPolicy.WTinyLfu);
        var node = new CacheNode<int, int>(1, 1, FrequencySketch.Mix(1), ExpiryClock.Never, ExpiryClock.Never, 0);
        policy.Add(node);
        using var buffer = new ReadBuffer<int, int>();
        buffer.RecordHit(node.PolicyId);

        policy.Remove(node);
        buffer.DrainTo(policy);

        Assert.Equal(0, policy.Count);
        Assert.Equal(PolicyQueue.None, policy.QueueOf(node));
    }

    private static List<int> Keys(RemovalBatch<int, int> removed)
    {
        var keys = new List<int>();
        for (var node = removed.First; node is not null; node = node.NextRemoved)
        {
            keys.Add(node.Key);
        }

        return keys;
    }
}
