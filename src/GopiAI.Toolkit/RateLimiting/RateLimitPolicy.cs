using System.Globalization;
using System.Threading.RateLimiting;

namespace GopiAI.Toolkit.RateLimiting;

/// <summary>The algorithm of a <see cref="RateLimitPolicy"/>.</summary>
public enum RateLimitKind
{
    /// <summary>
    /// A token bucket (<see cref="TokenBucketRateLimiter"/>): <see cref="RateLimitPolicy.TokensPerPeriod"/> tokens are added every
    /// <see cref="RateLimitPolicy.ReplenishmentPeriod"/> up to <see cref="RateLimitPolicy.PermitLimit"/>; each call takes one.
    /// Bounds the request rate while allowing short bursts.
    /// </summary>
    TokenBucket,

    /// <summary>
    /// A concurrency limit (<see cref="ConcurrencyLimiter"/>): at most <see cref="RateLimitPolicy.PermitLimit"/> calls run at the
    /// same time. Bounds the work in flight (memory, threads, connections) whatever the rate.
    /// </summary>
    Concurrency,
}

/// <summary>
/// One named limiter preset in <see cref="RateLimitingOptions.Policies"/>: the settings of a
/// <see cref="System.Threading.RateLimiting"/> limiter. Bindable from configuration.
/// </summary>
public sealed class RateLimitPolicy
{
    /// <summary>Gets or sets the algorithm (default <see cref="RateLimitKind.TokenBucket"/>).</summary>
    public RateLimitKind Kind { get; set; } = RateLimitKind.TokenBucket;

    /// <summary>Gets or sets the bucket size (token bucket: the largest burst) or the calls allowed at once (concurrency). Default 100.</summary>
    public int PermitLimit { get; set; } = 100;

    /// <summary>Gets or sets the tokens added every <see cref="ReplenishmentPeriod"/> (token bucket only; default 50).</summary>
    public int TokensPerPeriod { get; set; } = 50;

    /// <summary>Gets or sets how often tokens are added (token bucket only; default 1 s).</summary>
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many calls may wait for a permit, oldest first, instead of being rejected at once (default 0).</summary>
    public int QueueLimit { get; set; }

    /// <summary>Creates a token-bucket policy: <paramref name="permitsPerSecond"/> on average, bursts up to <paramref name="burst"/>.</summary>
    /// <param name="permitsPerSecond">Tokens added per second.</param>
    /// <param name="burst">The bucket size; <see langword="null"/> means <paramref name="permitsPerSecond"/>.</param>
    /// <param name="queueLimit">Calls that may wait for a token (default 0: reject at once).</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the exception names it.</exception>
    public static RateLimitPolicy TokenBucket(int permitsPerSecond, int? burst = null, int queueLimit = 0)
    {
        Throw.IfNotPositive(permitsPerSecond);
        if (burst is { } b)
        {
            Throw.IfNotPositive(b, nameof(burst));
        }

        Throw.IfNegative(queueLimit);
        return new RateLimitPolicy
        {
            Kind = RateLimitKind.TokenBucket,
            PermitLimit = burst ?? permitsPerSecond,
            TokensPerPeriod = permitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = queueLimit,
        };
    }

    /// <summary>Creates a concurrency policy: at most <paramref name="permitLimit"/> calls at the same time.</summary>
    /// <param name="permitLimit">Concurrent calls allowed.</param>
    /// <param name="queueLimit">Calls that may wait (default 0: reject at once).</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the exception names it.</exception>
    public static RateLimitPolicy Concurrency(int permitLimit, int queueLimit = 0)
    {
        Throw.IfNotPositive(permitLimit);
        Throw.IfNegative(queueLimit);
        return new RateLimitPolicy { Kind = RateLimitKind.Concurrency, PermitLimit = permitLimit, QueueLimit = queueLimit };
    }

    /// <summary>Creates the limiter these settings describe. The caller owns and disposes it.</summary>
    /// <returns>A new <see cref="TokenBucketRateLimiter"/> or <see cref="ConcurrencyLimiter"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the exception names it.</exception>
    public RateLimiter CreateLimiter()
    {
        Validate();
        return Kind switch
        {
            RateLimitKind.Concurrency => new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = PermitLimit,
                QueueLimit = QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }),
            _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = PermitLimit,
                TokensPerPeriod = TokensPerPeriod,
                ReplenishmentPeriod = ReplenishmentPeriod,
                QueueLimit = QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            }),
        };
    }

    /// <summary>Describes the policy in words, for messages and reports.</summary>
    /// <returns>For example <c>token bucket of 100, 50 per 1 s, queue 0</c>.</returns>
    public override string ToString() => Kind == RateLimitKind.Concurrency
        ? string.Create(CultureInfo.InvariantCulture, $"at most {PermitLimit} at once, queue {QueueLimit}")
        : string.Create(CultureInfo.InvariantCulture, $"token bucket of {PermitLimit}, {TokensPerPeriod} per {ReplenishmentPeriod.TotalSeconds:0.###} s, queue {QueueLimit}");

    internal void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown rate limiter kind.");
        }

        Throw.IfNotPositive(PermitLimit, nameof(PermitLimit));
        Throw.IfNegative(QueueLimit, nameof(QueueLimit));
        if (Kind == RateLimitKind.TokenBucket)
        {
            Throw.IfNotPositive(TokensPerPeriod, nameof(TokensPerPeriod));
            Throw.IfNotPositive(ReplenishmentPeriod, paramName: nameof(ReplenishmentPeriod));
        }
    }
}
