namespace GopiAI.Toolkit.Caching;

/// <summary>What a <see cref="CacheInvalidation"/> removes.</summary>
public enum CacheInvalidationKind
{
    /// <summary>One entry: <see cref="CacheInvalidation.Key"/> in the cache <see cref="CacheInvalidation.Target"/>.</summary>
    Key,

    /// <summary>Every entry of the cache <see cref="CacheInvalidation.Target"/> (<c>InvalidateAll{Method}()</c>).</summary>
    Cache,

    /// <summary>Every entry carrying the tag <see cref="CacheInvalidation.Target"/>, in every distributed cache.</summary>
    Tag,
}

/// <summary>
/// One invalidation travelling between instances on an <see cref="ICacheInvalidationBus"/>: every instance that receives it
/// drops its in-process (L1) copy of what it names. The L2 copy has already been removed by the instance that sent it.
/// </summary>
/// <param name="Kind">What is removed.</param>
/// <param name="Target">The cache name (for <see cref="CacheInvalidationKind.Key"/> and <see cref="CacheInvalidationKind.Cache"/>) or the tag.</param>
/// <param name="Key">The entry's distributed key (the full key string, see docs/distributed-caching.md) for <see cref="CacheInvalidationKind.Key"/>; otherwise <see langword="null"/>.</param>
public readonly record struct CacheInvalidation(CacheInvalidationKind Kind, string Target, string? Key = null);

/// <summary>Receives the invalidations an <see cref="ICacheInvalidationBus"/> delivers.</summary>
public interface ICacheInvalidationListener
{
    /// <summary>Called for each invalidation published by another instance. Must not throw and must return quickly.</summary>
    /// <param name="invalidation">The invalidation.</param>
    void OnInvalidation(CacheInvalidation invalidation);

    /// <summary>
    /// Called when the bus may have missed messages (its connection was lost and is back): the listener drops everything
    /// it cannot prove is still current.
    /// </summary>
    void OnMessagesMayBeLost();
}

/// <summary>
/// Carries cache invalidations between the instances of an application (GopiAI.Toolkit.Redis implements it on Redis
/// pub/sub). Delivery is at most once: a listener is told through <see cref="ICacheInvalidationListener.OnMessagesMayBeLost"/>
/// when messages may have been lost.
/// </summary>
public interface ICacheInvalidationBus
{
    /// <summary>Sends <paramref name="invalidation"/> to every other instance.</summary>
    /// <param name="invalidation">The invalidation.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message is handed to the transport.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Transport failures are reported by throwing; callers in the toolkit catch and count them.</remarks>
    ValueTask PublishAsync(CacheInvalidation invalidation, CancellationToken cancellationToken = default);

    /// <summary>Starts delivering invalidations from other instances to <paramref name="listener"/>.</summary>
    /// <param name="listener">The listener.</param>
    /// <returns>Disposing it stops the delivery.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="listener"/> is <see langword="null"/>.</exception>
    IDisposable Subscribe(ICacheInvalidationListener listener);
}
