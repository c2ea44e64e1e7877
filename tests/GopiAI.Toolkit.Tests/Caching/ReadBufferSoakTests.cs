using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class ReadBufferSoakTests
{
    [Fact]
    public void RecordHitAndMiss_TwoThreadsAtOnce_EveryCountKeptAndOnlyRealIdsApplied()
    {
        const int Entries = 100;
        const int Rounds = 200;
        const int PerRound = 1_000;
        var policy = new WTinyLfuPolicy<int, int>(Entries, CacheEvictionPolicy.WTinyLfu);
        var nodes = Enumerable.Range(0, Entries).Select(k => new CacheNode<int, int>(k, k, ExpiryClock.Never, ExpiryClock.Never, 0)).ToArray();
        foreach (var node in nodes)
        {
            policy.Add(node);
        }

        var buffer = new ReadBuffer<int, int>(); // a mutable struct: not a using variable, which would be a readonly copy
        using var start = new Barrier(2);
        var stop = 0;

        void Read(int seed)
        {
            var random = new Random(seed);
            for (var round = 0; round < Rounds; round++)
            {
                // Both threads start each round together, so they collide in the shared ring and move it to stripes.
                start.SignalAndWait();
                for (var i = 0; i < PerRound; i++)
                {
                    buffer.RecordHit(nodes[random.Next(Entries)].PolicyId);
                    if ((i & 3) == 0)
                    {
                        buffer.RecordMiss();
                    }
                }
            }
        }

        // A drainer under a lock, as the cache drains before writes, racing the readers.
        var gate = new Lock();
        var drainer = new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                lock (gate)
                {
                    buffer.DrainTo(policy);
                }

                Thread.Yield();
            }
        });
        var readers = new[] { new Thread(() => Read(1)), new Thread(() => Read(2)) };
        drainer.Start();
        foreach (var t in readers)
        {
            t.Start();
        }

        foreach (var t in readers)
        {
            t.Join();
        }

        Volatile.Write(ref stop, 1);
        drainer.Join();
        lock (gate)
        {
            buffer.DrainTo(policy);
        }

        Assert.Equal(2L * Rounds * PerRound, buffer.SumHits());
        Assert.Equal(2L * Rounds * (PerRound / 4), buffer.SumMisses());
        Assert.Equal(Entries, policy.Count);
        Assert.All(nodes, node => Assert.NotEqual(PolicyQueue.None, policy.QueueOf(node)));
    }
}
