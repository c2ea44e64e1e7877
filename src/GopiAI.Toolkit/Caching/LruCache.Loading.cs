using System.Diagnostics.CodeAnalysis;

namespace GopiAI.Toolkit.Caching;

// Loading: GetOrAdd/GetOrAddAsync and their stampede protection: concurrent misses for one key run the factory once and
// share its result, through the SingleFlight<TKey, TValue> the startup optimizer's lazy components use too.
public sealed partial class LruCache<TKey, TValue>
{
    private readonly SingleFlight<TKey, TValue> _loads;

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

    private bool TryGetQuiet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (Find(key) is { } node && IsLive(node))
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
        return _loads.Run(key, static (k, s) => s.cache.LoadAndStore(k, s.factory, s.argument, s.expiresIn), (cache: this, factory, argument, expiresIn));
    }

    private ValueTask<TValue> GetOrAddAsyncSlow<TArg>(TKey key, Func<TKey, TArg, CancellationToken, ValueTask<TValue>> factory, TArg argument, long expiresIn, CancellationToken cancellationToken)
    {
        Throw.IfDisposed(_disposed, this);
        return _loads.RunAsync(key, static (k, s, ct) => s.cache.LoadAndStoreAsync(k, s.factory, s.argument, s.expiresIn, ct), (cache: this, factory, argument, expiresIn), cancellationToken);
    }

    // Runs inside the single flight: another caller may have stored the value between our miss and our turn.
    private TValue LoadAndStore<TArg>(TKey key, Func<TKey, TArg, TValue> factory, TArg argument, long expiresIn)
    {
        if (TryGetQuiet(key, out var cached))
        {
            return cached;
        }

        var value = factory(key, argument);
        StoreLoaded(key, value, expiresIn);
        return value;
    }

    private async ValueTask<TValue> LoadAndStoreAsync<TArg>(TKey key, Func<TKey, TArg, CancellationToken, ValueTask<TValue>> factory, TArg argument, long expiresIn, CancellationToken cancellationToken)
    {
        if (TryGetQuiet(key, out var cached))
        {
            return cached;
        }

        var value = await factory(key, argument, cancellationToken).ConfigureAwait(false);
        StoreLoaded(key, value, expiresIn);
        return value;
    }

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
}
