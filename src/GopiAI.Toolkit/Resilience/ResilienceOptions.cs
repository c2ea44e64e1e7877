using System.Threading.RateLimiting;
using Polly;

namespace GopiAI.Toolkit.Resilience;

/// <summary>Settings of <see cref="ResiliencePresets.Standard(ResilienceOptions?)"/>. Bindable from configuration (except <see cref="RateLimiter"/> and <see cref="TimeProvider"/>).</summary>
public sealed class ResilienceOptions
{
    /// <summary>Gets or sets the timeout of each attempt (default 30 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many times a failed call is retried (default 3; 0 disables retries).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the base delay between retries (default 200 ms), grown according to <see cref="BackoffType"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets how retry delays grow (default exponential).</summary>
    public DelayBackoffType BackoffType { get; set; } = DelayBackoffType.Exponential;

    /// <summary>Gets or sets a value indicating whether retry delays are randomised to avoid synchronised retries (default <see langword="true"/>).</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>Gets or sets the failure ratio within <see cref="SamplingDuration"/> that opens the circuit (default 0.5).</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the calls needed within <see cref="SamplingDuration"/> before the circuit may open (default 10, at least 2).</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets the window over which failures are counted (default 30 s, at least 0.5 s).</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the circuit stays open before a trial call (default 30 s, at least 0.5 s).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets an optional rate limiter applied before everything else (e.g. from <see cref="ResiliencePresets.CreateTokenBucketLimiter"/>). The caller owns and disposes it.</summary>
    public RateLimiter? RateLimiter { get; set; }

    /// <summary>Gets or sets the time source for timeouts, delays and the circuit breaker; <see langword="null"/> means <see cref="System.TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }

    internal void Validate()
    {
        Throw.IfNotPositive(AttemptTimeout, paramName: nameof(AttemptTimeout));
        Throw.IfNegative(MaxRetryAttempts, nameof(MaxRetryAttempts));
        if (RetryBaseDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryBaseDelay), RetryBaseDelay, "RetryBaseDelay must not be negative.");
        }

        if (double.IsNaN(FailureRatio) || FailureRatio <= 0 || FailureRatio > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FailureRatio), FailureRatio, "FailureRatio must be in (0, 1].");
        }

        if (MinimumThroughput < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumThroughput), MinimumThroughput, "MinimumThroughput must be at least 2.");
        }

        if (SamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            throw new ArgumentOutOfRangeException(nameof(SamplingDuration), SamplingDuration, "SamplingDuration must be at least 0.5 s.");
        }

        if (BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            throw new ArgumentOutOfRangeException(nameof(BreakDuration), BreakDuration, "BreakDuration must be at least 0.5 s.");
        }
    }
}
