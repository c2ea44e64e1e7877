namespace GopiAI.Toolkit.RateLimiting;

/// <summary>The named limiter presets of a <see cref="RateLimiterRegistry"/> (<c>GopiToolkitOptions.RateLimiting</c>). Bindable from configuration.</summary>
public sealed class RateLimitingOptions
{
    /// <summary>The preset meant for memory search: a token bucket of 100, refilled with 50 per second, no queue.</summary>
    public const string MemorySearch = "memory-search";

    /// <summary>The preset meant for <c>[Monitored]</c> endpoints: at most 64 calls at once, 128 more may wait.</summary>
    public const string Endpoints = "endpoints";

    /// <summary>
    /// Gets the presets by limiter name, pre-filled with <see cref="MemorySearch"/> and <see cref="Endpoints"/> (starting points:
    /// size them from your own load). Add or change entries to configure more; a name becomes the <c>limiter</c> metric tag,
    /// so use a small fixed set.
    /// </summary>
    public IDictionary<string, RateLimitPolicy> Policies { get; } = new Dictionary<string, RateLimitPolicy>(StringComparer.Ordinal)
    {
        [MemorySearch] = RateLimitPolicy.TokenBucket(permitsPerSecond: 50, burst: 100),
        [Endpoints] = RateLimitPolicy.Concurrency(permitLimit: 64, queueLimit: 128),
    };
}
