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
/// One cache entry: what readers see (key, value, expiry) and its identity in the eviction policy. Readers never write it,
/// except <see cref="ExpiresAt"/> under sliding expiration; the policy keeps its own state about the entry in
/// <see cref="PolicySlots{TKey, TValue}"/>, so its bookkeeping on another core does not touch the lines readers use.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class CacheNode<TKey, TValue>
{
    public readonly TKey Key;
    public readonly TValue Value;

    /// <summary>The key's hash code (<see cref="EqualityComparer{T}.Default"/>), for the <see cref="CacheMap{TKey, TValue}"/>.</summary>
    public readonly int KeyHash;

    /// <summary>The key's mixed hash, computed once, for the frequency sketch.</summary>
    public readonly int Hash;

    /// <summary>Time to live in clock ticks (<see cref="ExpiryClock"/>), kept for sliding expiration.</summary>
    public readonly long Ttl;

    /// <summary>Size in bytes from the size function; 0 without one.</summary>
    public readonly long Size;

    /// <summary>Expiry in clock ticks; <see cref="ExpiryClock.Never"/> for none. Written by readers under sliding expiration.</summary>
    public long ExpiresAt;

    /// <summary>
    /// The entry's slot and slot generation in the policy (see <see cref="PolicySlots{TKey, TValue}"/>), recorded by readers on
    /// a hit. Set under the maintenance lock before the node is published in the cache's map, and never changed afterwards.
    /// </summary>
    public long PolicyId;

    /// <summary>After the node left the cache: the next node of the <see cref="RemovalBatch{TKey, TValue}"/> it was put in.</summary>
    public CacheNode<TKey, TValue>? NextRemoved;

    /// <summary>After the node left the cache: why.</summary>
    public EvictionReason RemovalReason;

    /// <summary>Initializes an entry; its hashes are computed here, once.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="expiresAt">Expiry in clock ticks, or <see cref="ExpiryClock.Never"/>.</param>
    /// <param name="ttl">Time to live in clock ticks, or <see cref="ExpiryClock.Never"/>.</param>
    /// <param name="size">Size in bytes (0 without a size function).</param>
    public CacheNode(TKey key, TValue value, long expiresAt, long ttl, long size)
    {
        Key = key;
        Value = value;
        KeyHash = key is null ? 0 : EqualityComparer<TKey>.Default.GetHashCode(key);
        Hash = FrequencySketch.Mix(KeyHash);
        ExpiresAt = expiresAt;
        Ttl = ttl;
        Size = size;
    }
}
