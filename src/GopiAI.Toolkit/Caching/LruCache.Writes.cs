using System.Diagnostics;

namespace GopiAI.Toolkit.Caching;

// Everything that changes what the cache holds: stores, removals, and the eviction callbacks they end with. Each change
// runs under the maintenance lock (map and policy together); callbacks and disposals run after it is released.
public sealed partial class LruCache<TKey, TValue>
{
    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/>, replacing any existing entry, then evicts entries chosen
    /// by the eviction policy until the cache is within capacity (under W-TinyLFU a new entry that is used less often than
    /// the entries it would displace may be the one evicted). Storing <see langword="null"/> when
    /// <see cref="LruCacheOptions.CacheNullValues"/> is off removes the key instead.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="ttl">The entry's time to live; <see langword="null"/> uses <see cref="LruCacheOptions.DefaultTtl"/>; <see cref="Timeout.InfiniteTimeSpan"/> means never.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is zero or negative.</exception>
    /// <exception cref="InvalidOperationException">The size function returned a negative size.</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed.</exception>
    public void Set(TKey key, TValue value, TimeSpan? ttl = null)
    {
        ThrowIfNullKey(key);
        var expiresIn = ResolveTtl(ttl);
        Throw.IfDisposed(_disposed, this);
        if (value is null && !_cacheNulls)
        {
            Invalidate(key);
            return;
        }

        SetCore(key, value, expiresIn);
    }

    /// <summary>Removes the entry for <paramref name="key"/>, if any.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when an entry was removed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public bool Invalidate(TKey key)
    {
        ThrowIfNullKey(key);
        if (Find(key) is null)
        {
            return false;
        }

        var removed = default(RemovalBatch<TKey, TValue>);
        lock (_lock)
        {
            if (_map.Remove(key) is { } node)
            {
                _policy.Remove(node);
                removed.Add(node, EvictionReason.Removed);
            }
        }

        Notify(removed);
        return removed.Count > 0;
    }

    /// <summary>Removes every entry. Counters (hits, misses, evictions) are kept.</summary>
    public void Clear()
    {
        var removed = default(RemovalBatch<TKey, TValue>);
        lock (_lock)
        {
            _reads.Discard();
            _policy.RemoveAll(EvictionReason.Cleared, ref removed);
            _map.Clear(InitialMapCapacity);
        }

        Notify(removed);
    }

    /// <summary>Removes every expired entry now (expired entries are otherwise removed lazily, when looked up or reached by eviction).</summary>
    /// <returns>The number of entries removed.</returns>
    public int RemoveExpired()
    {
        var removed = default(RemovalBatch<TKey, TValue>);
        lock (_lock)
        {
            var now = _clock.Now();
            foreach (var node in _map)
            {
                if (node.ExpiresAt <= now && _map.Remove(node))
                {
                    _policy.Remove(node);
                    removed.Add(node, EvictionReason.Expired);
                }
            }

            Interlocked.Add(ref _evictions, removed.Count);
        }

        Notify(removed);
        return removed.Count;
    }

    /// <summary>Removes expired entries, then the coldest <paramref name="fraction"/> of the remaining ones (the entries the policy would evict first).</summary>
    /// <param name="fraction">The share of entries to remove, in [0, 1].</param>
    /// <returns>The number of entries removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is outside [0, 1].</exception>
    public int Trim(double fraction)
    {
        Throw.IfOutOfRange(fraction, 0, 1);
        var expired = RemoveExpired();
        var removed = default(RemovalBatch<TKey, TValue>);
        lock (_lock)
        {
            // Apply pending reads so that what was just used is not taken for cold.
            _reads.DrainTo(_policy);
            var toRemove = (int)Math.Ceiling(_policy.Count * fraction);
            _policy.EvictColdest(toRemove, EvictionReason.MemoryPressure, ref removed);
            RemoveFromMap(removed);
        }

        Notify(removed);
        return expired + removed.Count;
    }

    private void SetCore(TKey key, TValue value, long expiresIn)
    {
        long size = 0;
        if (_trackBytes)
        {
            size = _sizeOf is not null ? _sizeOf(key, value) : _untypedSizeOf!(key, value);
            if (size < 0)
            {
                throw new InvalidOperationException($"The size function of cache '{Name}' returned a negative size ({size}) for key '{key}'.");
            }

            if (size > _maxBytes)
            {
                // Can never fit: keep the cache consistent by dropping any older value for the key.
                Invalidate(key);
                return;
            }
        }

        var node = new CacheNode<TKey, TValue>(key, value, _clock.ExpiryFor(expiresIn), expiresIn, size);
        var removed = default(RemovalBatch<TKey, TValue>);
        lock (_lock)
        {
            // The policy sees the reads that happened before this write first, as they happened.
            _reads.DrainTo(_policy);
            // The policy first: it gives the node the id that readers record, before they can find it.
            if (_map.Find(key) is { } old)
            {
                _policy.Replace(old, node);
                _map.Set(node);
                removed.Add(old, EvictionReason.Replaced);
            }
            else
            {
                _policy.Add(node);
                _map.Set(node);
            }

            _policy.Evict(_maxSize, _maxBytes, _clock.Now(), ref removed);
            RemoveFromMap(removed);
            ClimbIfDue();
        }

        Notify(removed);
    }

    private void RemoveExpiredNode(CacheNode<TKey, TValue> node)
    {
        var removed = default(RemovalBatch<TKey, TValue>);
        lock (_lock)
        {
            if (_map.Remove(node))
            {
                _policy.Remove(node);
                removed.Add(node, EvictionReason.Expired);
                Interlocked.Increment(ref _evictions);
            }
        }

        Notify(removed);
    }

    // Must hold _lock. Takes the policy's evictions out of the map (a replaced node's key already maps to its successor).
    private void RemoveFromMap(in RemovalBatch<TKey, TValue> removed)
    {
        var evicted = 0;
        for (var node = removed.First; node is not null; node = node.NextRemoved)
        {
            if (node.RemovalReason != EvictionReason.Replaced)
            {
                _map.Remove(node);
                evicted++;
            }
        }

        if (evicted > 0)
        {
            Interlocked.Add(ref _evictions, evicted);
        }
    }

    // Runs the callbacks and disposals for removed entries, outside the lock.
    private void Notify(in RemovalBatch<TKey, TValue> removed)
    {
        for (var node = removed.First; node is not null; node = node.NextRemoved)
        {
            OnRemoved(node, node.RemovalReason);
        }
    }

    private void OnRemoved(CacheNode<TKey, TValue> node, EvictionReason reason)
    {
        try
        {
            if (_onEvicted is not null)
            {
                _onEvicted(node.Key, node.Value, reason);
            }
            else
            {
                _untypedOnEvicted?.Invoke(new CacheEviction(Name, node.Key, node.Value, reason));
            }
        }
        catch (Exception ex)
        {
            // A faulty callback must not leave the cache half-updated; the entry is already gone.
            Debug.WriteLine($"GopiAI.Toolkit: eviction callback of cache '{Name}' threw: {ex}");
        }

        if (_scrubValues)
        {
            // A value stored again under its own key is still in use: only a value that really left is scrubbed.
            if (reason != EvictionReason.Replaced || _map.Find(node.Key) is not { } current || !ReferenceEquals(current.Value, node.Value))
            {
                try
                {
                    SensitiveValues.Scrub(node.Value);
                }
                catch (Exception ex)
                {
                    Debug.WriteLine($"GopiAI.Toolkit: scrubbing an evicted value of cache '{Name}' threw {ex.GetType().Name}.");
                }
            }
        }
        else if (_disposeValues && node.Value is IDisposable disposable)
        {
            try
            {
                disposable.Dispose();
            }
            catch (Exception ex)
            {
                Debug.WriteLine($"GopiAI.Toolkit: disposing an evicted value of cache '{Name}' threw: {ex}");
            }
        }
    }
}
