using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class CacheMapSoakTests
{
    [Fact]
    public void Find_WhileOneWriterSetsRemovesAndRebuilds_PinnedKeysNeverMissedAndNoWrongEntry()
    {
        // Keys below Pinned are stored once and never removed; the writer churns the others (inserts, replacements,
        // removals, so tombstones and rebuilds), while a reader looks up everything.
        const int Pinned = 64;
        const int Churned = 2_000;
        const int WriterSteps = 400_000;
        var map = new CacheMap<int, int>(16);
        for (var k = 0; k < Pinned; k++)
        {
            map.Set(CacheMapTests.Node(k, k));
        }

        var done = 0;
        var failures = new List<string>();
        var writer = new Thread(() =>
        {
            var random = new Random(5);
            for (var i = 0; i < WriterSteps; i++)
            {
                var key = Pinned + random.Next(Churned);
                if (random.Next(3) == 0)
                {
                    map.Remove(key);
                }
                else
                {
                    map.Set(CacheMapTests.Node(key, key));
                }
            }

            Volatile.Write(ref done, 1);
        });
        var reader = new Thread(() =>
        {
            var random = new Random(6);
            var lookups = 0L;
            while (Volatile.Read(ref done) == 0 || lookups < 100_000)
            {
                var pinned = random.Next(Pinned);
                if (map.Find(pinned) is not { } node || node.Value != pinned)
                {
                    failures.Add($"pinned key {pinned} missed");
                    return;
                }

                var key = Pinned + random.Next(Churned);
                if (map.Find(key) is { } found && (found.Key != key || found.Value != key))
                {
                    failures.Add($"key {key} found entry {found.Key}");
                    return;
                }

                lookups++;
            }
        });

        writer.Start();
        reader.Start();
        writer.Join();
        reader.Join();

        Assert.Empty(failures);
        var count = 0;
        foreach (var node in map)
        {
            Assert.Same(node, map.Find(node.Key));
            count++;
        }

        Assert.Equal(map.Count, count);
    }
}
