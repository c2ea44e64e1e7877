using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Caching.Hybrid;

namespace GopiAI.Toolkit.Caching;

/// <summary>The in-process side of a tiered cache, as the invalidation bus sees it.</summary>
internal interface ITieredCache
{
    string Name { get; }

    bool Sensitive { get; }

    void DropLocal(string distributedKey);

    void DropTagLocal(string tag);

    void ClearLocal();
}

/// <summary>
/// A two-level cache for one <c>[Cached(Distributed = true)]</c> method: an in-process <see cref="LruCache{TKey, TValue}"/>
/// (L1: a hit costs one lookup and allocates nothing) in front of the <see cref="HybridCache"/> bound to its
/// <see cref="CacheManager"/> (L2: Redis, shared by every instance). Invalidations remove the L2 entry and travel on the
/// manager's <see cref="ICacheInvalidationBus"/> so that every instance drops its L1 copy.
/// </summary>
/// <remarks>
/// <para>The <see cref="HybridCache"/> is used with its own local cache disabled: this type's L1 is the one the bus can reach.
/// HybridCache still provides the L2 stampede protection, tags and expiry. Without a bound L2 (no <c>UseGopiToolkit()</c>,
/// no Redis registered) the cache is the L1 alone, as an in-process <c>[Cached]</c> method is.</para>
/// <para>An L2 that fails or times out never fails a call: the value comes from the method, the failure is counted by
/// <see cref="DistributedCacheHealth"/>, and the L2 is tried again after <see cref="DistributedCacheHealth.RetryAfter"/>.</para>
/// </remarks>
/// <typeparam name="TKey">The in-process key (the generated key struct).</typeparam>
/// <typeparam name="TValue">The cached value.</typeparam>
public sealed class TieredCache<TKey, TValue> : ICacheStatistics, ITrimmableCache, IDisposable, ITieredCache
    where TKey : notnull
{
    private const byte PlainPayload = 1;
    private const byte ProtectedPayload = 2;

    private readonly CacheManager _manager;
    private readonly LruCache<TKey, Entry> _l1;
    private readonly ConcurrentDictionary<string, TKey> _keysByDistributedKey = new(StringComparer.Ordinal);
    private readonly Func<TKey, string> _distributedKey;
    private readonly Func<TKey, string[]>? _tags;
    private readonly JsonTypeInfo<TValue> _typeInfo;
    private readonly TimeSpan? _ttl;
    private readonly bool _cacheNull;
    private readonly bool _sensitive;

    internal TieredCache(CacheManager manager, TieredCacheOptions<TKey, TValue> options)
    {
        _manager = manager;
        Name = Throw.IfNullOrWhiteSpace(options.Name, nameof(options.Name));
        _distributedKey = Throw.IfNull(options.DistributedKey, nameof(options.DistributedKey));
        _typeInfo = Throw.IfNull(options.TypeInfo, nameof(options.TypeInfo));
        _tags = options.Tags;
        _ttl = options.Ttl;
        _cacheNull = options.CacheNull;
        _sensitive = options.Sensitive;
        _l1 = new LruCache<TKey, Entry>(
            new LruCacheOptions { Name = Name, MaxSize = options.MaxSize, DefaultTtl = options.Ttl, CacheNullValues = false, TimeProvider = manager.TimeProvider },
            sizeOf: null,
            onEvicted: OnEvicted);
    }

    /// <summary>Gets the cache name (<c>{Namespace.Type}.{Method}</c>).</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether values are sensitive (encrypted in the L2, scrubbed on eviction).</summary>
    public bool Sensitive => _sensitive;

    /// <summary>Gets the number of entries in the in-process layer.</summary>
    public int Count => _l1.Count;

    /// <summary>
    /// Returns the value for <paramref name="key"/>: from the L1 (no allocation), else from the L2, else by running
    /// <paramref name="factory"/> once for all concurrent callers in this process and storing its result in both layers.
    /// </summary>
    /// <typeparam name="TState">State handed to the factory so that it can be a static lambda.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="state">The factory's state.</param>
    /// <param name="factory">Produces the value; its exceptions propagate and nothing is cached.</param>
    /// <param name="cancellationToken">Cancels this caller's wait.</param>
    /// <returns>The value.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<TValue> GetOrCreateAsync<TState>(TKey key, TState state, Func<TKey, TState, CancellationToken, ValueTask<TValue>> factory, CancellationToken cancellationToken = default)
    {
        if (_l1.TryGet(key, out var entry))
        {
            return new ValueTask<TValue>(entry.Value);
        }

        return MissAsync(key, state, factory, cancellationToken);
    }

    /// <summary>Synchronous variant for synchronous methods: the L2 is read and written synchronously over its async API.</summary>
    /// <typeparam name="TState">State handed to the factory.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="state">The factory's state.</param>
    /// <param name="factory">Produces the value.</param>
    /// <returns>The value.</returns>
    public TValue GetOrCreate<TState>(TKey key, TState state, Func<TKey, TState, TValue> factory)
    {
        if (_l1.TryGet(key, out var entry))
        {
            return entry.Value;
        }

        // A synchronous [Cached] method cannot await; the L2 round trip runs on the thread pool and is bounded by the
        // L2's own timeouts (GopiRedisOptions.OperationTimeout).
        return Task.Run(() => MissAsync(key, (state, factory), static (k, s, _) => new ValueTask<TValue>(s.factory(k, s.state)), CancellationToken.None).AsTask())
            .GetAwaiter().GetResult();
    }

    /// <summary>Removes the entry for <paramref name="key"/> here at once, then from the L2 and from every other instance's L1 in the background.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when this instance held an entry.</returns>
    public bool Invalidate(TKey key)
    {
        var removed = _l1.Invalidate(key);
        _ = _manager.Distribution.RemoveAsync(this, _distributedKey(key), CancellationToken.None).AsTask();
        return removed;
    }

    /// <summary>Removes the entry for <paramref name="key"/> here, from the L2 and (by a published message) from every other instance.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the L2 entry is removed and the message is published (failures are counted, not thrown).</returns>
    public ValueTask InvalidateAsync(TKey key, CancellationToken cancellationToken = default)
    {
        _l1.Invalidate(key);
        return _manager.Distribution.RemoveAsync(this, _distributedKey(key), cancellationToken);
    }

    /// <summary>Removes every entry here at once, then (through the cache's tag) from the L2 and every other instance in the background.</summary>
    public void Clear()
    {
        _l1.Clear();
        _ = _manager.Distribution.RemoveAllAsync(this, CancellationToken.None).AsTask();
    }

    /// <summary>Removes every entry here, from the L2 and from every other instance.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the L2 tag is invalidated and the message is published.</returns>
    public ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        _l1.Clear();
        return _manager.Distribution.RemoveAllAsync(this, cancellationToken);
    }

    /// <inheritdoc/>
    public CacheStats GetStats() => _l1.GetStats();

    /// <inheritdoc/>
    public void ResetStats() => _l1.ResetStats();

    /// <inheritdoc/>
    public int Trim(double fraction) => _l1.Trim(fraction);

    /// <summary>Drops the in-process layer (scrubbing sensitive values); the L2 keeps its entries.</summary>
    public void Dispose() => _l1.Dispose();

    void ITieredCache.DropLocal(string distributedKey)
    {
        if (_keysByDistributedKey.TryGetValue(distributedKey, out var key))
        {
            _l1.Invalidate(key);
        }
    }

    void ITieredCache.DropTagLocal(string tag)
    {
        if (string.Equals(tag, Name, StringComparison.Ordinal))
        {
            _l1.Clear();
            return;
        }

        foreach (var pair in _keysByDistributedKey)
        {
            if (_l1.TryPeek(pair.Value, out var entry) && Array.IndexOf(entry.Tags, tag) >= 0)
            {
                _l1.Invalidate(pair.Value);
            }
        }
    }

    void ITieredCache.ClearLocal() => _l1.Clear();

    private async ValueTask<TValue> MissAsync<TState>(TKey key, TState state, Func<TKey, TState, CancellationToken, ValueTask<TValue>> factory, CancellationToken cancellationToken)
    {
        var entry = await _l1.GetOrAddAsync(key, static (k, s, ct) => s.cache.LoadAsync(k, s.state, s.factory, ct), (cache: this, state, factory), cancellationToken).ConfigureAwait(false);
        return entry is null ? default! : entry.Value;
    }

    private async ValueTask<Entry> LoadAsync<TState>(TKey key, TState state, Func<TKey, TState, CancellationToken, ValueTask<TValue>> factory, CancellationToken cancellationToken)
    {
        var distributedKey = _distributedKey(key);
        var tags = _tags?.Invoke(key) ?? [];
        var value = await LoadFromL2Async(key, distributedKey, tags, state, factory, cancellationToken).ConfigureAwait(false);
        if (value is null && !_cacheNull)
        {
            // LruCache never stores null: the caller gets the value, nothing is cached.
            return null!;
        }

        _keysByDistributedKey[distributedKey] = key;
        return new Entry(value, tags);
    }

    private async ValueTask<TValue> LoadFromL2Async<TState>(TKey key, string distributedKey, string[] tags, TState state, Func<TKey, TState, CancellationToken, ValueTask<TValue>> factory, CancellationToken cancellationToken)
    {
        var distribution = _manager.Distribution;
        var l2 = distribution.L2;
        var protector = distribution.Protector;
        if (l2 is null || (_sensitive && protector is null) || !distribution.Health.ShouldTry)
        {
            return await factory(key, state, cancellationToken).ConfigureAwait(false);
        }

        var load = new Load<TState>(this, key, distributedKey, state, factory);
        byte[] payload;
        try
        {
            payload = await l2.GetOrCreateAsync(
                distributedKey,
                load,
                static (l, ct) => l.RunAsync(ct),
                distribution.EntryOptions(_ttl),
                tags.Length == 0 ? [Name] : [Name, .. tags],
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!load.FactoryRan && ex is not OperationCanceledException)
        {
            distribution.Health.RecordFailure("get", ex);
            return await factory(key, state, cancellationToken).ConfigureAwait(false);
        }

        if (load.FactoryRan)
        {
            return load.Value!;
        }

        try
        {
            var value = Decode(payload, distributedKey);
            distribution.Health.RecordSuccess();
            return value;
        }
        catch (Exception ex) when (ex is JsonException or System.Security.Cryptography.CryptographicException or NotSupportedException or InvalidDataException)
        {
            // A payload written by another version of the type, under another key, or altered: drop it and recompute.
            distribution.Health.RecordFailure("decode", ex);
            _ = distribution.RemoveL2Async(distributedKey);
            return await factory(key, state, cancellationToken).ConfigureAwait(false);
        }
    }

    private byte[] Encode(TValue value, string distributedKey)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, _typeInfo);
        if (!_sensitive)
        {
            var plain = new byte[json.Length + 1];
            plain[0] = PlainPayload;
            json.CopyTo(plain, 1);
            return plain;
        }

        try
        {
            var sealedBytes = _manager.Distribution.Protector!.Protect(json, distributedKey);
            var result = new byte[sealedBytes.Length + 1];
            result[0] = ProtectedPayload;
            sealedBytes.CopyTo(result, 1);
            return result;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(json);
        }
    }

    private TValue Decode(byte[] payload, string distributedKey)
    {
        if (payload.Length == 0)
        {
            throw new InvalidDataException("Empty L2 payload.");
        }

        var kind = payload[0];
        if (kind == PlainPayload && !_sensitive)
        {
            return JsonSerializer.Deserialize(payload.AsSpan(1), _typeInfo)!;
        }

        if (kind == ProtectedPayload && _sensitive)
        {
            var json = _manager.Distribution.Protector!.Unprotect(payload.AsSpan(1), distributedKey);
            try
            {
                return JsonSerializer.Deserialize(json, _typeInfo)!;
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(json);
            }
        }

        throw new InvalidDataException($"L2 payload kind {kind} does not match this cache (sensitive: {_sensitive}).");
    }

    private void OnEvicted(TKey key, Entry entry, EvictionReason reason)
    {
        if (reason != EvictionReason.Replaced)
        {
            var distributedKey = _distributedKey(key);
            _keysByDistributedKey.TryRemove(new KeyValuePair<string, TKey>(distributedKey, key));
        }

        if (_sensitive)
        {
            SensitiveValues.Scrub(entry.Value);
        }
    }

    private sealed class Entry(TValue value, string[] tags)
    {
        public TValue Value { get; } = value;

        public string[] Tags { get; } = tags;
    }

    /// <summary>One L2 miss: runs the method and remembers its value, so the caller that ran it never deserializes its own result.</summary>
    private sealed class Load<TState>(TieredCache<TKey, TValue> cache, TKey key, string distributedKey, TState state, Func<TKey, TState, CancellationToken, ValueTask<TValue>> factory)
    {
        public bool FactoryRan { get; private set; }

        public TValue? Value { get; private set; }

        public async ValueTask<byte[]> RunAsync(CancellationToken cancellationToken)
        {
            FactoryRan = true;
            Value = await factory(key, state, cancellationToken).ConfigureAwait(false);
            return cache.Encode(Value, distributedKey);
        }
    }
}
