using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class PolicySlotsTests
{
    private static CacheNode<int, int> Node(int key) => new(key, key, ExpiryClock.Never, ExpiryClock.Never, 0);

    [Fact]
    public void Add_ThreeNodes_QueueInInsertionOrder()
    {
        var slots = new PolicySlots<int, int>(10);
        var a = slots.Add(Node(1), 0, PolicyQueue.Window);
        var b = slots.Add(Node(2), 0, PolicyQueue.Window);
        var c = slots.Add(Node(3), 0, PolicyQueue.Window);

        Assert.Equal([a, b, c], Walk(slots, PolicyQueue.Window));
        Assert.Equal(3, slots.Count(PolicyQueue.Window));
    }

    [Fact]
    public void MoveToLast_OtherQueue_MovesAndKeepsBothListsLinked()
    {
        var slots = new PolicySlots<int, int>(10);
        var a = slots.Add(Node(1), 0, PolicyQueue.Window);
        var b = slots.Add(Node(2), 0, PolicyQueue.Window);
        var c = slots.Add(Node(3), 0, PolicyQueue.Window);

        slots.MoveToLast(b, PolicyQueue.Protected);
        slots.MoveToLast(a, PolicyQueue.Window);

        Assert.Equal([c, a], Walk(slots, PolicyQueue.Window));
        Assert.Equal([b], Walk(slots, PolicyQueue.Protected));
        Assert.Equal(PolicyQueue.Protected, slots.QueueOf(b));
    }

    [Fact]
    public void TryResolve_AfterRemoveAndReuse_OldIdIsStale()
    {
        var slots = new PolicySlots<int, int>(10);
        var first = Node(1);
        var slot = slots.Add(first, 0, PolicyQueue.Window);
        var firstId = first.PolicyId;
        Assert.True(slots.TryResolve(firstId, out var resolved));
        Assert.Equal(slot, resolved);

        slots.Remove(slot);
        Assert.False(slots.TryResolve(firstId, out _));

        var second = Node(2);
        var reused = slots.Add(second, 0, PolicyQueue.Window);

        Assert.Equal(slot, reused);
        Assert.False(slots.TryResolve(firstId, out _));
        Assert.True(slots.TryResolve(second.PolicyId, out _));
        Assert.Same(second, slots.Node(reused));
    }

    [Fact]
    public void TryResolve_DefaultOrForeignId_False()
    {
        var slots = new PolicySlots<int, int>(10);
        slots.Add(Node(1), 0, PolicyQueue.Window);

        Assert.False(slots.TryResolve(0, out _));
        Assert.False(slots.TryResolve(-1, out _));
        Assert.False(slots.TryResolve((1L << 32) | 5, out _));
    }

    [Fact]
    public void Replace_KeepsPositionAndStalesTheOldId()
    {
        var slots = new PolicySlots<int, int>(10);
        var old = Node(1);
        var slot = slots.Add(old, 0, PolicyQueue.Window);
        var other = slots.Add(Node(2), 0, PolicyQueue.Window);
        var replacement = Node(1);

        slots.Replace(slot, replacement);

        Assert.Equal([slot, other], Walk(slots, PolicyQueue.Window));
        Assert.False(slots.TryResolve(old.PolicyId, out _));
        Assert.True(slots.TryResolve(replacement.PolicyId, out _));
    }

    [Fact]
    public void Add_BeyondInitialArrays_Grows()
    {
        var slots = new PolicySlots<int, int>(1000);
        for (var i = 0; i < 1000; i++)
        {
            slots.Add(Node(i), 0, PolicyQueue.Probation);
        }

        Assert.Equal(1000, slots.Count(PolicyQueue.Probation));
        Assert.Equal(999, slots.Node(Walk(slots, PolicyQueue.Probation)[^1]).Key);
    }

    private static List<int> Walk(PolicySlots<int, int> slots, PolicyQueue queue)
    {
        var result = new List<int>();
        for (var slot = slots.First(queue); slot != PolicySlots<int, int>.None; slot = slots.Next(slot))
        {
            result.Add(slot);
        }

        return result;
    }
}
