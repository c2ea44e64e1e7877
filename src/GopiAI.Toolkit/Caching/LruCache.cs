using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using GopiAI.Toolkit.Internal;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// A thread-safe, bounded, pseudo-LRU cache with optional byte capacity, per-entry TTL, sliding expiration and stampede
/// protection.
/// </summary>
/// <remarks>
/// <para>
/// Design (after BitFaster.Caching's ConcurrentLru): entries live in a <see cref="ConcurrentDictionary{TKey, TValue}"/>
/// and, in insertion order, in a lock-free queue. A hit is a dictionary lookup plus setting an "accessed" bit, so reads
/// never take a lock and allocate nothing. When the cache is over capacity, the evicting thread walks the queue from the
/// oldest entry (CLOCK / second chance): an accessed entry gets its bit cleared and goes to the back, an unaccessed or expired
/// one is evicted. This approximates LRU closely while keeping hits contention-free.
/// </para>
/// <para>
/// Stampede protection: concurrent misses for one key through <c>GetOrAdd</c>/<c>GetOrAddAsync</c> run the factory once and share
/// its result; a factory that throws or is cancelled is never cached (the callers that joined that run see its exception,
/// except that async callers whose own token is not cancelled retry after another caller's cancellation). A synchronous
/// caller that finds an <em>asynchronous</em> load in flight runs its own factory rather than block on async code.
/// </para>
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class LruCache<TKey, TValue> : ICacheStatistics, ITrimmableCache, IDisposable
    where TKey : notnull
{
    // Rough bookkeeping cost of one entry (node object, dictionary node, queue slot) for MemoryUsage without a size function.
    internal const int EstimatedEntryOverhead = 96;
    private const long NoExpiry = long.MaxValue;

    private readonly ConcurrentDictionary<TKey, Node> _map;
    private readonly ConcurrentQueue<Node> _queue = new();
    private readonly ConcurrentDictionary<TKey, InFlight> _inFlight;
    // Hits (First) and misses (Second) per thread: a plain add on the reading thread's own cell, exact and lock-free.
    private readonly PerThreadCounters _lookups = new();
    private long _hitsBaseline;
    private long _missesBaseline;
    private readonly Lock _evictLock = new();
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
    private readonly bool _useTickCount;
    private int _count;
    private int _queued;
    private long _bytes;
    private long _evictions;
    private volatile bool _disposed;

    /// <summary>Creates a cache from <paramref name="options"/>.</summary>
    /// <param name="options">The settings; validated and copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it): non-positive <c>MaxSize</c>, <c>MaxBytes</c> or <c>DefaultTtl</c>, <c>MaxBytes</c> without a size function, or an empty <c>Name</c>.</exception>
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

        // With the system clock, TTLs are checked against a coarse millisecond clock kept in a field by a timer (see
        // CoarseClock): reading the OS clock on every hit costs tens of nanoseconds on some VMs. Other providers (tests) are honoured.
        _useTickCount = ReferenceEquals(_time, TimeProvider.System);
        if (_useTickCount)
        {
            CoarseClock.EnsureStarted();
        }
        _defaultTtl = options.DefaultTtl is { } ttl ? ToTimestampTicks(ttl) : NoExpiry;
        _sliding = options.Sliding;
        _cacheNulls = options.CacheNullValues;
        _disposeValues = options.DisposeEvictedValues;
        _sizeOf = sizeOf;
        _untypedSizeOf = sizeOf is null ? options.SizeCalculator : null;
        _trackBytes = _sizeOf is not null || _untypedSizeOf is not null;
        _onEvicted = onEvicted;
        _untypedOnEvicted = onEvicted is null ? options.OnEvicted : null;

        var concurrency = Environment.ProcessorCount;
        var capacity = Math.Min(_maxSize, 1024);
        _map = new ConcurrentDictionary<TKey, Node>(concurrency, capacity, EqualityComparer<TKey>.Default);
        _inFlight = new ConcurrentDictionary<TKey, InFlight>(concurrency, 8, EqualityComparer<TKey>.Default);

        if (options.EnableMetrics && metrics is not null)
        {
            _metrics = metrics;
            metrics.Register(this);
        }
    }

    /// <summary>Gets the cache name (from <see cref="LruCacheOptions.Name"/> or derived from the type arguments).</summary>
    public string Name { get; }

    /// <summary>Gets the number of entries currently held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets the capacity in entries.</summary>
    public int MaxSize => _maxSize;

    /// <summary>Gets the time source used for expiration.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>Looks up <paramref name="key"/>. A hit allocates nothing and takes no lock.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The cached value when found; otherwise <see langword="default"/>.</param>
    /// <returns><see langword="true"/> when a live (unexpired) entry was found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_map.TryGetValue(key, out var node) && IsLive(node))
        {
            _lookups.Local.First++;
            value = node.Value;
            return true;
        }

        _lookups.Local.Second++;
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
            _lookups.Local.First++;
            value = node.Value;
            return true;
        }

        if (recordMiss)
        {
            _lookups.Local.Second++;
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
            if (expiresAt == NoExpiry || Now() < expiresAt)
            {
                value = node.Value;
                return true;
            }

            TryRemoveNode(node, EvictionReason.Expired);
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/>, replacing any existing entry, then evicts the least
    /// recently used entries if the cache is over capacity. Storing <see langword="null"/> when
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
        if (_map.TryRemove(key, out var node))
        {
            OnRemoved(node, EvictionReason.Removed);
            CompactIfNeeded();
            return true;
        }

        return false;
    }

    /// <summary>Removes every entry. Counters (hits, misses, evictions) are kept.</summary>
    public void Clear()
    {
        lock (_evictLock)
        {
            foreach (var pair in _map)
            {
                TryRemoveNode(pair.Value, EvictionReason.Cleared);
            }

            CompactQueue();
        }
    }

    /// <summary>Removes every expired entry now (expired entries are otherwise removed lazily, when looked up or reached by eviction).</summary>
    /// <returns>The number of entries removed.</returns>
    public int RemoveExpired()
    {
        var now = Now();
        var removed = 0;
        foreach (var pair in _map)
        {
            if (pair.Value.ExpiresAt <= now && TryRemoveNode(pair.Value, EvictionReason.Expired))
            {
                removed++;
            }
        }

        CompactIfNeeded();
        return removed;
    }

    /// <inheritdoc />
    public int Trim(double fraction)
    {
        Throw.IfOutOfRange(fraction, 0, 1);
        var removed = RemoveExpired();
        var toRemove = (int)Math.Ceiling(Count * fraction);
        if (toRemove > 0)
        {
            lock (_evictLock)
            {
                removed += EvictCore(Math.Max(0, Count - toRemove), long.MaxValue, EvictionReason.MemoryPressure, force: true);
            }
        }

        return removed;
    }

    /// <summary>Returns a snapshot of the cache's counters. Once concurrent callers have finished, <c>Hits + Misses</c> equals the number of lookups.</summary>
    /// <returns>The current statistics.</returns>
    public CacheStats GetStats()
    {
        var size = Count;
        var memory = _trackBytes ? Volatile.Read(ref _bytes) : (long)size * EstimatedEntryOverhead;
        var hits = _lookups.SumFirst() - Interlocked.Read(ref _hitsBaseline);
        var misses = _lookups.SumSecond() - Interlocked.Read(ref _missesBaseline);
        return new CacheStats(Name, hits, misses, Volatile.Read(ref _evictions), size, _maxSize, memory);
    }

    /// <summary>Resets hit, miss and eviction counters to zero (entries are kept).</summary>
    public void ResetStats()
    {
        // Other threads own their cells, so a reset moves the baseline instead of writing to them.
        Interlocked.Exchange(ref _hitsBaseline, _lookups.SumFirst());
        Interlocked.Exchange(ref _missesBaseline, _lookups.SumSecond());
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
        _lookups.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsLive(Node node)
    {
        var expiresAt = node.ExpiresAt;
        if (expiresAt != NoExpiry && !CheckExpiry(node, expiresAt))
        {
            return false;
        }

        if (!node.Accessed)
        {
            // Write only when the bit changes, so hot entries don't bounce their cache line between cores.
            node.Accessed = true;
        }

        return true;
    }

    private bool CheckExpiry(Node node, long expiresAt)
    {
        var now = Now();
        if (now >= expiresAt)
        {
            TryRemoveNode(node, EvictionReason.Expired);
            return false;
        }

        if (_sliding)
        {
            node.ExpiresAt = now + node.Ttl;
        }

        return true;
    }

    private bool TryGetQuiet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_map.TryGetValue(key, out var node) && IsLive(node))
        {
            value = node.Value;
            return true;
        }

        value = default;
        return false;
    }

    private TValue GetOrAddSlow<TArg>(TKey key, Func<TKey, TArg, TValue> factory, TArg argument, long expiresIn)
    {
        Throw.IfDisposed(_disposed, this);
        var mine = new SyncLoad();
        var existing = _inFlight.GetOrAdd(key, mine);
        if (!ReferenceEquals(existing, mine))
        {
            if (existing is SyncLoad running)
            {
                if (running.OwnerThreadId == Environment.CurrentManagedThreadId)
                {
                    throw new InvalidOperationException($"Recursive load of the same key in cache '{Name}': the factory for a key asked the cache for that key.");
                }

                // The owner runs a synchronous factory on another thread; waiting for it is like waiting on a lock.
                return running.Wait();
            }

            // Never block on async code: load independently; the last writer wins, which is harmless for a cache.
            var own = factory(key, argument);
            StoreLoaded(key, own, expiresIn);
            return own;
        }

        try
        {
            if (TryGetQuiet(key, out var cached))
            {
                mine.Complete(cached);
                return cached;
            }

            var value = factory(key, argument);
            StoreLoaded(key, value, expiresIn);
            mine.Complete(value);
            return value;
        }
        catch (Exception ex)
        {
            mine.Fail(ex);
            throw;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<TKey, InFlight>(key, mine));
        }
    }

    private async ValueTask<TValue> GetOrAddAsyncSlow<TArg>(TKey key, Func<TKey, TArg, CancellationToken, ValueTask<TValue>> factory, TArg argument, long expiresIn, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Throw.IfDisposed(_disposed, this);
            var mine = new AsyncLoad();
            var existing = _inFlight.GetOrAdd(key, mine);
            if (!ReferenceEquals(existing, mine))
            {
                try
                {
                    return await existing.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The caller that ran the factory was cancelled, not us: try again (and likely run it ourselves).
                    continue;
                }
            }

            try
            {
                if (TryGetQuiet(key, out var cached))
                {
                    mine.Completion.TrySetResult(cached);
                    return cached;
                }

                var value = await factory(key, argument, cancellationToken).ConfigureAwait(false);
                StoreLoaded(key, value, expiresIn);
                mine.Completion.TrySetResult(value);
                return value;
            }
            catch (OperationCanceledException oce)
            {
                mine.Completion.TrySetCanceled(oce.CancellationToken);
                throw;
            }
            catch (Exception ex)
            {
                mine.Fail(ex);
                throw;
            }
            finally
            {
                _inFlight.TryRemove(new KeyValuePair<TKey, InFlight>(key, mine));
            }
        }
    }

    private long ResolveTtl(TimeSpan? ttl) =>
        ttl is { } t ? ToTimestampTicks(Throw.IfNotPositive(t, allowInfinite: true, nameof(ttl))) : _defaultTtl;

    private void StoreLoaded(TKey key, TValue value, long expiresIn)
    {
        if (value is null && !_cacheNulls)
        {
            return;
        }

        if (!_disposed)
        {
            SetCore(key, value, expiresIn);
        }
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

        var expiresAt = expiresIn == NoExpiry ? NoExpiry : SaturatingAdd(Now(), expiresIn);
        var node = new Node(key, value, expiresAt, expiresIn, size);
        while (true)
        {
            if (_map.TryGetValue(key, out var old))
            {
                if (_map.TryUpdate(key, node, old))
                {
                    if (_trackBytes)
                    {
                        Interlocked.Add(ref _bytes, size);
                    }

                    OnRemoved(old, EvictionReason.Replaced);
                    break;
                }
            }
            else if (_map.TryAdd(key, node))
            {
                Interlocked.Increment(ref _count);
                if (_trackBytes)
                {
                    Interlocked.Add(ref _bytes, size);
                }

                break;
            }
        }

        _queue.Enqueue(node);
        Interlocked.Increment(ref _queued);

        if (Volatile.Read(ref _count) > _maxSize || (_trackBytes && Volatile.Read(ref _bytes) > _maxBytes))
        {
            lock (_evictLock)
            {
                EvictCore(_maxSize, _maxBytes, EvictionReason.Capacity, force: false);
            }
        }
        else
        {
            CompactIfNeeded();
        }
    }

    // Must hold _evictLock. Walks the queue from the oldest entry until the cache is within the targets.
    private int EvictCore(int targetCount, long targetBytes, EvictionReason reason, bool force)
    {
        var evicted = 0;
        var budget = (2 * Volatile.Read(ref _queued)) + 1;
        var now = Now();
        while ((Volatile.Read(ref _count) > targetCount || (_trackBytes && Volatile.Read(ref _bytes) > targetBytes))
            && _queue.TryDequeue(out var node))
        {
            Interlocked.Decrement(ref _queued);
            if (node.Removed)
            {
                continue;
            }

            if (node.ExpiresAt <= now)
            {
                if (TryRemoveNode(node, EvictionReason.Expired))
                {
                    evicted++;
                }

                continue;
            }

            // Two passes clear every bit; after that (or when forced) take entries in queue order regardless.
            if (!force && node.Accessed && --budget > 0)
            {
                node.Accessed = false;
                _queue.Enqueue(node);
                Interlocked.Increment(ref _queued);
                continue;
            }

            if (TryRemoveNode(node, reason))
            {
                evicted++;
            }
        }

        return evicted;
    }

    private void CompactIfNeeded()
    {
        // Removed entries stay in the queue until reached; rebuild it when they outnumber the live ones.
        if (Volatile.Read(ref _queued) > (2 * Volatile.Read(ref _count)) + 64)
        {
            lock (_evictLock)
            {
                if (Volatile.Read(ref _queued) > (2 * Volatile.Read(ref _count)) + 64)
                {
                    CompactQueue();
                }
            }
        }
    }

    // Must hold _evictLock. Keeps live entries in order, drops removed ones.
    private void CompactQueue()
    {
        var n = Volatile.Read(ref _queued);
        for (var i = 0; i < n && _queue.TryDequeue(out var node); i++)
        {
            if (node.Removed)
            {
                Interlocked.Decrement(ref _queued);
            }
            else
            {
                _queue.Enqueue(node);
            }
        }
    }

    private bool TryRemoveNode(Node node, EvictionReason reason)
    {
        if (_map.TryRemove(new KeyValuePair<TKey, Node>(node.Key, node)))
        {
            OnRemoved(node, reason);
            return true;
        }

        return false;
    }

    // Called exactly once per node, by whoever took it out of the map.
    private void OnRemoved(Node node, EvictionReason reason)
    {
        node.Removed = true;
        if (reason != EvictionReason.Replaced)
        {
            Interlocked.Decrement(ref _count);
        }

        if (_trackBytes)
        {
            Interlocked.Add(ref _bytes, -node.Size);
        }

        if (reason is EvictionReason.Capacity or EvictionReason.Expired or EvictionReason.MemoryPressure)
        {
            Interlocked.Increment(ref _evictions);
        }

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

    private long ToTimestampTicks(TimeSpan ttl)
    {
        if (ttl == Timeout.InfiniteTimeSpan)
        {
            return NoExpiry;
        }

        var frequency = _useTickCount ? 1000.0 : _time.TimestampFrequency;
        var ticks = ttl.Ticks * (frequency / TimeSpan.TicksPerSecond);
        return ticks >= NoExpiry - 1 ? NoExpiry - 1 : Math.Max(1, (long)ticks);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Now() => _useTickCount ? CoarseClock.Now : _time.GetTimestamp();

    private static long SaturatingAdd(long a, long b)
    {
        var sum = a + b;
        return sum < a ? NoExpiry - 1 : sum;
    }

    private static void ThrowIfNullKey(TKey key)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key), "The cache key must not be null.");
        }
    }

    private sealed class Node(TKey key, TValue value, long expiresAt, long ttl, long size)
    {
        public readonly TKey Key = key;
        public readonly TValue Value = value;
        public readonly long Ttl = ttl;
        public readonly long Size = size;
        public long ExpiresAt = expiresAt;
        public volatile bool Accessed;
        public volatile bool Removed;
    }

    private abstract class InFlight
    {
        public int OwnerThreadId { get; } = Environment.CurrentManagedThreadId;

        public abstract Task<TValue> AsTask();
    }

    // A synchronous load: a plain object with a monitor instead of a TaskCompletionSource, so that a miss through GetOrAdd
    // allocates ~40 bytes for stampede protection rather than ~150. A task is created only if an async caller joins.
    private sealed class SyncLoad : InFlight
    {
        private TValue? _value;
        private ExceptionDispatchInfo? _error;
        private bool _done;
        private int _waiters;
        private TaskCompletionSource<TValue>? _completion;

        public void Complete(TValue value)
        {
            TaskCompletionSource<TValue>? completion;
            lock (this)
            {
                _value = value;
                _done = true;
                if (_waiters > 0)
                {
                    Monitor.PulseAll(this);
                }

                completion = _completion;
            }

            completion?.TrySetResult(value);
        }

        public void Fail(Exception exception)
        {
            TaskCompletionSource<TValue>? completion;
            lock (this)
            {
                _error = ExceptionDispatchInfo.Capture(exception);
                _done = true;
                if (_waiters > 0)
                {
                    Monitor.PulseAll(this);
                }

                completion = _completion;
            }

            if (completion is not null && completion.TrySetException(exception))
            {
                _ = completion.Task.Exception;
            }
        }

        public TValue Wait()
        {
            lock (this)
            {
                _waiters++;
                while (!_done)
                {
                    Monitor.Wait(this);
                }
            }

            _error?.Throw();
            return _value!;
        }

        public override Task<TValue> AsTask()
        {
            lock (this)
            {
                if (_done)
                {
                    return _error is null ? Task.FromResult(_value!) : Task.FromException<TValue>(_error.SourceException);
                }

                return (_completion ??= new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    private sealed class AsyncLoad : InFlight
    {
        public TaskCompletionSource<TValue> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task<TValue> AsTask() => Completion.Task;

        public void Fail(Exception exception)
        {
            if (Completion.TrySetException(exception))
            {
                // Mark observed: callers that joined already rethrow it; nobody else should see UnobservedTaskException.
                _ = Completion.Task.Exception;
            }
        }
    }
}
