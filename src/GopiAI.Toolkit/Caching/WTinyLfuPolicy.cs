namespace GopiAI.Toolkit.Caching;

/// <summary>
/// The W-TinyLFU eviction policy (Einziger, Friedman, Manes, "TinyLFU: A Highly Efficient Cache Admission Policy", ACM TOS
/// 2017, with Caffeine's adaptive window): which entries stay when the cache is full.
/// </summary>
/// <remarks>
/// <para>
/// Entries live in three access-ordered queues. New entries enter the <b>window</b> (1 % of the capacity at first), an LRU
/// that lets a burst of new keys build up a frequency before they are judged. An entry pushed out of the window becomes a
/// <b>candidate</b> for the main space and is compared with the main space's <b>victim</b>, the least recently used entry of
/// its <b>probation</b> segment: the one the <see cref="FrequencySketch"/> has seen less often is evicted, so a one-hit
/// wonder cannot displace an entry that is used all the time (scan resistance). An entry read while in probation moves to
/// the <b>protected</b> segment (80 % of the main space), whose overflow falls back to probation.
/// </para>
/// <para>
/// Admission: the candidate must have been seen at least two times more than the victim (see <see cref="AdmissionMargin"/>).
/// While the sketch is young (never aged) and neither key was seen more than once, the newer key wins, as in LRU. A
/// candidate that is popular but loses is admitted anyway once in 128 times, so that keys crafted to collide with a
/// victim's counters cannot pin it forever.
/// </para>
/// <para>
/// The <see cref="WindowClimber"/> moves capacity between window and main space when a sample of requests shows that this
/// raised the hit rate. With <see cref="CacheEvictionPolicy.Lru"/> the window is the whole cache and nothing else runs: an
/// exact LRU over the recorded accesses.
/// </para>
/// <para>
/// Not thread-safe: the cache calls it under its maintenance lock, feeding it reads from its read buffer and writes as they
/// happen. Sizes are counted here too (entries and bytes) so that the cache reads them without the lock.
/// </para>
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class WTinyLfuPolicy<TKey, TValue>
{
    /// <summary>The window's initial share of the capacity.</summary>
    public const double InitialWindowFraction = 0.01;

    /// <summary>The protected segment's share of the main space.</summary>
    public const double ProtectedFraction = 0.8;

    /// <summary>
    /// How many more times than the victim a candidate must have been seen, beyond one, to replace it. The margin absorbs
    /// the sketch's noise and the access that made the candidate a candidate (which the victim has not had yet): without it
    /// a loop slightly larger than the cache degrades towards LRU's 0 %, and the Zipf traces of the hit-ratio simulator
    /// lose about a point.
    /// </summary>
    public const int AdmissionMargin = 1;

    /// <summary>A candidate at least this popular that loses to the victim is still admitted once in 128 times (hash-flooding guard).</summary>
    public const int AdmitAnywayFrequency = 8;

    private const int None = PolicySlots<TKey, TValue>.None;

    private readonly PolicySlots<TKey, TValue> _slots;
    private readonly FrequencySketch? _sketch;
    private readonly WindowClimber? _climber;
    private readonly int _capacity;
    private int _windowCapacity;
    private int _protectedCapacity;
    private int _count;
    private long _bytes;
    private int _accessesSinceClimb;
    private uint _random = 0x2545_F491;

    /// <summary>Initializes a policy for <paramref name="capacity"/> entries.</summary>
    /// <param name="capacity">The capacity in entries (at least 1).</param>
    /// <param name="kind">W-TinyLFU, or plain LRU.</param>
    public WTinyLfuPolicy(int capacity, CacheEvictionPolicy kind)
    {
        _capacity = capacity;

        // An entry is added before the eviction that makes room for it: one slot more than the capacity.
        _slots = new PolicySlots<TKey, TValue>(capacity == int.MaxValue ? capacity : capacity + 1);
        if (kind == CacheEvictionPolicy.Lru)
        {
            _windowCapacity = capacity;
            return;
        }

        _windowCapacity = Math.Max(1, capacity - (int)(capacity * (1 - InitialWindowFraction)));
        _protectedCapacity = ProtectedCapacityFor(_windowCapacity);
        _sketch = new FrequencySketch(capacity);
        _climber = new WindowClimber(capacity);
    }

    /// <summary>Gets the number of entries in the policy (readable without the lock).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets the total size in bytes of the entries in the policy (readable without the lock).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Gets the window's current capacity in entries.</summary>
    public int WindowCapacity => _windowCapacity;

    /// <summary>Gets the protected segment's current capacity in entries.</summary>
    public int ProtectedCapacity => _protectedCapacity;

    /// <summary>Gets a value indicating whether the climber's check interval has passed and <see cref="Climb"/> should run.</summary>
    public bool ClimbDue => _climber is not null && _accessesSinceClimb >= _climber.CheckInterval;

    /// <summary>Returns the sketch's estimate for <paramref name="node"/>'s key (0 under plain LRU).</summary>
    /// <param name="node">The node.</param>
    /// <returns>The estimated recent frequency.</returns>
    public int FrequencyOf(CacheNode<TKey, TValue> node) => _sketch?.Frequency(node.Hash) ?? 0;

    /// <summary>Returns the queue that holds <paramref name="node"/>, or <see cref="PolicyQueue.None"/> when it is not in the policy.</summary>
    /// <param name="node">The node.</param>
    /// <returns>Its queue.</returns>
    public PolicyQueue QueueOf(CacheNode<TKey, TValue> node) =>
        _slots.TryResolve(node.PolicyId, out var slot) ? _slots.QueueOf(slot) : PolicyQueue.None;

    /// <summary>Adds a new entry to the window and gives it its <see cref="CacheNode{TKey, TValue}.PolicyId"/>. Call before publishing the node.</summary>
    /// <param name="node">A node not yet in the policy.</param>
    public void Add(CacheNode<TKey, TValue> node)
    {
        _accessesSinceClimb++;
        _slots.Add(node, node.Hash, PolicyQueue.Window);
        Volatile.Write(ref _count, _count + 1);
        Volatile.Write(ref _bytes, _bytes + node.Size);
        if (_sketch is not null)
        {
            _sketch.EnsureCapacity(_count);
            _sketch.Increment(node.Hash);
        }
    }

    /// <summary>Puts <paramref name="replacement"/> (a new value for the same key) in <paramref name="node"/>'s place and counts the write as an access. Call before publishing the replacement.</summary>
    /// <param name="node">The node in the policy.</param>
    /// <param name="replacement">Its replacement, not yet in the policy.</param>
    public void Replace(CacheNode<TKey, TValue> node, CacheNode<TKey, TValue> replacement)
    {
        var slot = SlotOf(node);
        _slots.Replace(slot, replacement);
        Volatile.Write(ref _bytes, _bytes - node.Size + replacement.Size);
        RecordAccess(slot);
    }

    /// <summary>Applies a read recorded by the read buffer: counts it and refreshes the entry's position. Ids of entries that have left are ignored.</summary>
    /// <param name="policyId">The <see cref="CacheNode{TKey, TValue}.PolicyId"/> the reader recorded.</param>
    public void RecordRead(long policyId)
    {
        if (_slots.TryResolve(policyId, out var slot))
        {
            RecordAccess(slot);
        }
    }

    /// <summary>Takes <paramref name="node"/> out of the policy (invalidation, expiry).</summary>
    /// <param name="node">A node in the policy.</param>
    public void Remove(CacheNode<TKey, TValue> node) => RemoveSlot(SlotOf(node));

    /// <summary>
    /// Evicts until at most <paramref name="maxCount"/> entries and <paramref name="maxBytes"/> bytes remain: moves the window's
    /// overflow into probation, then duels each candidate against the probation victim (expired entries go first).
    /// </summary>
    /// <param name="maxCount">The entry limit.</param>
    /// <param name="maxBytes">The byte limit.</param>
    /// <param name="now">The current time, for expiry.</param>
    /// <param name="removed">Receives the evicted nodes.</param>
    public void Evict(int maxCount, long maxBytes, long now, ref RemovalBatch<TKey, TValue> removed)
    {
        var candidate = MoveWindowOverflowToProbation();
        var searchedWindow = false;
        var victimQueue = PolicyQueue.Probation;
        var victim = _slots.First(PolicyQueue.Probation);
        while (_count > maxCount || _bytes > maxBytes)
        {
            // Nothing left from the window's overflow: the window's own oldest entry competes (byte limits, tiny caches).
            if (candidate == None && !searchedWindow)
            {
                candidate = _slots.First(PolicyQueue.Window);
                searchedWindow = true;
            }

            // Probation exhausted: take victims from protected, then from the window.
            if (victim == None && victimQueue != PolicyQueue.Window)
            {
                victimQueue = victimQueue == PolicyQueue.Probation ? PolicyQueue.Protected : PolicyQueue.Window;
                victim = _slots.First(victimQueue);
                continue;
            }

            if (candidate == None && victim == None)
            {
                break;
            }

            int evict;
            if (victim == None)
            {
                evict = candidate;
                candidate = _slots.Next(candidate);
            }
            else if (candidate == None)
            {
                evict = victim;
                victim = _slots.Next(victim);
            }
            else if (candidate == victim)
            {
                evict = candidate;
                victim = _slots.Next(victim);
                candidate = None;
            }
            else if (_slots.Node(candidate).ExpiresAt <= now)
            {
                evict = candidate;
                candidate = _slots.Next(candidate);
            }
            else if (_slots.Node(victim).ExpiresAt <= now)
            {
                evict = victim;
                victim = _slots.Next(victim);
            }
            else if (Admit(candidate, victim))
            {
                evict = victim;
                victim = _slots.Next(victim);
                candidate = _slots.Next(candidate);
            }
            else
            {
                evict = candidate;
                candidate = _slots.Next(candidate);
            }

            var node = _slots.Node(evict);
            RemoveSlot(evict);
            removed.Add(node, node.ExpiresAt <= now ? EvictionReason.Expired : EvictionReason.Capacity);
        }
    }

    /// <summary>Evicts the <paramref name="count"/> coldest entries: probation first (least recent first), then the window, then protected.</summary>
    /// <param name="count">How many entries to evict.</param>
    /// <param name="reason">The reason recorded on them.</param>
    /// <param name="removed">Receives the evicted nodes.</param>
    public void EvictColdest(int count, EvictionReason reason, ref RemovalBatch<TKey, TValue> removed)
    {
        foreach (var queue in (ReadOnlySpan<PolicyQueue>)[PolicyQueue.Probation, PolicyQueue.Window, PolicyQueue.Protected])
        {
            while (count > 0 && _slots.First(queue) is var slot && slot != None)
            {
                var node = _slots.Node(slot);
                RemoveSlot(slot);
                removed.Add(node, reason);
                count--;
            }
        }
    }

    /// <summary>Takes every entry out of the policy.</summary>
    /// <param name="reason">The reason recorded on them.</param>
    /// <param name="removed">Receives the removed nodes.</param>
    public void RemoveAll(EvictionReason reason, ref RemovalBatch<TKey, TValue> removed) =>
        EvictColdest(int.MaxValue, reason, ref removed);

    /// <summary>Ends a sample of requests: lets the <see cref="WindowClimber"/> resize the window from the cache's hit and miss totals.</summary>
    /// <param name="totalHits">Hits since the cache was created.</param>
    /// <param name="totalMisses">Misses since the cache was created.</param>
    public void Climb(long totalHits, long totalMisses)
    {
        if (_climber is null)
        {
            return;
        }

        _accessesSinceClimb = 0;

        // The split only matters once the cache is full; before that, no sample says anything about eviction.
        if (_count < _capacity)
        {
            _climber.Restart(totalHits, totalMisses);
            return;
        }

        var delta = _climber.Adjust(totalHits, totalMisses, _windowCapacity);
        if (delta == 0)
        {
            return;
        }

        _windowCapacity += delta;
        _protectedCapacity = ProtectedCapacityFor(_windowCapacity);
        if (delta > 0)
        {
            // Grow: the main space's coldest entries move into the window, where they are judged again on leaving it.
            for (var moved = 0; moved < delta; moved++)
            {
                var slot = _slots.First(PolicyQueue.Probation);
                if (slot == None)
                {
                    slot = _slots.First(PolicyQueue.Protected);
                }

                if (slot == None)
                {
                    break;
                }

                _slots.MoveToLast(slot, PolicyQueue.Window);
            }
        }
        else
        {
            MoveWindowOverflowToProbation();
        }

        DemoteProtectedOverflow();
    }

    private int ProtectedCapacityFor(int window) => (int)(ProtectedFraction * (_capacity - window));

    private int SlotOf(CacheNode<TKey, TValue> node) =>
        _slots.TryResolve(node.PolicyId, out var slot) ? slot : throw new InvalidOperationException("The node is not in the eviction policy.");

    private void RecordAccess(int slot)
    {
        _accessesSinceClimb++;
        _sketch?.Increment(_slots.Hash(slot));
        switch (_slots.QueueOf(slot))
        {
            case PolicyQueue.Window:
                _slots.MoveToLast(slot, PolicyQueue.Window);
                break;
            case PolicyQueue.Probation:
                _slots.MoveToLast(slot, PolicyQueue.Protected);
                DemoteProtectedOverflow();
                break;
            case PolicyQueue.Protected:
                _slots.MoveToLast(slot, PolicyQueue.Protected);
                break;
        }
    }

    private void RemoveSlot(int slot)
    {
        var node = _slots.Node(slot);
        _slots.Remove(slot);
        Volatile.Write(ref _count, _count - 1);
        Volatile.Write(ref _bytes, _bytes - node.Size);
    }

    private int MoveWindowOverflowToProbation()
    {
        var first = None;
        while (_slots.Count(PolicyQueue.Window) > _windowCapacity)
        {
            var slot = _slots.First(PolicyQueue.Window);
            _slots.MoveToLast(slot, PolicyQueue.Probation);
            if (first == None)
            {
                first = slot;
            }
        }

        return first;
    }

    private void DemoteProtectedOverflow()
    {
        while (_slots.Count(PolicyQueue.Protected) > _protectedCapacity)
        {
            _slots.MoveToLast(_slots.First(PolicyQueue.Protected), PolicyQueue.Probation);
        }
    }

    private bool Admit(int candidate, int victim)
    {
        if (_sketch is null)
        {
            return true;
        }

        var candidateFrequency = _sketch.Frequency(_slots.Hash(candidate));
        var victimFrequency = _sketch.Frequency(_slots.Hash(victim));
        if (candidateFrequency > victimFrequency + AdmissionMargin)
        {
            return true;
        }

        if (candidateFrequency == victimFrequency && candidateFrequency <= 1 && !_sketch.HasAged)
        {
            // A young cache has no evidence yet: neither key was seen more than once, so recency decides, as in LRU.
            return true;
        }

        if (candidateFrequency >= AdmitAnywayFrequency)
        {
            // xorshift32: cheap, deterministic for a given history, good enough for a 1-in-128 draw.
            var x = _random;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _random = x;
            return (x & 127) == 0;
        }

        return false;
    }
}
