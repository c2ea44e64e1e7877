using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class CacheMapTests
{
    [Fact]
    public void Set_NewKeys_EachFoundUnderItsKey()
    {
        var map = new CacheMap<int, string>(4);
        for (var k = 0; k < 1000; k++)
        {
            Assert.Null(map.Set(Node(k, $"v{k}")));
        }

        Assert.Equal(1000, map.Count);
        for (var k = 0; k < 1000; k++)
        {
            Assert.Equal($"v{k}", map.Find(k)?.Value);
        }

        Assert.Null(map.Find(1000));
        Assert.Null(map.Find(-1));
    }

    [Fact]
    public void Set_ExistingKey_ReplacesAndReturnsTheOldEntry()
    {
        var map = new CacheMap<string, int>(4);
        var first = Node("a", 1);
        map.Set(first);

        var replaced = map.Set(Node("a", 2));

        Assert.Same(first, replaced);
        Assert.Equal(2, map.Find("a")?.Value);
        Assert.Equal(1, map.Count);
    }

    [Fact]
    public void Remove_StaleEntry_KeepsTheNewerOne()
    {
        var map = new CacheMap<int, int>(4);
        var old = Node(1, 1);
        map.Set(old);
        map.Set(Node(1, 2));

        Assert.False(map.Remove(old));
        Assert.Equal(2, map.Find(1)?.Value);
        Assert.Equal(2, map.Remove(1)?.Value);
        Assert.Null(map.Find(1));
        Assert.Null(map.Remove(1));
        Assert.Equal(0, map.Count);
    }

    [Fact]
    public void Remove_EntryInACollisionChain_LaterEntriesStillFound()
    {
        // Every key has the same hash code, so they sit one after another from the same home slot.
        var map = new CacheMap<Colliding, int>(16);
        for (var k = 0; k < 5; k++)
        {
            map.Set(Node(new Colliding(k), k));
        }

        Assert.Equal(1, map.Remove(new Colliding(1))?.Value);

        Assert.Equal(1, map.Tombstones);
        Assert.Null(map.Find(new Colliding(1)));
        for (var k = 2; k < 5; k++)
        {
            Assert.Equal(k, map.Find(new Colliding(k))?.Value);
        }

        // An insert reuses the tombstone.
        map.Set(Node(new Colliding(9), 9));
        Assert.Equal(0, map.Tombstones);
        Assert.Equal(9, map.Find(new Colliding(9))?.Value);
    }

    [Fact]
    public void Remove_EndOfCollisionChain_EmptiesItAndTheTombstonesBeforeIt()
    {
        var map = new CacheMap<Colliding, int>(16);
        for (var k = 0; k < 4; k++)
        {
            map.Set(Node(new Colliding(k), k));
        }

        map.Remove(new Colliding(1));
        map.Remove(new Colliding(2));
        Assert.Equal(2, map.Tombstones);

        // The last entry of the chain is followed by an empty slot: it and the two tombstones before it are emptied.
        map.Remove(new Colliding(3));

        Assert.Equal(0, map.Tombstones);
        Assert.Equal(0, map.Find(new Colliding(0))?.Value);
        Assert.Equal(1, map.Count);
    }

    [Fact]
    public void Set_ChurnAtFixedSize_SlotsStayProportionalAndEntriesFound()
    {
        const int Live = 100;
        var map = new CacheMap<int, int>(Live);
        for (var k = 0; k < 100_000; k++)
        {
            map.Set(Node(k, k));
            if (k >= Live)
            {
                Assert.True(map.Remove(k - Live) is not null);
            }

            Assert.True(map.Count + map.Tombstones <= map.SlotCount * 3 / 4);
            Assert.True(map.SlotCount <= 256, $"{map.SlotCount} slots");
        }

        Assert.All(Enumerable.Range(100_000 - Live, Live), k => Assert.Equal(k, map.Find(k)?.Value));
    }

    [Fact]
    public void Set_BeyondInitialCapacity_GrowsAndKeepsLoadAtMostThreeQuarters()
    {
        var map = new CacheMap<int, int>(1);
        for (var k = 0; k < 10_000; k++)
        {
            map.Set(Node(k * 7919, k));
            Assert.True(map.Count + map.Tombstones <= map.SlotCount * 3 / 4);
        }

        Assert.All(Enumerable.Range(0, 10_000), k => Assert.Equal(k, map.Find(k * 7919)?.Value));
    }

    [Fact]
    public void GetEnumerator_RemovingWhileEnumerating_VisitsEveryEntryOnce()
    {
        var map = new CacheMap<int, int>(64);
        for (var k = 0; k < 50; k++)
        {
            map.Set(Node(k, k));
        }

        var seen = new List<int>();
        foreach (var node in map)
        {
            seen.Add(node.Key);
            if (node.Key % 2 == 0)
            {
                Assert.True(map.Remove(node));
            }
        }

        Assert.Equal(Enumerable.Range(0, 50), seen.Order());
        Assert.Equal(25, map.Count);
    }

    [Fact]
    public void SetRemoveEnumerate_ReferenceTypeKeys_BehaveAsForValueTypeKeys()
    {
        // Reference-type keys are kept in a ConcurrentDictionary (see CacheMap): the same contract.
        var map = new CacheMap<string, int>(4);
        for (var k = 0; k < 100; k++)
        {
            Assert.Null(map.Set(Node($"k{k}", k)));
        }

        var old = map.Find("k1")!;
        Assert.Same(old, map.Set(Node("k1", 1001)));
        Assert.False(map.Remove(old));
        Assert.Equal(1001, map.Find("k1")?.Value);
        Assert.Equal(2, map.Remove("k2")?.Value);
        Assert.Null(map.Remove("k2"));

        var seen = 0;
        foreach (var node in map)
        {
            seen++;
            if (node.Value % 2 == 0)
            {
                Assert.True(map.Remove(node));
            }
        }

        Assert.Equal(99, seen);
        Assert.Equal(50, map.Count);
        Assert.Null(map.Find("k4"));
        Assert.Equal(5, map.Find("k5")?.Value);

        map.Clear(4);
        Assert.Equal(0, map.Count);
        Assert.Null(map.Find("k5"));
    }

    [Fact]
    public void Clear_WithEntries_LeavesAnEmptyMap()
    {
        var map = new CacheMap<int, int>(4);
        map.Set(Node(1, 1));

        map.Clear(4);

        Assert.Null(map.Find(1));
        Assert.Equal(0, map.Count);
    }

    internal static CacheNode<TKey, TValue> Node<TKey, TValue>(TKey key, TValue value)
        where TKey : notnull => new(key, value, ExpiryClock.Never, ExpiryClock.Never, 0);

    internal readonly record struct Colliding(int Id)
    {
        public override int GetHashCode() => 42;
    }
}
