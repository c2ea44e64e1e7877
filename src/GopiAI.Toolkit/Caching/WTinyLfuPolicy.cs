namespace GopiAI.Toolkit.Caching;

/// <summary>
/// The W-TinyLFU eviction policy (Einziger, Friedman, Manes, "TinyLFU: A Highly Efficient Cache Admission Policy", ACM TOS
/// 2017, with Caffeine's adaptive window): which entries stay when the cache is full.
/// </summary>
/// <remarks>
/// <para>
/// Entries live in three access-ordered queues. New entries enter the <b>window</b> (about 1 % of the capacity at first), an
/// LRU that lets a burst of new keys build up a frequency before they are judged. An entry pushed out of the window becomes a
/// <b>candidate</b> for the main space and is compared with the main space's <b>victim</b>, the least recently used entry of
/// its <b>probation</b> segment: the one the <see cref="FrequencySketch"/> has seen less often is evicted, so a one-hit
/// wonder cannot displace an entry that is used all the time (scan resistance). An entry read while in probation moves to
/// the <b>protected</b> segment (80 % of the main space), whose overflow falls back to probation.
/// </para>
/// <para>
/// Ties: when neither candidate nor victim has been seen more than once, the newer one (the candidate) stays, as in LRU;
/// otherwise ties keep the victim. A candidate that is popular but not more popular than the victim is admitted anyway once
/// in 128 times, so that an attacker who floods the sketch with collisions cannot pin the victim forever.
/// </para>
/// <para>
/// The <see cref="WindowClimber"/> moves capacity between window and main space after every sample of requests (ten per
/// entry of capacity), towards whichever split raised the hit rate. With <see cref="CacheEvictionPolicy.Lru"/> the window
/// is the whole cache and nothing else runs: an exact LRU over the recorded accesses.
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

    // A candidate must be seen this much more often than the victim to replace it. The margin absorbs the sketch's noise
    // and the access that made the candidate a candidate (which the victim cannot have had yet): without it a loop slightly
    // larger than the cache degrades towards LRU's 0 %, and Zipf traces lose about a point of hit ratio.
    private const int AdmissionMargin = 1;

    // A candidate at least this popular that loses to the victim is still admitted once in 128 times, so that keys crafted to
    // collide with a victim's counters (hash flooding) cannot pin it in the cache forever.
    private const int AdmitAnywayFrequency = 8;

    private readonly AccessOrderList<TKey, TValue> _window = new(PolicyQueue.Window);
    private readonly AccessOrderList<TKey, TValue> _probation = new(PolicyQueue.Probation);
    private readonly AccessOrderList<TKey, TValue> _protected = new(PolicyQueue.Protected);
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

    /// <summary>Gets a value indicating whether a sample of accesses is complete and <see cref="Climb"/> should run.</summary>
    public bool ClimbDue => _climber is not null && _accessesSinceClimb >= _climber.SampleRequests;

    /// <summary>Returns the sketch's estimate for <paramref name="node"/>'s key (0 under plain LRU).</summary>
    /// <param name="node">The node.</param>
    /// <returns>The estimated recent frequency.</returns>
    public int FrequencyOf(CacheNode<TKey, TValue> node) => _sketch?.Frequency(node.Hash) ?? 0;

    /// <summary>Adds a new entry to the window.</summary>
    /// <param name="node">A node not yet in the policy.</param>
    public void Add(CacheNode<TKey, TValue> node)
    {
        _accessesSinceClimb++;
        _window.AddLast(node);
        Volatile.Write(ref _count, _count + 1);
        Volatile.Write(ref _bytes, _bytes + node.Size);
        if (_sketch is not null)
        {
            _sketch.EnsureCapacity(_count);
            _sketch.Increment(node.Hash);
        }
    }

    /// <summary>Puts <paramref name="replacement"/> (a new value for the same key) in <paramref name="node"/>'s place and counts the write as an access.</summary>
    /// <param name="node">The node in the policy.</param>
    /// <param name="replacement">Its replacement, not yet in the policy.</param>
    public void Replace(CacheNode<TKey, TValue> node, CacheNode<TKey, TValue> replacement)
    {
        ListOf(node.Queue).Replace(node, replacement);
        Volatile.Write(ref _bytes, _bytes - node.Size + replacement.Size);
        RecordAccess(replacement);
    }

    /// <summary>Applies a read of <paramref name="node"/> (from the read buffer): counts it and refreshes its position. Reads of removed nodes only count.</summary>
    /// <param name="node">The node that was read.</param>
    public void RecordAccess(CacheNode<TKey, TValue> node)
    {
        _accessesSinceClimb++;
        _sketch?.Increment(node.Hash);
        switch (node.Queue)
        {
            case PolicyQueue.Window:
                _window.MoveToLast(node);
                break;
            case PolicyQueue.Probation:
                _probation.Remove(node);
                _protected.AddLast(node);
                DemoteProtectedOverflow();
                break;
            case PolicyQueue.Protected:
                _protected.MoveToLast(node);
                break;
        }
    }

    /// <summary>Takes <paramref name="node"/> out of the policy (invalidation, expiry, clear).</summary>
    /// <param name="node">A node in the policy.</param>
    public void Remove(CacheNode<TKey, TValue> node)
    {
        ListOf(node.Queue).Remove(node);
        Volatile.Write(ref _count, _count - 1);
        Volatile.Write(ref _bytes, _bytes - node.Size);
    }

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
        var victim = _probation.First;
        while (_count > maxCount || _bytes > maxBytes)
        {
            // Nothing left from the window's overflow: the window's own oldest entry competes (byte limits, tiny caches).
            if (candidate is null && !searchedWindow)
            {
                candidate = _window.First;
                searchedWindow = true;
            }

            // Probation exhausted: take victims from protected, then from the window.
            if (victim is null && victimQueue != PolicyQueue.Window)
            {
                victimQueue = victimQueue == PolicyQueue.Probation ? PolicyQueue.Protected : PolicyQueue.Window;
                victim = ListOf(victimQueue).First;
                continue;
            }

            if (candidate is null && victim is null)
            {
                break;
            }

            CacheNode<TKey, TValue> evict;
            var reason = EvictionReason.Capacity;
            if (victim is null)
            {
                evict = candidate!;
                candidate = candidate!.Next;
            }
            else if (candidate is null)
            {
                evict = victim;
                victim = victim.Next;
            }
            else if (ReferenceEquals(candidate, victim))
            {
                evict = candidate;
                victim = victim.Next;
                candidate = null;
            }
            else if (candidate.ExpiresAt <= now)
            {
                evict = candidate;
                candidate = candidate.Next;
                reason = EvictionReason.Expired;
            }
            else if (victim.ExpiresAt <= now)
            {
                evict = victim;
                victim = victim.Next;
                reason = EvictionReason.Expired;
            }
            else if (Admit(candidate, victim))
            {
                evict = victim;
                victim = victim.Next;
                candidate = candidate.Next;
            }
            else
            {
                evict = candidate;
                candidate = candidate.Next;
            }

            if (reason != EvictionReason.Expired && evict.ExpiresAt <= now)
            {
                reason = EvictionReason.Expired;
            }

            Remove(evict);
            removed.Add(evict, reason);
        }
    }

    /// <summary>Evicts the <paramref name="count"/> coldest entries: probation first (least recent first), then the window, then protected.</summary>
    /// <param name="count">How many entries to evict.</param>
    /// <param name="reason">The reason recorded on them.</param>
    /// <param name="removed">Receives the evicted nodes.</param>
    public void EvictColdest(int count, EvictionReason reason, ref RemovalBatch<TKey, TValue> removed)
    {
        foreach (var list in (ReadOnlySpan<AccessOrderList<TKey, TValue>>)[_probation, _window, _protected])
        {
            while (count > 0 && list.First is { } node)
            {
                Remove(node);
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
            for (var moved = 0; moved < delta && (_probation.First ?? _protected.First) is { } node; moved++)
            {
                ListOf(node.Queue).Remove(node);
                _window.AddLast(node);
            }
        }
        else
        {
            MoveWindowOverflowToProbation();
        }

        DemoteProtectedOverflow();
    }

    private int ProtectedCapacityFor(int window) => (int)(ProtectedFraction * (_capacity - window));

    private AccessOrderList<TKey, TValue> ListOf(PolicyQueue queue) => queue switch
    {
        PolicyQueue.Window => _window,
        PolicyQueue.Probation => _probation,
        PolicyQueue.Protected => _protected,
        _ => throw new InvalidOperationException("The node is not in the eviction policy."),
    };

    private CacheNode<TKey, TValue>? MoveWindowOverflowToProbation()
    {
        CacheNode<TKey, TValue>? first = null;
        while (_window.Count > _windowCapacity && _window.First is { } node)
        {
            _window.Remove(node);
            _probation.AddLast(node);
            first ??= node;
        }

        return first;
    }

    private void DemoteProtectedOverflow()
    {
        while (_protected.Count > _protectedCapacity && _protected.First is { } node)
        {
            _protected.Remove(node);
            _probation.AddLast(node);
        }
    }

    private bool Admit(CacheNode<TKey, TValue> candidate, CacheNode<TKey, TValue> victim)
    {
        if (_sketch is null)
        {
            return true;
        }

        var candidateFrequency = _sketch.Frequency(candidate.Hash);
        var victimFrequency = _sketch.Frequency(victim.Hash);
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
