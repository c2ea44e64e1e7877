using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using GopiAI.Toolkit.Internal;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// A thread-safe, bounded cache with W-TinyLFU eviction (or plain LRU), optional byte capacity, per-entry TTL, sliding
/// expiration and stampede protection. The name is historical: the default policy keeps frequently used entries, not
/// only recently used ones.
/// </summary>
/// <remarks>
/// <para>
/// Design (after Caffeine and BitFaster.Caching's ConcurrentLfu): entries live in a map read without locks
/// (<see cref="CacheMap{TKey, TValue}"/>, written under the maintenance lock) for lookups, and in the queues of an
/// eviction policy (<see cref="CacheEvictionPolicy"/>; W-TinyLFU by default) that decides which entry leaves when the
/// cache is full. A hit is a map probe plus a record in the read buffer (<see cref="ReadBuffer{TKey, TValue}"/>): no lock,
/// no allocation, at most one uncontended compare-and-swap (none once threads contend: then each records in its own ring).
/// The policy learns of hits in batches, under a lock, before each write, so the hit path never runs or waits for it. Writes take the lock, apply the pending reads, insert and evict:
/// after <c>Set</c> returns the cache is within its entry and byte capacity.
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
    // Rough bookkeeping cost of one entry (node object, its policy slot, its map slots) for MemoryUsage without a size function.
    internal const int EstimatedEntryOverhead = 96;

    private int InitialMapCapacity => Math.Min(_maxSize, 1024);

    // Mutable structs, held inline so that a hit loads their fields straight from this object: never readonly, never copied.
    private CacheMap<TKey, TValue> _map;
    private readonly IEqualityComparer<TKey> _comparer = EqualityComparer<TKey>.Default;
    private readonly WTinyLfuPolicy<TKey, TValue> _policy;

    // Hit/miss counters and rings of recent hits (one shared ring, per-thread rings once threads contend); see ReadBuffer.
    private ReadBuffer<TKey, TValue> _reads = new();

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

    // The clock is CoarseClock and expiration is not sliding: a live TTL hit is one field read and one compare.
    private readonly bool _plainCoarseExpiry;
    private readonly bool _cacheNulls;
    private readonly bool _disposeValues;
    private readonly bool _scrubValues;
    private readonly bool _trackBytes;
    private long _hitsBaseline;
    private long _missesBaseline;
    private long _evictions;
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
        _plainCoarseExpiry = _clock.IsCoarse && !_sliding;
        _cacheNulls = options.CacheNullValues;
        _disposeValues = options.DisposeEvictedValues;
        _scrubValues = options.SensitiveValues;
        _sizeOf = sizeOf;
        _untypedSizeOf = sizeOf is null ? options.SizeCalculator : null;
        _trackBytes = _sizeOf is not null || _untypedSizeOf is not null;
        _onEvicted = onEvicted;
        _untypedOnEvicted = onEvicted is null ? options.OnEvicted : null;
        EvictionPolicy = options.EvictionPolicy;
        _policy = new WTinyLfuPolicy<TKey, TValue>(_maxSize, options.EvictionPolicy);

        _map = new CacheMap<TKey, TValue>(InitialMapCapacity);
        _loads = new SingleFlight<TKey, TValue>(_comparer, _ => $"Recursive load of the same key in cache '{Name}': the factory for a key asked the cache for that key.");

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
        var node = Find(key);
        if (node is not null && IsLiveAsIs(node) && _reads.TryRecordHitShared(node.PolicyId))
        {
            value = node.Value;
            return true;
        }

        return TryGetSlow(node, out value, recordMiss: true);
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
        var node = Find(key);
        if (node is not null && IsLiveAsIs(node) && _reads.TryRecordHitShared(node.PolicyId))
        {
            value = node.Value;
            return true;
        }

        return TryGetSlow(node, out value, recordMiss);
    }

    /// <summary>Looks up <paramref name="key"/> without touching statistics or recency (an expired entry is still removed).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The cached value when found; otherwise <see langword="default"/>.</param>
    /// <returns><see langword="true"/> when a live (unexpired) entry was found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public bool TryPeek(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (Find(key) is { } node)
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

    /// <summary>Returns a snapshot of the cache's counters. Once concurrent callers have finished, <c>Hits + Misses</c> equals the number of lookups.</summary>
    /// <returns>The current statistics.</returns>
    public CacheStats GetStats()
    {
        var size = Count;
        var memory = _trackBytes ? _policy.Bytes : (long)size * EstimatedEntryOverhead;
        var hits = _reads.SumHits() - Interlocked.Read(ref _hitsBaseline);
        var misses = _reads.SumMisses() - Interlocked.Read(ref _missesBaseline);
        return new CacheStats(Name, hits, misses, Volatile.Read(ref _evictions), size, _maxSize, memory);
    }

    /// <summary>Resets hit, miss and eviction counters to zero (entries are kept).</summary>
    public void ResetStats()
    {
        // Other threads own their cells, so a reset moves the baseline instead of writing to them.
        Interlocked.Exchange(ref _hitsBaseline, _reads.SumHits());
        Interlocked.Exchange(ref _missesBaseline, _reads.SumMisses());
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

    /// <summary>Applies every thread's pending reads to the policy now (and resizes the window if a sample is complete); tests use it to reach a settled state.</summary>
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
            return _map.Find(key) is { } node && _policy.QueueOf(node) != PolicyQueue.None;
        }
    }

    // The whole check is inlined into the lookups: no entry TTL costs one compare, a live TTL entry one read of the coarse
    // clock (a static field, see ExpiryClock) and one compare; only an expired entry leaves the hot path.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsLive(CacheNode<TKey, TValue> node)
    {
        var expiresAt = node.ExpiresAt;
        if (expiresAt == ExpiryClock.Never)
        {
            return true;
        }

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

    // ConcurrentDictionary threw on a null key; the map does not check, so the cache does (free for value-type keys).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private CacheNode<TKey, TValue>? Find(TKey key)
    {
        if (key is null)
        {
            ThrowNullKey();
        }

        return _map.Find(key);
    }

    // True when the entry is live and a hit needs no more than recording: no entry TTL, or the coarse clock without
    // sliding (a field read and a compare). Anything else (an exact clock, sliding, expired) goes to TryGetSlow.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsLiveAsIs(CacheNode<TKey, TValue> node)
    {
        var expiresAt = node.ExpiresAt;
        return expiresAt == ExpiryClock.Never || (_plainCoarseExpiry && CoarseClock.Now < expiresAt);
    }

    // The rest of TryGet, out of line so that the hot path keeps few registers: a miss, an entry that needs the full
    // expiry check, or a hit that the shared ring did not take (contention, or the buffer is striped).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryGetSlow(CacheNode<TKey, TValue>? node, [MaybeNullWhen(false)] out TValue value, bool recordMiss)
    {
        if (node is not null && IsLive(node))
        {
            _reads.RecordHit(node.PolicyId);
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

    // Must hold _lock.
    private void ClimbIfDue()
    {
        if (_policy.ClimbDue)
        {
            _policy.Climb(_reads.SumHits(), _reads.SumMisses());
        }
    }

    private long ResolveTtl(TimeSpan? ttl) =>
        ttl is { } t ? _clock.ToTicks(Throw.IfNotPositive(t, allowInfinite: true, nameof(ttl))) : _defaultTtl;

    private static void ThrowIfNullKey(TKey key)
    {
        if (key is null)
        {
            ThrowNullKey();
        }
    }

    [DoesNotReturn]
    private static void ThrowNullKey() => throw new ArgumentNullException("key", "The cache key must not be null.");
}
