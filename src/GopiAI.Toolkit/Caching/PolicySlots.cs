namespace GopiAI.Toolkit.Caching;

/// <summary>
/// The eviction policy's per-entry state, kept apart from the entries: parallel arrays indexed by a slot number, with the
/// policy's access-ordered queues threaded through them as intrusive doubly linked lists.
/// </summary>
/// <remarks>
/// <para>
/// Why not links in the entry objects: readers on other cores read an entry's value and expiry on every hit, and the
/// policy reorders entries on another core while it applies buffered reads. Links stored in the entries would be written
/// there, pulling the readers' cache lines away on each reorder. Here the policy writes only its own arrays.
/// </para>
/// <para>
/// Each slot has a generation, bumped whenever the slot changes hands; an entry's <see cref="CacheNode{TKey, TValue}.PolicyId"/>
/// is its slot and generation in one <see cref="long"/>. That is what the read buffer records on a hit: a plain store with
/// no GC write barrier, which keeps no entry reachable, and which <see cref="TryResolve"/> recognises as stale once the
/// entry has left (or its slot was reused). Not thread-safe: used under the cache's maintenance lock.
/// </para>
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class PolicySlots<TKey, TValue>
{
    /// <summary>The slot number that means "no slot" (end of a list).</summary>
    public const int None = -1;

    private const int InitialSlots = 64;

    // First, last and count of each queue, indexed by PolicyQueue (the None entry is unused).
    private readonly Queue[] _queues = new Queue[4];
    private readonly int _maxSlots;
    private CacheNode<TKey, TValue>?[] _nodes;
    private int[] _hashes;
    private int[] _previous;
    private int[] _next;
    private PolicyQueue[] _queueOf;
    private uint[] _generations;
    private int _used;
    private int _free = None;

    /// <summary>Initializes storage for at most <paramref name="maxEntries"/> entries at once (grown on demand).</summary>
    /// <param name="maxEntries">The most entries the policy holds at any moment.</param>
    public PolicySlots(int maxEntries)
    {
        _maxSlots = maxEntries;
        var initial = Math.Min(maxEntries, InitialSlots);
        _nodes = new CacheNode<TKey, TValue>?[initial];
        _hashes = new int[initial];
        _previous = new int[initial];
        _next = new int[initial];
        _queueOf = new PolicyQueue[initial];
        _generations = new uint[initial];
        foreach (ref var queue in _queues.AsSpan())
        {
            queue = new Queue(None, None, 0);
        }
    }

    /// <summary>Returns the entry in <paramref name="slot"/>.</summary>
    /// <param name="slot">An occupied slot.</param>
    /// <returns>The entry.</returns>
    public CacheNode<TKey, TValue> Node(int slot) => _nodes[slot]!;

    /// <summary>Returns the sketch hash of the entry in <paramref name="slot"/>.</summary>
    /// <param name="slot">An occupied slot.</param>
    /// <returns>The hash.</returns>
    public int Hash(int slot) => _hashes[slot];

    /// <summary>Returns the queue that holds <paramref name="slot"/>.</summary>
    /// <param name="slot">An occupied slot.</param>
    /// <returns>The queue.</returns>
    public PolicyQueue QueueOf(int slot) => _queueOf[slot];

    /// <summary>Returns the least recently used slot of <paramref name="queue"/>, or <see cref="None"/>.</summary>
    /// <param name="queue">The queue.</param>
    /// <returns>A slot or <see cref="None"/>.</returns>
    public int First(PolicyQueue queue) => _queues[(int)queue].First;

    /// <summary>Returns the number of slots in <paramref name="queue"/>.</summary>
    /// <param name="queue">The queue.</param>
    /// <returns>The count.</returns>
    public int Count(PolicyQueue queue) => _queues[(int)queue].Count;

    /// <summary>Returns the slot after <paramref name="slot"/> in its queue (towards the most recently used end), or <see cref="None"/>.</summary>
    /// <param name="slot">An occupied slot.</param>
    /// <returns>A slot or <see cref="None"/>.</returns>
    public int Next(int slot) => _next[slot];

    /// <summary>Finds the slot of a policy id recorded by a reader, if the entry it names is still in the policy.</summary>
    /// <param name="policyId">A <see cref="CacheNode{TKey, TValue}.PolicyId"/>.</param>
    /// <param name="slot">The slot when found.</param>
    /// <returns><see langword="false"/> when the entry has left (or the id is not one this store issued).</returns>
    public bool TryResolve(long policyId, out int slot)
    {
        slot = (int)policyId;
        return (uint)slot < (uint)_used && _generations[slot] == (uint)(policyId >>> 32) && _queueOf[slot] != PolicyQueue.None;
    }

    /// <summary>Gives <paramref name="node"/> a slot at the most recently used end of <paramref name="queue"/> and sets its policy id.</summary>
    /// <param name="node">A node that has no slot yet.</param>
    /// <param name="hash">The node's sketch hash.</param>
    /// <param name="queue">The queue to add it to.</param>
    /// <returns>The slot.</returns>
    public int Add(CacheNode<TKey, TValue> node, int hash, PolicyQueue queue)
    {
        var slot = _free;
        if (slot != None)
        {
            _free = _next[slot];
        }
        else
        {
            if (_used == _nodes.Length)
            {
                Grow();
            }

            slot = _used++;
        }

        _nodes[slot] = node;
        _hashes[slot] = hash;
        Issue(slot, node);
        AddLast(queue, slot);
        return slot;
    }

    /// <summary>Hands <paramref name="slot"/> to <paramref name="replacement"/> (a new value for the same key), in the same queue position.</summary>
    /// <param name="slot">An occupied slot.</param>
    /// <param name="replacement">The node that takes it over.</param>
    public void Replace(int slot, CacheNode<TKey, TValue> replacement)
    {
        _nodes[slot] = replacement;
        Issue(slot, replacement);
    }

    /// <summary>Unlinks <paramref name="slot"/> from its queue and frees it; ids issued for it become stale.</summary>
    /// <param name="slot">An occupied slot.</param>
    public void Remove(int slot)
    {
        Unlink(slot);
        _nodes[slot] = null;
        _generations[slot]++;
        _next[slot] = _free;
        _free = slot;
    }

    /// <summary>Moves <paramref name="slot"/> to the most recently used end of <paramref name="queue"/> (its own queue or another).</summary>
    /// <param name="slot">An occupied slot.</param>
    /// <param name="queue">The destination queue.</param>
    public void MoveToLast(int slot, PolicyQueue queue)
    {
        if (_queueOf[slot] == queue && _queues[(int)queue].Last == slot)
        {
            return;
        }

        Unlink(slot);
        AddLast(queue, slot);
    }

    private void Issue(int slot, CacheNode<TKey, TValue> node)
    {
        var generation = ++_generations[slot];
        if (generation == 0)
        {
            // Zero never names a live slot (a node's default id is 0): skip it when the counter wraps.
            generation = _generations[slot] = 1;
        }

        node.PolicyId = ((long)generation << 32) | (uint)slot;
    }

    private void AddLast(PolicyQueue queue, int slot)
    {
        ref var q = ref _queues[(int)queue];
        _queueOf[slot] = queue;
        _previous[slot] = q.Last;
        _next[slot] = None;
        if (q.Last == None)
        {
            q.First = slot;
        }
        else
        {
            _next[q.Last] = slot;
        }

        q.Last = slot;
        q.Count++;
    }

    private void Unlink(int slot)
    {
        ref var q = ref _queues[(int)_queueOf[slot]];
        var previous = _previous[slot];
        var next = _next[slot];
        if (previous == None)
        {
            q.First = next;
        }
        else
        {
            _next[previous] = next;
        }

        if (next == None)
        {
            q.Last = previous;
        }
        else
        {
            _previous[next] = previous;
        }

        q.Count--;
        _queueOf[slot] = PolicyQueue.None;
    }

    private void Grow()
    {
        var size = (int)Math.Min(Math.Max(_nodes.Length * 2L, InitialSlots), Math.Max(_maxSlots, _nodes.Length + 1));
        Array.Resize(ref _nodes, size);
        Array.Resize(ref _hashes, size);
        Array.Resize(ref _previous, size);
        Array.Resize(ref _next, size);
        Array.Resize(ref _queueOf, size);
        Array.Resize(ref _generations, size);
    }

    private struct Queue(int first, int last, int count)
    {
        public int First = first;
        public int Last = last;
        public int Count = count;
    }
}
