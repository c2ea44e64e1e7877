using System.Threading.RateLimiting;

namespace GopiAI.Toolkit.RateLimiting;

/// <summary>
/// Puts a <see cref="System.Threading.RateLimiting.RateLimiter"/> in front of any operation — a memory search, a
/// <c>[Monitored]</c> endpoint, a call to a model — without that operation's package knowing about it. A call that gets no
/// permit (and finds no room in the queue) fails fast with <see cref="RateLimitRejectedException"/>, which names the limiter
/// and the retry-after; every decision is counted in <c>gopi.rate_limit.requests</c> (meter <c>GopiAI.Toolkit.RateLimiting</c>,
/// tags <c>limiter</c> and <c>result</c>).
/// </summary>
/// <example>
/// <code>
/// var search = services.GetRequiredService&lt;RateLimiterRegistry&gt;().Get(RateLimitingOptions.MemorySearch);
/// var results = await search.ExecuteAsync(ct => memory.SearchMemoryAsync(query, 5, cancellationToken: ct), cancellationToken);
/// </code>
/// </example>
public sealed class RateLimitedOperation : IDisposable, IAsyncDisposable
{
    private readonly string? _policy;
    private readonly bool _ownsLimiter;
    private readonly RateLimitingMetrics _metrics;

    /// <summary>Wraps a limiter the caller owns (and disposes); decisions are counted on the process-wide meter.</summary>
    /// <param name="name">The limiter name: it appears in exceptions and as the <c>limiter</c> metric tag.</param>
    /// <param name="limiter">The limiter.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="limiter"/> is <see langword="null"/>.</exception>
    public RateLimitedOperation(string name, RateLimiter limiter)
        : this(name, limiter, policy: null, ownsLimiter: false, RateLimitingMetrics.Default)
    {
    }

    internal RateLimitedOperation(string name, RateLimiter limiter, string? policy, bool ownsLimiter, RateLimitingMetrics metrics)
    {
        Name = Throw.IfNullOrWhiteSpace(name);
        Limiter = Throw.IfNull(limiter);
        _policy = policy;
        _ownsLimiter = ownsLimiter;
        _metrics = metrics;
    }

    /// <summary>Gets the limiter name.</summary>
    public string Name { get; }

    /// <summary>Gets the limiter.</summary>
    public RateLimiter Limiter { get; }

    /// <summary>Waits for a permit (only when the policy has a queue) and returns it; dispose it when the work is done.</summary>
    /// <param name="cancellationToken">Stops waiting in the queue.</param>
    /// <returns>The acquired lease.</returns>
    /// <exception cref="RateLimitRejectedException">No permit was available and the queue was full.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    /// <exception cref="ObjectDisposedException">The limiter was disposed.</exception>
    public async ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        RateLimitLease lease;
        try
        {
            lease = await Limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _metrics.Record(Name, RateLimitingMetrics.Canceled);
            throw;
        }

        return Admit(lease);
    }

    /// <summary>Takes a permit if one is available now, without waiting; dispose it when the work is done.</summary>
    /// <returns>The acquired lease.</returns>
    /// <exception cref="RateLimitRejectedException">No permit was available.</exception>
    /// <exception cref="ObjectDisposedException">The limiter was disposed.</exception>
    public RateLimitLease Acquire() => Admit(Limiter.AttemptAcquire(1));

    /// <summary>Runs <paramref name="operation"/> under a permit.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The work; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels waiting and the work.</param>
    /// <returns>The result of <paramref name="operation"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is <see langword="null"/>.</exception>
    /// <exception cref="RateLimitRejectedException">The limiter rejected the call; <paramref name="operation"/> did not run.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(operation);
        using var lease = await AcquireAsync(cancellationToken).ConfigureAwait(false);
        return await operation(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="operation"/> under a permit, passing <paramref name="state"/> (no closure needed).</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="state">Passed to <paramref name="operation"/>.</param>
    /// <param name="operation">The work.</param>
    /// <param name="cancellationToken">Cancels waiting and the work.</param>
    /// <returns>The result of <paramref name="operation"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is <see langword="null"/>.</exception>
    /// <exception cref="RateLimitRejectedException">The limiter rejected the call; <paramref name="operation"/> did not run.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<T> ExecuteAsync<TState, T>(TState state, Func<TState, CancellationToken, Task<T>> operation, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(operation);
        using var lease = await AcquireAsync(cancellationToken).ConfigureAwait(false);
        return await operation(state, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="operation"/> under a permit.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The work; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels waiting and the work.</param>
    /// <returns>The result of <paramref name="operation"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is <see langword="null"/>.</exception>
    /// <exception cref="RateLimitRejectedException">The limiter rejected the call; <paramref name="operation"/> did not run.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(operation);
        using var lease = await AcquireAsync(cancellationToken).ConfigureAwait(false);
        return await operation(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="operation"/> under a permit.</summary>
    /// <param name="operation">The work; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels waiting and the work.</param>
    /// <returns>A task that completes with <paramref name="operation"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is <see langword="null"/>.</exception>
    /// <exception cref="RateLimitRejectedException">The limiter rejected the call; <paramref name="operation"/> did not run.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task ExecuteAsync(Func<CancellationToken, Task> operation, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(operation);
        using var lease = await AcquireAsync(cancellationToken).ConfigureAwait(false);
        await operation(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="operation"/> synchronously under a permit taken without waiting.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The work.</param>
    /// <returns>The result of <paramref name="operation"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is <see langword="null"/>.</exception>
    /// <exception cref="RateLimitRejectedException">No permit was available; <paramref name="operation"/> did not run.</exception>
    public T Execute<T>(Func<T> operation)
    {
        Throw.IfNull(operation);
        using var lease = Acquire();
        return operation();
    }

    /// <summary>Returns the limiter's current figures.</summary>
    /// <returns>The snapshot (all zero when the limiter keeps no statistics).</returns>
    public RateLimitStats GetStats()
    {
        var stats = Limiter.GetStatistics();
        return new RateLimitStats(
            Name,
            _policy ?? Limiter.GetType().Name,
            stats?.CurrentAvailablePermits ?? 0,
            stats?.CurrentQueuedCount ?? 0,
            stats?.TotalSuccessfulLeases ?? 0,
            stats?.TotalFailedLeases ?? 0);
    }

    /// <summary>Disposes the limiter if this operation created it (through <see cref="RateLimiterRegistry"/>); a limiter passed in stays the caller's.</summary>
    public void Dispose()
    {
        if (_ownsLimiter)
        {
            Limiter.Dispose();
        }
    }

    /// <inheritdoc cref="Dispose"/>
    /// <returns>A task that completes when the limiter is disposed.</returns>
    public ValueTask DisposeAsync() => _ownsLimiter ? Limiter.DisposeAsync() : ValueTask.CompletedTask;

    private RateLimitLease Admit(RateLimitLease lease)
    {
        if (lease.IsAcquired)
        {
            _metrics.Record(Name, RateLimitingMetrics.Acquired);
            return lease;
        }

        TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;
        lease.Dispose();
        _metrics.Record(Name, RateLimitingMetrics.Rejected);
        throw new RateLimitRejectedException(Name, retryAfter, _policy);
    }
}
