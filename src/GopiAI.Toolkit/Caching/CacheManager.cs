using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GopiAI.Toolkit.Monitoring;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// Owns the application's named caches (the seed's <c>models</c>, <c>tools</c>, <c>web_content</c> and <c>api_responses</c>,
/// plus any name asked for), reports statistics for them and for caches registered by generated code, and trims them when
/// its <see cref="MemoryMonitor"/> signals memory pressure.
/// </summary>
/// <remarks>
/// <see cref="Shared"/> is the process-wide instance that generated <c>[Cached]</c> code uses; <c>AddGopiToolkit</c> registers the
/// same instance by default so that DI consumers and generated code see the same caches. <see cref="Dispose"/> on
/// <see cref="Shared"/> is ignored because the instance lives as long as the process.
/// </remarks>
public sealed class CacheManager : IDisposable
{
    private static readonly Lazy<CacheManager> s_shared = new(() => new CacheManager(new CacheManagerOptions(), null, null, MemoryMonitor.Shared, isShared: true));

    private readonly ConcurrentDictionary<string, LruCache<object, object?>> _caches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ICacheStatistics> _registered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NamedCacheOptions> _configured;
    private readonly Lock _gate = new();
    private readonly CacheMetrics _metrics;
    private readonly bool _ownsMetrics;
    private readonly MemoryMonitor? _memoryMonitor;
    private readonly bool _isShared;
    private NamedCacheOptions _defaultCache;
    private double _trimFraction;
    private bool _trimOnPressure;
    private TimeProvider _timeProvider;
    private bool _disposed;

    /// <summary>Creates a manager with the seed's named caches, the system clock and no memory-pressure subscription.</summary>
    public CacheManager()
        : this(new CacheManagerOptions())
    {
    }

    /// <summary>Creates a manager.</summary>
    /// <param name="options">The named caches and pressure settings.</param>
    /// <param name="timeProvider">The time source for the caches; <see langword="null"/> means <see cref="TimeProvider.System"/>.</param>
    /// <param name="meterFactory">Creates the <c>GopiAI.Toolkit.Caching</c> meter; <see langword="null"/> uses a static meter.</param>
    /// <param name="memoryMonitor">The monitor whose pressure signal trims the caches; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A named cache has an empty name or invalid settings, or <c>PressureTrimFraction</c> is outside [0, 1].</exception>
    public CacheManager(CacheManagerOptions options, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null, MemoryMonitor? memoryMonitor = null)
        : this(options, timeProvider, meterFactory, memoryMonitor, isShared: false)
    {
    }

    private CacheManager(CacheManagerOptions options, TimeProvider? timeProvider, IMeterFactory? meterFactory, MemoryMonitor? memoryMonitor, bool isShared)
    {
        Throw.IfNull(options);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _configured = new Dictionary<string, NamedCacheOptions>(StringComparer.Ordinal);
        _defaultCache = options.DefaultCache;
        ApplyOptions(options);
        _isShared = isShared;
        if (meterFactory is not null)
        {
            _metrics = new CacheMetrics(meterFactory.Create(CacheMetrics.MeterName, ToolkitInfo.Version), ownsMeter: false);
            _ownsMetrics = true;
        }
        else
        {
            _metrics = CacheMetrics.Default;
        }

        _memoryMonitor = memoryMonitor;
        if (memoryMonitor is not null)
        {
            memoryMonitor.MemoryPressure += OnMemoryPressure;
        }
    }

    /// <summary>Gets the process-wide manager used by generated <c>[Cached]</c> code (subscribed to <see cref="MemoryMonitor.Shared"/>).</summary>
    public static CacheManager Shared => s_shared.Value;

    /// <summary>
    /// Gets or sets the time source for caches created from now on (named caches and caches created by generated code).
    /// Tests swap in a <c>FakeTimeProvider</c>; existing caches keep the source they were created with.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public TimeProvider TimeProvider
    {
        get => Volatile.Read(ref _timeProvider);
        set => Volatile.Write(ref _timeProvider, Throw.IfNull(value));
    }

    /// <summary>Gets a value indicating whether a distributed layer (L2 and invalidation bus) is bound through <see cref="UseDistributed"/>.</summary>
    public bool IsDistributed => Distribution.IsBound;

    /// <summary>Gets the health of the distributed layer: failures, outage state, retry period.</summary>
    public DistributedCacheHealth DistributedHealth => Distribution.Health;

    internal CacheDistribution Distribution { get; } = new();

    /// <summary>
    /// Binds the distributed layer: <c>[Cached(Distributed = true)]</c> caches of this manager (generated code uses
    /// <see cref="Shared"/>) read and write <paramref name="l2"/> behind their in-process layer, and their invalidations travel
    /// on <paramref name="bus"/>. <c>IServiceProvider.UseGopiToolkit()</c> calls this with the container's services. Binding again
    /// replaces the earlier binding.
    /// </summary>
    /// <param name="l2">The <see cref="HybridCache"/> over the distributed cache (its local cache is bypassed: the manager's caches are the L1).</param>
    /// <param name="bus">Carries invalidations to the other instances; <see langword="null"/> when there are none to tell.</param>
    /// <param name="options">Default L2 expiry and the sensitive-value key; <see langword="null"/> for defaults.</param>
    /// <param name="health">Counts L2 failures (shared with the Redis layer's own checks); <see langword="null"/> keeps the manager's.</param>
    /// <param name="logger">Logs the binding and outages; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="l2"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The sensitive-value key is not 32 bytes.</exception>
    public void UseDistributed(HybridCache l2, ICacheInvalidationBus? bus = null, DistributedCachingOptions? options = null, DistributedCacheHealth? health = null, ILogger? logger = null)
    {
        Throw.IfNull(l2);
        Distribution.Bind(l2, bus, health, options ?? new DistributedCachingOptions(), logger);
    }

    /// <summary>
    /// Creates the two-level cache of one <c>[Cached(Distributed = true)]</c> method and reports it in <see cref="GetStats"/>
    /// (called by generated code). It uses the distributed layer bound now or later; unbound, it caches in process only.
    /// </summary>
    /// <typeparam name="TKey">The key struct.</typeparam>
    /// <typeparam name="TValue">The value type.</typeparam>
    /// <param name="options">The settings.</param>
    /// <returns>The cache.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or one of its required members is <see langword="null"/>.</exception>
    public TieredCache<TKey, TValue> CreateTieredCache<TKey, TValue>(TieredCacheOptions<TKey, TValue> options)
        where TKey : notnull
    {
        Throw.IfNull(options);
        var cache = Distribution.Create(this, options);
        Register(cache.Name, cache);
        return cache;
    }

    /// <summary>
    /// Removes every entry carrying <paramref name="tag"/> from the distributed caches: here at once, in the L2, and (by a
    /// published message) in every other instance. Failures of the L2 or the bus are counted, not thrown.
    /// </summary>
    /// <param name="tag">The tag, e.g. <c>user:42</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the L2 and the bus have been told.</returns>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is null, empty or white space.</exception>
    public ValueTask InvalidateTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(tag);
        return Distribution.InvalidateTagAsync(tag, cancellationToken);
    }

    /// <summary>Gets the names of the caches this manager owns (created so far).</summary>
    public IReadOnlyCollection<string> CacheNames => [.. _caches.Keys];

    /// <summary>Returns the value cached under <paramref name="key"/> in <paramref name="cacheName"/>, or <see langword="default"/> when absent, expired or not a <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected value type.</typeparam>
    /// <param name="cacheName">The cache name; created with its configured (or default) settings if new.</param>
    /// <param name="key">The key.</param>
    /// <returns>The cached value or <see langword="default"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="cacheName"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public T? Get<T>(string cacheName, object key)
    {
        Throw.IfNull(key);
        return GetCache(cacheName).TryGet(key, out var value) && value is T typed ? typed : default;
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> in <paramref name="cacheName"/>.</summary>
    /// <param name="cacheName">The cache name; created with its configured (or default) settings if new.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value; <see langword="null"/> removes the key.</param>
    /// <param name="ttl">The time to live; <see langword="null"/> uses the cache's default.</param>
    /// <exception cref="ArgumentException"><paramref name="cacheName"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is zero or negative.</exception>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public void Set(string cacheName, object key, object? value, TimeSpan? ttl = null)
    {
        Throw.IfNull(key);
        GetCache(cacheName).Set(key, value, ttl);
    }

    /// <summary>
    /// Returns the value cached under <paramref name="key"/> in <paramref name="cacheName"/>, or runs <paramref name="factory"/>
    /// once (concurrent callers share it) and caches its result. For a cache configured <see cref="NamedCacheOptions.Distributed"/>
    /// the value is also read from and written to the bound L2 (Redis) as JSON through <paramref name="typeInfo"/>
    /// (source-generated metadata: no reflection), so that every instance shares it.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="cacheName">The cache name (e.g. <see cref="CacheManagerOptions.ApiResponses"/>).</param>
    /// <param name="key">The key; distributed keys are <c>gopi:{cacheName}:{key}</c>.</param>
    /// <param name="factory">Produces the value; its exceptions propagate and nothing is cached.</param>
    /// <param name="typeInfo">The JSON metadata of <typeparamref name="T"/> (from a <c>JsonSerializerContext</c>).</param>
    /// <param name="cancellationToken">Cancels this caller's wait.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException"><paramref name="cacheName"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="key"/>, <paramref name="factory"/> or <paramref name="typeInfo"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<T> GetOrCreateAsync<T>(string cacheName, string key, Func<CancellationToken, ValueTask<T>> factory, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(cacheName);
        Throw.IfNull(key);
        Throw.IfNull(factory);
        Throw.IfNull(typeInfo);
        NamedCacheOptions? settings;
        lock (_gate)
        {
            settings = _configured.GetValueOrDefault(cacheName);
        }

        if (settings is not { Distributed: true })
        {
            var value = await GetCache(cacheName).GetOrAddAsync((object)key, static async (_, f, ct) => (object?)await f(ct).ConfigureAwait(false), factory, cancellationToken).ConfigureAwait(false);
            return value is T typed ? typed : default!;
        }

        var cache = Distribution.Create(
            this,
            new TieredCacheOptions<string, T>
            {
                Name = cacheName,
                DistributedKey = k => CacheKeys.Prefix + cacheName + ":" + CacheKeys.Escape(k),
                TypeInfo = typeInfo,
                MaxSize = settings.MaxSize,
                Ttl = settings.DefaultTtl,
                Sensitive = settings.Sensitive,
            },
            registryKey: cacheName + "|" + typeof(T).FullName);
        return await cache.GetOrCreateAsync(key, factory, static (_, f, ct) => f(ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Like <see cref="Invalidate"/>, and for a distributed named cache awaits the L2 removal and the message that makes
    /// every other instance drop its copy (failures are counted, not thrown).
    /// </summary>
    /// <param name="cacheName">The cache name.</param>
    /// <param name="key">The key, or <see langword="null"/> for all keys.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the L2 and the bus have been told.</returns>
    /// <exception cref="ArgumentException"><paramref name="cacheName"/> is null, empty or white space.</exception>
    public async ValueTask InvalidateAsync(string cacheName, string? key = null, CancellationToken cancellationToken = default)
    {
        InvalidateCore(cacheName, key, publish: false);
        if (IsConfiguredDistributed(cacheName))
        {
            var named = new NamedTier(cacheName);
            if (key is null)
            {
                await Distribution.RemoveAllAsync(named, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Distribution.RemoveAsync(named, CacheKeys.Prefix + cacheName + ":" + CacheKeys.Escape(key), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Removes <paramref name="key"/> from <paramref name="cacheName"/>, or clears the whole cache when <paramref name="key"/> is
    /// <see langword="null"/>. For a distributed named cache the L2 entry and the other instances' copies are removed in the
    /// background (<see cref="InvalidateAsync"/> awaits them).
    /// </summary>
    /// <param name="cacheName">The cache name.</param>
    /// <param name="key">The key, or <see langword="null"/> for all keys.</param>
    /// <exception cref="ArgumentException"><paramref name="cacheName"/> is null, empty or white space.</exception>
    public void Invalidate(string cacheName, object? key = null)
    {
        InvalidateCore(cacheName, key, publish: true);
    }

    private bool IsConfiguredDistributed(string cacheName)
    {
        lock (_gate)
        {
            return _configured.GetValueOrDefault(cacheName) is { Distributed: true };
        }
    }

    private void InvalidateCore(string cacheName, object? key, bool publish)
    {
        Throw.IfNullOrWhiteSpace(cacheName);
        if (IsConfiguredDistributed(cacheName))
        {
            foreach (var tier in Distribution.Named(cacheName))
            {
                if (key is null)
                {
                    tier.ClearLocal();
                }
                else if (key is string text)
                {
                    tier.DropLocal(CacheKeys.Prefix + cacheName + ":" + CacheKeys.Escape(text));
                }
            }

            if (publish)
            {
                _ = InvalidateAsync(cacheName, key as string).AsTask();
            }
        }

        if (!_caches.TryGetValue(cacheName, out var cache))
        {
            return;
        }

        if (key is null)
        {
            cache.Clear();
        }
        else
        {
            cache.Invalidate(key);
        }
    }

    /// <summary>Returns the named cache, creating it with its configured settings (or <see cref="CacheManagerOptions.DefaultCache"/>) on first use.</summary>
    /// <param name="cacheName">The cache name.</param>
    /// <returns>The cache; the same instance for the same name.</returns>
    /// <exception cref="ArgumentException"><paramref name="cacheName"/> is null, empty or white space.</exception>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    public LruCache<object, object?> GetCache(string cacheName)
    {
        if (cacheName is not null && _caches.TryGetValue(cacheName, out var cache))
        {
            return cache;
        }

        Throw.IfNullOrWhiteSpace(cacheName);
        lock (_gate)
        {
            Throw.IfDisposed(_disposed, this);
            if (!_caches.TryGetValue(cacheName, out cache))
            {
                var settings = _configured.GetValueOrDefault(cacheName) ?? _defaultCache;
                cache = new LruCache<object, object?>(settings.ToLruCacheOptions(cacheName, TimeProvider), null, null, _metrics);
                _caches[cacheName] = cache;
            }

            return cache;
        }
    }

    /// <summary>
    /// (Re)configures the named cache. An existing cache of that name is disposed and replaced (its entries are dropped),
    /// so call this at startup.
    /// </summary>
    /// <param name="cacheName">The cache name.</param>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException"><paramref name="cacheName"/> is null, empty or white space, or <paramref name="options"/> is invalid.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public void ConfigureCache(string cacheName, NamedCacheOptions options)
    {
        Throw.IfNullOrWhiteSpace(cacheName);
        Throw.IfNull(options);
        options.ToLruCacheOptions(cacheName, TimeProvider).Validate(hasTypedSizer: false);
        lock (_gate)
        {
            _configured[cacheName] = options;
            if (_caches.TryRemove(cacheName, out var old))
            {
                old.Dispose();
            }
        }
    }

    /// <summary>Disposes and forgets the named cache and its configuration (a later request for the name creates a cache with the default settings).</summary>
    /// <param name="cacheName">The cache name.</param>
    /// <returns><see langword="true"/> when a cache or a configuration was removed.</returns>
    /// <exception cref="ArgumentException"><paramref name="cacheName"/> is null, empty or white space.</exception>
    public bool RemoveCache(string cacheName)
    {
        Throw.IfNullOrWhiteSpace(cacheName);
        lock (_gate)
        {
            var configured = _configured.Remove(cacheName);
            if (_caches.TryRemove(cacheName, out var cache))
            {
                cache.Dispose();
                return true;
            }

            return configured;
        }
    }

    /// <summary>
    /// Applies <paramref name="options"/>: every cache in <see cref="CacheManagerOptions.Caches"/> is (re)configured through
    /// <see cref="ConfigureCache"/>, and the default and pressure settings are replaced.
    /// </summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A cache name or setting is invalid.</exception>
    public void Configure(CacheManagerOptions options)
    {
        Throw.IfNull(options);
        ApplyOptions(options);
    }

    /// <summary>
    /// Makes <paramref name="source"/> appear in <see cref="GetStats"/> under <paramref name="name"/> (generated <c>[Cached]</c>
    /// caches register themselves here). Registering the same name again replaces the earlier source, so repeated
    /// registration does not leak. Sources that implement <see cref="ITrimmableCache"/> are trimmed under memory pressure.
    /// </summary>
    /// <param name="name">The name to report the statistics under.</param>
    /// <param name="source">The statistics source.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    public void Register(string name, ICacheStatistics source)
    {
        Throw.IfNullOrWhiteSpace(name);
        Throw.IfNull(source);
        _registered[name] = source;
    }

    /// <summary>Removes a source added with <see cref="Register"/>.</summary>
    /// <param name="name">The registered name.</param>
    /// <returns><see langword="true"/> when a source was removed.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public bool Unregister(string name)
    {
        Throw.IfNullOrWhiteSpace(name);
        return _registered.TryRemove(name, out _);
    }

    /// <summary>
    /// Returns statistics for every configured named cache (empty counters until its first use), every owned cache and every
    /// registered source, by name (a registered source wins over an owned cache of the same name).
    /// </summary>
    /// <returns>A snapshot dictionary.</returns>
    public IReadOnlyDictionary<string, CacheStats> GetStats()
    {
        var result = new Dictionary<string, CacheStats>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var pair in _configured)
            {
                result[pair.Key] = CacheStats.Empty(pair.Key, pair.Value.MaxSize);
            }
        }

        foreach (var pair in _caches)
        {
            result[pair.Key] = pair.Value.GetStats();
        }

        foreach (var pair in _registered)
        {
            result[pair.Key] = pair.Value.GetStats() with { Name = pair.Key };
        }

        return result;
    }

    /// <summary>Trims every owned cache and every registered <see cref="ITrimmableCache"/> by <paramref name="fraction"/> (expired entries first).</summary>
    /// <param name="fraction">The share of entries to drop, in [0, 1].</param>
    /// <returns>The number of entries removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is outside [0, 1].</exception>
    public int TrimAll(double fraction)
    {
        Throw.IfOutOfRange(fraction, 0, 1);
        var removed = 0;
        foreach (var pair in _caches)
        {
            removed += pair.Value.Trim(fraction);
        }

        foreach (var pair in _registered)
        {
            if (pair.Value is ITrimmableCache trimmable)
            {
                removed += trimmable.Trim(fraction);
            }
        }

        return removed;
    }

    /// <summary>Disposes every owned cache (disposing values where configured), unsubscribes from the memory monitor and releases the meter. Ignored on <see cref="Shared"/>.</summary>
    public void Dispose()
    {
        if (_isShared)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        if (_memoryMonitor is not null)
        {
            _memoryMonitor.MemoryPressure -= OnMemoryPressure;
        }

        foreach (var pair in _caches)
        {
            pair.Value.Dispose();
        }

        _caches.Clear();
        _registered.Clear();
        Distribution.Dispose();
        lock (_gate)
        {
            _configured.Clear();
        }
        if (_ownsMetrics)
        {
            _metrics.Dispose();
        }
    }

    /// <summary>Stands for a distributed named cache when its invalidations are sent (the name is all the bus needs).</summary>
    private sealed class NamedTier(string name) : ITieredCache
    {
        public string Name { get; } = name;

        public bool Sensitive => false;

        public void DropLocal(string distributedKey)
        {
        }

        public void DropTagLocal(string tag)
        {
        }

        public void ClearLocal()
        {
        }
    }

    private void ApplyOptions(CacheManagerOptions options)
    {
        var fraction = Throw.IfOutOfRange(options.PressureTrimFraction, 0, 1, nameof(options.PressureTrimFraction));
        Throw.IfNull(options.DefaultCache, nameof(options.DefaultCache)).ToLruCacheOptions("default", TimeProvider).Validate(hasTypedSizer: false);
        foreach (var pair in options.Caches)
        {
            ConfigureCache(pair.Key, pair.Value);
        }

        lock (_gate)
        {
            _defaultCache = options.DefaultCache;
            _trimFraction = fraction;
            _trimOnPressure = options.TrimOnMemoryPressure;
        }
    }

    private void OnMemoryPressure(object? sender, MemoryPressureEventArgs e)
    {
        if (!_trimOnPressure || _disposed)
        {
            return;
        }

        var fraction = e.Level switch
        {
            MemoryPressureLevel.Critical => 1.0,
            MemoryPressureLevel.High => Math.Min(1.0, _trimFraction * 2),
            MemoryPressureLevel.Moderate => _trimFraction,
            _ => 0.0,
        };
        TrimAll(fraction);
    }
}
