using System.Globalization;

namespace GopiAI.Toolkit.RateLimiting;

/// <summary>
/// Thrown by <see cref="RateLimitedOperation"/> when its limiter rejects a call (no permit and no room in the queue). It names
/// the limiter and, when the limiter knows it (token buckets do), how long to wait before trying again — e.g. for an HTTP
/// <c>429 Too Many Requests</c> with a <c>Retry-After</c> header. Every rejection is also counted in the
/// <c>gopi.rate_limit.requests</c> counter (meter <c>GopiAI.Toolkit.RateLimiting</c>, <c>result</c> = <c>rejected</c>).
/// </summary>
public sealed class RateLimitRejectedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="RateLimitRejectedException"/> class.</summary>
    public RateLimitRejectedException()
        : this("unknown", retryAfter: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RateLimitRejectedException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public RateLimitRejectedException(string message)
        : base(message)
    {
        LimiterName = "unknown";
    }

    /// <summary>Initializes a new instance of the <see cref="RateLimitRejectedException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RateLimitRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        LimiterName = "unknown";
    }

    /// <summary>Initializes a new instance of the <see cref="RateLimitRejectedException"/> class for a rejection by <paramref name="limiterName"/>.</summary>
    /// <param name="limiterName">The limiter that rejected the call.</param>
    /// <param name="retryAfter">When to try again, if the limiter knows.</param>
    /// <param name="policy">The limiter's settings in words, if known (goes into the message).</param>
    public RateLimitRejectedException(string limiterName, TimeSpan? retryAfter, string? policy = null)
        : base(Describe(limiterName, retryAfter, policy))
    {
        LimiterName = limiterName;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the name of the limiter that rejected the call.</summary>
    public string LimiterName { get; }

    /// <summary>Gets how long to wait before trying again, when the limiter can tell (token buckets); <see langword="null"/> for concurrency limits (retry when a running call ends).</summary>
    public TimeSpan? RetryAfter { get; }

    private static string Describe(string limiterName, TimeSpan? retryAfter, string? policy) => string.Create(
        CultureInfo.InvariantCulture,
        $"The rate limiter '{limiterName}' rejected the call{(policy is null ? string.Empty : $" ({policy})")}; {(retryAfter is { } wait ? $"retry after {wait.TotalSeconds:0.###} s" : "retry when a running call has finished")}.");
}
