namespace GopiAI.Toolkit.Caching;

/// <summary>
/// The nodes one operation took out of the cache, chained through <see cref="CacheNode{TKey, TValue}.NextRemoved"/>.
/// Collected under the maintenance lock; the eviction callbacks run from it after the lock is released, so a callback that
/// uses the cache cannot deadlock or see it half-updated. Allocates nothing.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal struct RemovalBatch<TKey, TValue>
{
    private CacheNode<TKey, TValue>? _last;

    /// <summary>Gets the first node removed, or <see langword="null"/> when none was.</summary>
    public CacheNode<TKey, TValue>? First { get; private set; }

    /// <summary>Gets the number of nodes removed.</summary>
    public int Count { get; private set; }

    /// <summary>Appends <paramref name="node"/>, which has just left the policy, with the reason it left.</summary>
    /// <param name="node">The node.</param>
    /// <param name="reason">Why it left.</param>
    public void Add(CacheNode<TKey, TValue> node, EvictionReason reason)
    {
        node.RemovalReason = reason;
        node.NextRemoved = null;
        if (_last is null)
        {
            First = node;
        }
        else
        {
            _last.NextRemoved = node;
        }

        _last = node;
        Count++;
    }
}
