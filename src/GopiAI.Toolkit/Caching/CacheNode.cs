namespace GopiAI.Toolkit.Caching;

/// <summary>Which of the eviction policy's queues holds a node.</summary>
internal enum PolicyQueue : byte
{
    /// <summary>Not in the policy: not yet added, or already removed. Reads recorded for it are ignored.</summary>
    None,

    /// <summary>The admission window: new entries, in recency order.</summary>
    Window,

    /// <summary>The main space's probation segment: entries admitted from the window and not read since; victims come from here.</summary>
    Probation,

    /// <summary>The main space's protected segment: entries read again while in probation.</summary>
    Protected,
}

/// <summary>
/// One cache entry: what readers see (key, value, expiry) and the links by which the eviction policy orders it.
/// Readers touch only the first group (and <see cref="ExpiresAt"/> for sliding expiration); the policy fields are read and
/// written only under the cache's maintenance lock.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class CacheNode<TKey, TValue>(TKey key, TValue value, int hash, long expiresAt, long ttl, long size)
{
    public readonly TKey Key = key;
    public readonly TValue Value = value;

    /// <summary>The key's mixed hash, computed once, for the frequency sketch.</summary>
    public readonly int Hash = hash;

    /// <summary>Time to live in clock ticks (<see cref="ExpiryClock"/>), kept for sliding expiration.</summary>
    public readonly long Ttl = ttl;

    /// <summary>Size in bytes from the size function; 0 without one.</summary>
    public readonly long Size = size;

    /// <summary>Expiry in clock ticks; <see cref="ExpiryClock.Never"/> for none. Written by readers under sliding expiration.</summary>
    public long ExpiresAt = expiresAt;

    /// <summary>The neighbour towards the least recently used end of <see cref="Queue"/>.</summary>
    public CacheNode<TKey, TValue>? Previous;

    /// <summary>
    /// The neighbour towards the most recently used end of <see cref="Queue"/>; after removal from the policy, the next node
    /// of the <see cref="RemovalBatch{TKey, TValue}"/> the node was put in.
    /// </summary>
    public CacheNode<TKey, TValue>? Next;

    /// <summary>The queue that holds the node.</summary>
    public PolicyQueue Queue;

    /// <summary>Why the node left the policy (valid once <see cref="Queue"/> went back to <see cref="PolicyQueue.None"/>).</summary>
    public EvictionReason RemovalReason;
}
