using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// A thread-safe, bounded cache with W-TinyLFU eviction (or plain LRU), optional byte capacity, per-entry TTL, sliding
/// expiration and stampede protection. The name is historical: the default policy keeps frequently used entries, not
/// only recently used ones.
/// </summary>
/// <remarks>
/// <para>
/// Design (after Caffeine and BitFaster.Caching's ConcurrentLfu): entries live in a <see cref="ConcurrentDictionary{TKey, TValue}"/>
/// for lookups, and in the queues of an eviction policy (<see cref="CacheEvictionPolicy"/>; W-TinyLFU by default) that
/// decides which entry leaves when the cache is full. A hit is a dictionary lookup plus a record in the calling thread's
/// read buffer: no lock, no interlocked instruction, no allocation. The policy learns of hits in batches, under a lock, before
/// each write and on a thread-pool work item scheduled when a thread's buffer fills, so the hit path never waits for
/// it. Writes take the lock, apply the pending reads, insert and evict: after <c>Set</c> returns the cache is within its
/// entry and byte capacity.
/// </para>
/// <para>
/// Stampede protection: concurrent misses for one key through <c>GetOrAdd</c>/<c>GetOrAddAsync</c> run the factory once and share
/// its result; a factory that throws or is cancelled is never cached (the callers that joined that run see its exception,
/// except that async callers whose own token is not cancelled retry after another caller's cancellation). A synchronous
/// caller that finds an <em>asynchronous</em> load in flight runs its own factory rather than block on async code.
/// </para>
/// <para>
/// Eviction callbacks and the disposal of evicted values run after the lock is released, on the thread whose operation
/// removed the entries.
/// </para>
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed partial class LruCache<TKey, TValue> : ICacheStatistics, ITrimmableCache, IDisposable
    where TKey : notnull
{
    // Rough bookkeeping cost of one entry (node object with its policy links, dictionary node) for MemoryUsage without a size function.
    internal const int EstimatedEntryOverhead = 96;

    private const int MaintenanceIdle = 0;
    private const int MaintenanceScheduled = 1;

    private readonly ConcurrentDictionary<TKey, CacheNode<TKey, TValue>> _map;
    private readonly IEqualityComparer<TKey> _comparer = EqualityComparer<TKey>.Default;
    private readonly WTinyLfuPolicy<TKey, TValue> _policy;

    // Per-thread hit/miss counters and rings of recent hits; see ReadBuffer.
    private readonly ReadBuffer<TKey, TValue> _reads = new();
    private readonly MaintenanceWorkItem _maintenance;

    // Guards the policy and every change to _map (lookups read _map without it).
    private readonly Lock _lock = new();
    private readonly ExpiryClock _clock;
    private readonly TimeProvider _time;
    private readonly Func<TKey, TValue, long>? _sizeOf;
    private readonly Func<object, object?, long>? _untypedSizeOf;
    private readonly Action<TKey, TValue, EvictionReason>? _onEvicted;
    private readonly Action<CacheEviction>? _untypedOnEvicted;
    private readonly CacheMetrics? _metrics;
    private readonly int _maxSize;
    private readonly long _maxBytes;
    private readonly long _defaultTtl;
    private readonly bool _sliding;
    private readonly bool _cacheNulls;
    private readonly bool _disposeValues;
    private readonly bool _trackBytes;
    private long _hitsBaseline;
    private long _missesBaseline;
    private long _evictions;
    private int _maintenanceState;
    private volatile bool _disposed;

    /// <summary>Creates a cache from <paramref name="options"/>.</summary>
    /// <param name="options">The settings; validated and copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it): non-positive <c>MaxSize</c>, <c>MaxBytes</c> or <c>DefaultTtl</c>, <c>MaxBytes</c> without a size function, an empty <c>Name</c> or an undefined <c>EvictionPolicy</c>.</exception>
    public LruCache(LruCacheOptions options)
        : this(options, null, null)
    {
    }

    /// <summary>Creates a cache from <paramref name="options"/> with a typed size function and eviction callback.</summary>
    /// <param name="options">The settings; validated and copied.</param>
    /// <param name="sizeOf">Returns an entry's size in bytes (for <see cref="LruCacheOptions.MaxBytes"/> and <see cref="CacheStats.MemoryUsage"/>); overrides <see cref="LruCacheOptions.SizeCalculator"/>.</param>
    /// <param name="onEvicted">Called after an entry leaves the cache; overrides <see cref="LruCacheOptions.OnEvicted"/>. Exceptions it throws are caught.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the exception names it.</exception>
    public LruCache(LruCacheOptions options, Func<TKey, TValue, long>? sizeOf, Action<TKey, TValue, EvictionReason>? onEvicted)
        : this(options, sizeOf, onEvicted, CacheMetrics.Default)
    {
    }

    internal LruCache(LruCacheOptions options, Func<TKey, TValue, long>? sizeOf, Action<TKey, TValue, EvictionReason>? onEvicted, CacheMetrics? metrics)
    {
        Throw.IfNull(options);
        options.Validate(sizeOf is not null);
        Name = options.Name ?? $"LruCache<{typeof(TKey).Name},{typeof(TValue).Name}>";
        _maxSize = options.MaxSize;
        _maxBytes = options.MaxBytes ?? long.MaxValue;
        _time = options.TimeProvider ?? TimeProvider.System;
        _clock = new ExpiryClock(_time);
        _defaultTtl = options.DefaultTtl is { } ttl ? _clock.ToTicks(ttl) : ExpiryClock.Never;
        _sliding = options.Sliding;
        _cacheNulls = options.CacheNullValues;
        _disposeValues = options.DisposeEvictedValues;
        _sizeOf = sizeOf;
        _untypedSizeOf = sizeOf is null ? options.SizeCalculator : null;
        _trackBytes = _sizeOf is not null || _untypedSizeOf is not null;
        _onEvicted = onEvicted;
        _untypedOnEvicted = onEvicted is null ? options.OnEvicted : null;
        EvictionPolicy = options.EvictionPolicy;
        _policy = new WTinyLfuPolicy<TKey, TValue>(_maxSize, options.EvictionPolicy);
        _maintenance = new MaintenanceWorkItem(this);

        var concurrency = Environment.ProcessorCount;
        var capacity = Math.Min(_maxSize, 1024);
        _map = new ConcurrentDictionary<TKey, CacheNode<TKey, TValue>>(concurrency, capacity, _comparer);
        _inFlight = new ConcurrentDictionary<TKey, InFlight>(concurrency, 8, _comparer);

        if (options.EnableMetrics && metrics is not null)
        {
            _metrics = metrics;
            metrics.Register(this);
        }
    }

    /// <summary>Gets the cache name (from <see cref="LruCacheOptions.Name"/> or derived from the type arguments).</summary>
    public string Name { get; }

    /// <summary>Gets the number of entries currently held.</summary>
    public int Count => _policy.Count;

    /// <summary>Gets the capacity in entries.</summary>
    public int MaxSize => _maxSize;

    /// <summary>Gets the eviction policy (from <see cref="LruCacheOptions.EvictionPolicy"/>).</summary>
    public CacheEvictionPolicy EvictionPolicy { get; }

    /// <summary>Gets the time source used for expiration.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>Gets the policy, for tests that check its decisions.</summary>
    internal WTinyLfuPolicy<TKey, TValue> Policy => _policy;

    /// <summary>Looks up <paramref name="key"/>. A hit allocates nothing and takes no lock.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The cached value when found; otherwise <see langword="default"/>.</param>
    /// <returns><see langword="true"/> when a live (unexpired) entry was found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_map.TryGetValue(key, out var node) && IsLive(node))
        {
            RecordHit(node);
            value = node.Value;
            return true;
        }

        _reads.RecordMiss();
        value = default;
        return false;
    }

    /// <summary>
    /// Looks up <paramref name="key"/>, counting a hit when found and a miss only when <paramref name="recordMiss"/> is
    /// <see langword="true"/>. Generated code that probes with this and falls back to <c>GetOrAdd</c> on a miss passes
    /// <see langword="false"/>, so the miss is counted once (by <c>GetOrAdd</c>). Allocates nothing.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The cached value when found; otherwise <see langword="default"/>.</param>
    /// <param name="recordMiss">Whether a miss is counted in the statistics.</param>
    /// <returns><see langword="true"/> when a live (unexpired) entry was found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value, bool recordMiss)
    {
        if (_map.TryGetValue(key, out var node) && IsLive(node))
        {
            RecordHit(node);
            value = node.Value;
            return true;
        }

        if (recordMiss)
        {
            _reads.RecordMiss();
        }

        value = default;
        return false;
    }

    /// <summary>Looks up <paramref name="key"/> without touching statistics or recency (an expired entry is still removed).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The cached value when found; otherwise <see langword="default"/>.</param>
    /// <returns><see langword="true"/> when a live (unexpired) entry was found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public bool TryPeek(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_map.TryGetValue(key, out var node))
        {
            var expiresAt = node.ExpiresAt;
            if (expiresAt == ExpiryClock.Never || _clock.Now() < expiresAt)
            {
                value = node.Value;
                return true;
            }

            RemoveExpiredNode(node);
        }

        value = default;
        return false;
    }

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

    /// <summary>Returns the cached value for <paramref name="key"/>, or runs <paramref name="factory"/> once (even under concurrent misses) and caches its result.</summary>
    /// <param name="key">The key.</param>
    /// <param name="factory">Produces the value on a miss. If it throws, nothing is cached and the exception propagates.</param>
    /// <returns>The cached or newly produced value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The factory asked the same cache for the same key (recursive load).</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed and the key was not found.</exception>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> factory)
    {
        Throw.IfNull(factory);
        return GetOrAdd(key, static (k, f) => f(k), factory);
    }

    /// <summary>
    /// Returns the cached value for <paramref name="key"/>, or runs <paramref name="factory"/> with <paramref name="factoryArgument"/>
    /// once (even under concurrent misses) and caches its result. A hit allocates nothing.
    /// </summary>
    /// <typeparam name="TArg">The type of the state passed to the factory.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="factory">Produces the value on a miss. If it throws, nothing is cached and the exception propagates.</param>
    /// <param name="factoryArgument">State passed to <paramref name="factory"/> so that it can be a static lambda.</param>
    /// <returns>The cached or newly produced value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The factory asked the same cache for the same key (recursive load).</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed and the key was not found.</exception>
    public TValue GetOrAdd<TArg>(TKey key, Func<TKey, TArg, TValue> factory, TArg factoryArgument)
    {
        if (TryGet(key, out var value))
        {
            return value;
        }

        Throw.IfNull(factory);
        return GetOrAddSlow(key, factory, factoryArgument, _defaultTtl);
    }

    /// <summary>
    /// Like <see cref="GetOrAdd{TArg}(TKey, Func{TKey, TArg, TValue}, TArg)"/>, but an entry created by this call lives for
    /// <paramref name="ttl"/> instead of the cache's default (so callers sharing one cache can keep their own TTLs). A hit allocates nothing.
    /// </summary>
    /// <typeparam name="TArg">The type of the state passed to the factory.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="factory">Produces the value on a miss. If it throws, nothing is cached and the exception propagates.</param>
    /// <param name="factoryArgument">State passed to <paramref name="factory"/>.</param>
    /// <param name="ttl">Time to live of a new entry; <see langword="null"/> uses the default; <see cref="Timeout.InfiniteTimeSpan"/> means never.</param>
    /// <returns>The cached or newly produced value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is zero or negative.</exception>
    /// <exception cref="InvalidOperationException">The factory asked the same cache for the same key (recursive load).</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed and the key was not found.</exception>
    public TValue GetOrAdd<TArg>(TKey key, Func<TKey, TArg, TValue> factory, TArg factoryArgument, TimeSpan? ttl)
    {
        if (TryGet(key, out var value))
        {
            return value;
        }

        Throw.IfNull(factory);
        return GetOrAddSlow(key, factory, factoryArgument, ResolveTtl(ttl));
    }

    /// <summary>Returns the cached value for <paramref name="key"/>, or awaits <paramref name="factory"/> once (even under concurrent misses) and caches its result.</summary>
    /// <param name="key">The key.</param>
    /// <param name="factory">Produces the value on a miss. A faulted or cancelled result is never cached.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (and the factory, when this caller runs it).</param>
    /// <returns>The cached or newly produced value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed and the key was not found.</exception>
    public ValueTask<TValue> GetOrAddAsync(TKey key, Func<TKey, CancellationToken, Task<TValue>> factory, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(factory);
        return GetOrAddAsync(key, static (k, f, ct) => new ValueTask<TValue>(f(k, ct)), factory, cancellationToken);
    }

    /// <summary>
    /// Returns the cached value for <paramref name="key"/>, or awaits <paramref name="factory"/> with <paramref name="factoryArgument"/>
    /// once (even under concurrent misses) and caches its result. A hit completes synchronously and allocates nothing.
    /// </summary>
    /// <typeparam name="TArg">The type of the state passed to the factory.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="factory">Produces the value on a miss. A faulted or cancelled result is never cached.</param>
    /// <param name="factoryArgument">State passed to <paramref name="factory"/> so that it can be a static lambda.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (and the factory, when this caller runs it).</param>
    /// <returns>The cached or newly produced value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed and the key was not found.</exception>
    public ValueTask<TValue> GetOrAddAsync<TArg>(TKey key, Func<TKey, TArg, CancellationToken, ValueTask<TValue>> factory, TArg factoryArgument, CancellationToken cancellationToken = default)
    {
        if (TryGet(key, out var value))
        {
            return new ValueTask<TValue>(value);
        }

        Throw.IfNull(factory);
        return GetOrAddAsyncSlow(key, factory, factoryArgument, _defaultTtl, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="GetOrAddAsync{TArg}(TKey, Func{TKey, TArg, CancellationToken, ValueTask{TValue}}, TArg, CancellationToken)"/>,
    /// but an entry created by this call lives for <paramref name="ttl"/> instead of the cache's default. A hit allocates nothing.
    /// </summary>
    /// <typeparam name="TArg">The type of the state passed to the factory.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="factory">Produces the value on a miss. A faulted or cancelled result is never cached.</param>
    /// <param name="factoryArgument">State passed to <paramref name="factory"/>.</param>
    /// <param name="ttl">Time to live of a new entry; <see langword="null"/> uses the default; <see cref="Timeout.InfiniteTimeSpan"/> means never.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (and the factory, when this caller runs it).</param>
    /// <returns>The cached or newly produced value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is zero or negative.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The cache has been disposed and the key was not found.</exception>
    public ValueTask<TValue> GetOrAddAsync<TArg>(TKey key, Func<TKey, TArg, CancellationToken, ValueTask<TValue>> factory, TArg factoryArgument, TimeSpan? ttl, CancellationToken cancellationToken = default)
    {
        if (TryGet(key, out var value))
        {
            return new ValueTask<TValue>(value);
        }

        Throw.IfNull(factory);
        return GetOrAddAsyncSlow(key, factory, factoryArgument, ResolveTtl(ttl), cancellationToken);
    }

    /// <summary>Removes the entry for <paramref name="key"/>, if any.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when an entry was removed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public bool Invalidate(TKey key)
    {
        ThrowIfNullKey(key);
        if (!_map.ContainsKey(key))
        {
            return false;
        }

        var removed = default(RemovalBatch<TKey, TValue>);
        lock (_lock)
        {
            if (_map.TryRemove(key, out var node))
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
            _map.Clear();
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
            foreach (var pair in _map)
            {
                var node = pair.Value;
                if (node.ExpiresAt <= now && _map.TryRemove(pair))
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

    /// <summary>Returns a snapshot of the cache's counters. Once concurrent callers have finished, <c>Hits + Misses</c> equals the number of lookups.</summary>
    /// <returns>The current statistics.</returns>
    public CacheStats GetStats()
    {
        var size = Count;
        var memory = _trackBytes ? _policy.Bytes : (long)size * EstimatedEntryOverhead;
        var hits = _reads.SumFirst() - Interlocked.Read(ref _hitsBaseline);
        var misses = _reads.SumSecond() - Interlocked.Read(ref _missesBaseline);
        return new CacheStats(Name, hits, misses, Volatile.Read(ref _evictions), size, _maxSize, memory);
    }

    /// <summary>Resets hit, miss and eviction counters to zero (entries are kept).</summary>
    public void ResetStats()
    {
        // Other threads own their cells, so a reset moves the baseline instead of writing to them.
        Interlocked.Exchange(ref _hitsBaseline, _reads.SumFirst());
        Interlocked.Exchange(ref _missesBaseline, _reads.SumSecond());
        Volatile.Write(ref _evictions, 0);
    }

    /// <summary>Clears the cache (disposing values when <see cref="LruCacheOptions.DisposeEvictedValues"/> is set) and stops reporting metrics. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Clear();
        _metrics?.Unregister(this);
        _reads.Dispose();
    }

    /// <summary>Applies every thread's pending reads to the policy now (and resizes the window if a sample is complete); tests and the simulator use it to reach a settled state.</summary>
    internal void RunMaintenance()
    {
        lock (_lock)
        {
            _reads.DrainTo(_policy);
            ClimbIfDue();
        }
    }

    /// <summary>Returns whether <paramref name="key"/> is in the map and its entry in the policy's queues; tests check that the two agree.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when both hold the entry.</returns>
    internal bool IsTrackedByPolicy(TKey key)
    {
        lock (_lock)
        {
            return _map.TryGetValue(key, out var node) && _policy.QueueOf(node) != PolicyQueue.None;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsLive(CacheNode<TKey, TValue> node)
    {
        var expiresAt = node.ExpiresAt;
        return expiresAt == ExpiryClock.Never || CheckExpiry(node, expiresAt);
    }

    private bool CheckExpiry(CacheNode<TKey, TValue> node, long expiresAt)
    {
        var now = _clock.Now();
        if (now >= expiresAt)
        {
            RemoveExpiredNode(node);
            return false;
        }

        if (_sliding)
        {
            node.ExpiresAt = now + node.Ttl;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RecordHit(CacheNode<TKey, TValue> node)
    {
        if (_reads.RecordHit(node.PolicyId))
        {
            ScheduleMaintenance();
        }
    }

    // A thread's ring wrapped: have the thread pool apply the buffered reads, so that readers never run the policy themselves.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ScheduleMaintenance()
    {
        if (Volatile.Read(ref _maintenanceState) == MaintenanceIdle
            && Interlocked.CompareExchange(ref _maintenanceState, MaintenanceScheduled, MaintenanceIdle) == MaintenanceIdle)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_maintenance, preferLocal: false);
        }
    }

    private void RunScheduledMaintenance()
    {
        // Idle first: a ring that wraps while this runs schedules another pass instead of being forgotten.
        Volatile.Write(ref _maintenanceState, MaintenanceIdle);
        if (!_disposed)
        {
            // Reads only: the window is resized on writes, the only time the split changes what is evicted.
            lock (_lock)
            {
                _reads.DrainTo(_policy);
            }
        }
    }

    // Must hold _lock.
    private void ClimbIfDue()
    {
        if (_policy.ClimbDue)
        {
            _policy.Climb(_reads.SumFirst(), _reads.SumSecond());
        }
    }

    private long ResolveTtl(TimeSpan? ttl) =>
        ttl is { } t ? _clock.ToTicks(Throw.IfNotPositive(t, allowInfinite: true, nameof(ttl))) : _defaultTtl;

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

        var node = new CacheNode<TKey, TValue>(key, value, FrequencySketch.Mix(_comparer.GetHashCode(key)), _clock.ExpiryFor(expiresIn), expiresIn, size);
        var removed = default(RemovalBatch<TKey, TValue>);
        lock (_lock)
        {
            // The policy sees the reads that happened before this write first, as they happened.
            _reads.DrainTo(_policy);
            // The policy first: it gives the node the id that readers record, before they can find it.
            if (_map.TryGetValue(key, out var old))
            {
                _policy.Replace(old, node);
                _map[key] = node;
                removed.Add(old, EvictionReason.Replaced);
            }
            else
            {
                _policy.Add(node);
                _map[key] = node;
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
            if (_map.TryRemove(new KeyValuePair<TKey, CacheNode<TKey, TValue>>(node.Key, node)))
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
                _map.TryRemove(new KeyValuePair<TKey, CacheNode<TKey, TValue>>(node.Key, node));
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

        if (_disposeValues && node.Value is IDisposable disposable)
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

    private static void ThrowIfNullKey(TKey key)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key), "The cache key must not be null.");
        }
    }

    // The cache's maintenance as a thread-pool work item: allocated once, so scheduling it allocates nothing.
    private sealed class MaintenanceWorkItem(LruCache<TKey, TValue> cache) : IThreadPoolWorkItem
    {
        public void Execute() => cache.RunScheduledMaintenance();
    }
}
