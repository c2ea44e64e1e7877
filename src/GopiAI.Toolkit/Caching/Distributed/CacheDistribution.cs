using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// The distributed side of a <see cref="CacheManager"/>: the bound <see cref="HybridCache"/> (L2) and invalidation bus, the
/// tiered caches that invalidations are delivered to, and the health of the L2. Unbound, every tiered cache is L1 only.
/// </summary>
internal sealed partial class CacheDistribution : ICacheInvalidationListener, IDisposable
{
    private readonly ConcurrentDictionary<string, ITieredCache> _caches = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private volatile Binding? _binding;
    private IDisposable? _subscription;
    private int _unboundLogged;

    private DistributedCacheHealth? _health;
    private DistributedCacheHealth? _ownedHealth;

    public HybridCache? L2 => _binding?.L2;

    public SensitivePayloadProtector? Protector => _binding?.Protector;

    // Created on first use, so that a manager that never goes distributed publishes no L2 instruments.
    public DistributedCacheHealth Health
    {
        get
        {
            if (Volatile.Read(ref _health) is { } health)
            {
                return health;
            }

            var created = new DistributedCacheHealth();
            var existing = Interlocked.CompareExchange(ref _health, created, null);
            if (existing is not null)
            {
                created.Dispose();
                return existing;
            }

            _ownedHealth = created;
            return created;
        }
    }

    public bool IsBound => _binding is not null;

    public ILogger Logger => _binding?.Logger ?? NullLogger.Instance;

    public void Bind(HybridCache l2, ICacheInvalidationBus? bus, DistributedCacheHealth? health, DistributedCachingOptions options, ILogger? logger)
    {
        var binding = new Binding(
            l2,
            bus,
            options.SensitiveValueKey is { } key ? new SensitivePayloadProtector(key) : null,
            options.DefaultExpiration,
            logger ?? NullLogger.Instance);
        lock (_gate)
        {
            _subscription?.Dispose();
            if (health is not null)
            {
                Volatile.Write(ref _health, health);
            }
            _binding = binding;
            _subscription = bus?.Subscribe(this);
        }

        Log.Bound(binding.Logger, bus is not null, binding.Protector is not null);
        if (binding.Protector is null && _caches.Values.Any(static c => c.Sensitive))
        {
            Log.SensitiveWithoutKey(binding.Logger);
        }
    }

    public void Unbind()
    {
        lock (_gate)
        {
            _subscription?.Dispose();
            _subscription = null;
            _binding = null;
        }
    }

    public TieredCache<TKey, TValue> Create<TKey, TValue>(CacheManager manager, TieredCacheOptions<TKey, TValue> options, string? registryKey = null)
        where TKey : notnull
    {
        var name = registryKey ?? Throw.IfNullOrWhiteSpace(options.Name, nameof(options.Name));
        var existing = _caches.GetOrAdd(name, static (_, s) => new TieredCache<TKey, TValue>(s.manager, s.options), (manager, options));
        if (existing is not TieredCache<TKey, TValue> cache)
        {
            // Same name, other types: the type was loaded again (a reloaded plugin, a recompiled test assembly). The newest
            // wins; the old one keeps working in process but no longer receives invalidations.
            cache = new TieredCache<TKey, TValue>(manager, options);
            _caches[name] = cache;
        }

        if (_binding is null && Interlocked.Exchange(ref _unboundLogged, 1) == 0)
        {
            // No container to log through yet: the trace line is the one sign that UseGopiToolkit() was not called.
            System.Diagnostics.Trace.TraceInformation(
                $"GopiAI.Toolkit: {cache.Name} is [Cached(Distributed = true)] but no distributed cache is bound (call services.AddGopiRedis(...) and provider.UseGopiToolkit()); it caches in process only.");
        }

        return cache;
    }

    public HybridCacheEntryOptions EntryOptions(TimeSpan? ttl)
    {
        var binding = _binding;
        var expiration = ttl ?? binding?.DefaultExpiration ?? TimeSpan.FromHours(1);
        return new HybridCacheEntryOptions
        {
            Expiration = expiration,
            LocalCacheExpiration = expiration,
            Flags = HybridCacheEntryFlags.DisableLocalCache,
        };
    }

    public async ValueTask RemoveAsync(ITieredCache cache, string distributedKey, CancellationToken cancellationToken)
    {
        await RemoveL2Async(distributedKey, cancellationToken).ConfigureAwait(false);
        await PublishAsync(new CacheInvalidation(CacheInvalidationKind.Key, cache.Name, distributedKey), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RemoveAllAsync(ITieredCache cache, CancellationToken cancellationToken)
    {
        await RemoveTagL2Async(cache.Name, cancellationToken).ConfigureAwait(false);
        await PublishAsync(new CacheInvalidation(CacheInvalidationKind.Cache, cache.Name), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask InvalidateTagAsync(string tag, CancellationToken cancellationToken)
    {
        foreach (var cache in _caches.Values)
        {
            cache.DropTagLocal(tag);
        }

        await RemoveTagL2Async(tag, cancellationToken).ConfigureAwait(false);
        await PublishAsync(new CacheInvalidation(CacheInvalidationKind.Tag, tag), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RemoveL2Async(string distributedKey, CancellationToken cancellationToken = default)
    {
        if (_binding?.L2 is not { } l2)
        {
            return;
        }

        try
        {
            await l2.RemoveAsync(distributedKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Health.RecordFailure("remove", ex);
        }
    }

    public void OnInvalidation(CacheInvalidation invalidation)
    {
        switch (invalidation.Kind)
        {
            case CacheInvalidationKind.Key when invalidation.Key is not null:
                foreach (var cache in Named(invalidation.Target))
                {
                    cache.DropLocal(invalidation.Key);
                }

                break;
            case CacheInvalidationKind.Cache:
                // HybridCache keeps its own view of tag invalidation times and does not re-read the sender's from the L2:
                // tell the local one first, so that a read right after the L1 is dropped already sees the entries as gone
                // (its L2 record is rewritten, which at worst turns an entry written since the sender's call into a miss).
                _ = RemoveTagL2Async(invalidation.Target, CancellationToken.None).AsTask();
                foreach (var cache in Named(invalidation.Target))
                {
                    cache.ClearLocal();
                }

                break;
            case CacheInvalidationKind.Tag:
                _ = RemoveTagL2Async(invalidation.Target, CancellationToken.None).AsTask();
                foreach (var each in _caches.Values)
                {
                    each.DropTagLocal(invalidation.Target);
                }

                break;
        }
    }

    /// <summary>The tiered caches called <paramref name="name"/> (a distributed named cache has one per value type).</summary>
    public IEnumerable<ITieredCache> Named(string name) =>
        _caches.Values.Where(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    public void OnMessagesMayBeLost()
    {
        // Invalidations sent while we were disconnected are gone: nothing in L1 can be trusted, the L2 still can.
        foreach (var cache in _caches.Values)
        {
            cache.ClearLocal();
        }

        Log.MessagesMayBeLost(Logger, _caches.Count);
    }

    public void Dispose()
    {
        Unbind();
        _ownedHealth?.Dispose();
    }

    private async ValueTask RemoveTagL2Async(string tag, CancellationToken cancellationToken)
    {
        if (_binding?.L2 is not { } l2)
        {
            return;
        }

        try
        {
            await l2.RemoveByTagAsync(tag, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Health.RecordFailure("remove", ex);
        }
    }

    private async ValueTask PublishAsync(CacheInvalidation invalidation, CancellationToken cancellationToken)
    {
        if (_binding?.Bus is not { } bus)
        {
            return;
        }

        try
        {
            await bus.PublishAsync(invalidation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Health.RecordFailure("publish", ex);
        }
    }

    private sealed record Binding(HybridCache L2, ICacheInvalidationBus? Bus, SensitivePayloadProtector? Protector, TimeSpan DefaultExpiration, ILogger Logger);

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Information, "Distributed caching bound: [Cached(Distributed = true)] and distributed named caches use the L2 (invalidation bus: {HasBus}, sensitive values encrypted: {HasKey}).")]
        public static partial void Bound(ILogger logger, bool hasBus, bool hasKey);

        [LoggerMessage(11, LogLevel.Warning, "Sensitive caches are configured but no DistributedCachingOptions.SensitiveValueKey is set: their values stay in process (L1 only).")]
        public static partial void SensitiveWithoutKey(ILogger logger);

        [LoggerMessage(12, LogLevel.Information, "The invalidation bus reconnected and may have missed messages: cleared the in-process layer of {Count} distributed caches.")]
        public static partial void MessagesMayBeLost(ILogger logger, int count);
    }
}
