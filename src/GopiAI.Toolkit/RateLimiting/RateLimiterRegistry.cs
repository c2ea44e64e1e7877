using System.Diagnostics.Metrics;

namespace GopiAI.Toolkit.RateLimiting;

/// <summary>
/// The named rate limiters of an application, created on first use from <see cref="RateLimitingOptions.Policies"/> and owned
/// (disposed) by the registry. <c>AddGopiToolkit</c> registers one as a singleton; an app asks it for the
/// <see cref="RateLimitedOperation"/> to put in front of a memory search or a <c>[Monitored]</c> endpoint.
/// </summary>
public sealed class RateLimiterRegistry : IDisposable, IAsyncDisposable
{
    // One entry per configured name, fixed at construction: the limiters themselves are created on first use.
    private readonly Dictionary<string, Lazy<RateLimitedOperation>> _operations = new(StringComparer.Ordinal);
    private readonly RateLimitingMetrics _metrics;
    private volatile bool _disposed;

    /// <summary>Creates a registry with the presets of <paramref name="options"/>, validating every one of them now.</summary>
    /// <param name="options">The presets; copied, so later changes do not affect this registry.</param>
    /// <param name="meterFactory">Creates the <c>GopiAI.Toolkit.RateLimiting</c> meter; <see langword="null"/> uses a meter owned by this registry.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A preset is invalid; the exception names the preset and the setting.</exception>
    public RateLimiterRegistry(RateLimitingOptions options, IMeterFactory? meterFactory = null)
    {
        Throw.IfNull(options);
        _metrics = new RateLimitingMetrics(meterFactory);
        foreach (var (name, policy) in options.Policies)
        {
            Throw.IfNullOrWhiteSpace(name, "Policies");
            try
            {
                Throw.IfNull(policy, name).Validate();
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new ArgumentOutOfRangeException($"Policies[{name}].{ex.ParamName}", ex.ActualValue, $"Rate limit policy '{name}': {ex.Message}");
            }

            var copy = new RateLimitPolicy
            {
                Kind = policy.Kind,
                PermitLimit = policy.PermitLimit,
                TokensPerPeriod = policy.TokensPerPeriod,
                ReplenishmentPeriod = policy.ReplenishmentPeriod,
                QueueLimit = policy.QueueLimit,
            };
            _operations[name] = new Lazy<RateLimitedOperation>(() => new RateLimitedOperation(name, copy.CreateLimiter(), copy.ToString(), ownsLimiter: true, _metrics));
        }
    }

    /// <summary>Gets the names of the configured limiters.</summary>
    public IReadOnlyCollection<string> Names => _operations.Keys;

    /// <summary>Returns the operation guarded by the limiter <paramref name="name"/>, creating the limiter on first use.</summary>
    /// <param name="name">A name from <see cref="RateLimitingOptions.Policies"/>.</param>
    /// <returns>The operation (the same instance for the same name).</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not configured; the message lists the configured names.</exception>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public RateLimitedOperation Get(string name)
    {
        Throw.IfNullOrWhiteSpace(name);
        Throw.IfDisposed(_disposed, this);
        if (!_operations.TryGetValue(name, out var operation))
        {
            throw new ArgumentException($"No rate limit policy is named '{name}'; configured: {string.Join(", ", _operations.Keys.Order(StringComparer.Ordinal))}.", nameof(name));
        }

        return operation.Value;
    }

    /// <summary>Returns the figures of every limiter created so far.</summary>
    /// <returns>The snapshots by name.</returns>
    public IReadOnlyDictionary<string, RateLimitStats> GetStats() =>
        _operations.Where(p => p.Value.IsValueCreated).ToDictionary(p => p.Key, p => p.Value.Value.GetStats(), StringComparer.Ordinal);

    /// <summary>Disposes every limiter the registry created and its meter.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var operation in _operations.Values.Where(o => o.IsValueCreated))
        {
            operation.Value.Dispose();
        }

        _metrics.Dispose();
    }

    /// <inheritdoc cref="Dispose"/>
    /// <returns>A task that completes when everything is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var operation in _operations.Values.Where(o => o.IsValueCreated))
        {
            await operation.Value.DisposeAsync().ConfigureAwait(false);
        }

        _metrics.Dispose();
    }
}
