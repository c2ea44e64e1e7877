using System.Net;
using System.Threading.RateLimiting;
using GopiAI.Toolkit.RateLimiting;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace GopiAI.Toolkit.Resilience;

/// <summary>
/// Ready-made Polly.Core pipelines for outgoing calls (timeouts, retries with backoff, circuit breaker) and
/// System.Threading.RateLimiting limiters. These are presets over the real libraries, not re-implementations.
/// </summary>
public static class ResiliencePresets
{
    /// <summary>Builds a pipeline that cancels a call after <paramref name="timeout"/> and throws <see cref="TimeoutRejectedException"/>.</summary>
    /// <param name="timeout">The limit.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> means the system clock.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero or negative.</exception>
    public static ResiliencePipeline Timeout(TimeSpan timeout, TimeProvider? timeProvider = null)
    {
        Throw.IfNotPositive(timeout);
        return NewBuilder(timeProvider).AddTimeout(timeout).Build();
    }

    /// <summary>Builds a pipeline that retries failed calls (any exception except cancellation) with exponential backoff and jitter.</summary>
    /// <param name="maxRetryAttempts">Retries after the first attempt (default 3).</param>
    /// <param name="baseDelay">The first delay, doubled per retry (default 200 ms).</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> means the system clock.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRetryAttempts"/> is not positive or <paramref name="baseDelay"/> is negative.</exception>
    public static ResiliencePipeline Retry(int maxRetryAttempts = 3, TimeSpan? baseDelay = null, TimeProvider? timeProvider = null)
    {
        Throw.IfNotPositive(maxRetryAttempts);
        var delay = baseDelay ?? TimeSpan.FromMilliseconds(200);
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(baseDelay), delay, "The base delay must not be negative.");
        }

        return NewBuilder(timeProvider).AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = maxRetryAttempts,
            Delay = delay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        }).Build();
    }

    /// <summary>Builds a pipeline whose circuit opens when the failure ratio over the sampling window crosses the threshold, failing fast with <see cref="BrokenCircuitException"/> until the break ends.</summary>
    /// <param name="failureRatio">Failure share that opens the circuit (default 0.5).</param>
    /// <param name="minimumThroughput">Calls needed before it may open (default 10, at least 2).</param>
    /// <param name="samplingDuration">The window (default 30 s).</param>
    /// <param name="breakDuration">How long it stays open (default 30 s).</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> means the system clock.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the exception names it.</exception>
    public static ResiliencePipeline CircuitBreaker(double failureRatio = 0.5, int minimumThroughput = 10, TimeSpan? samplingDuration = null, TimeSpan? breakDuration = null, TimeProvider? timeProvider = null)
    {
        var options = new ResilienceOptions
        {
            FailureRatio = failureRatio,
            MinimumThroughput = minimumThroughput,
            SamplingDuration = samplingDuration ?? TimeSpan.FromSeconds(30),
            BreakDuration = breakDuration ?? TimeSpan.FromSeconds(30),
        };
        options.Validate();
        return NewBuilder(timeProvider).AddCircuitBreaker(BreakerOptions(options)).Build();
    }

    /// <summary>Builds a pipeline that admits calls through <paramref name="limiter"/> and rejects the rest with <see cref="Polly.RateLimiting.RateLimiterRejectedException"/>.</summary>
    /// <param name="limiter">The limiter; the caller owns and disposes it.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="limiter"/> is <see langword="null"/>.</exception>
    public static ResiliencePipeline RateLimit(RateLimiter limiter)
    {
        Throw.IfNull(limiter);
        return new ResiliencePipelineBuilder().AddRateLimiter(limiter).Build();
    }

    /// <summary>
    /// Builds the standard pipeline for an outgoing call, outermost first: optional rate limiter → retry with backoff →
    /// circuit breaker → per-attempt timeout.
    /// </summary>
    /// <param name="options">The settings; <see langword="null"/> uses the defaults.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the exception names it.</exception>
    public static ResiliencePipeline Standard(ResilienceOptions? options = null) =>
        NewBuilder((options ??= new ResilienceOptions()).TimeProvider).AddGopiStandard(options).Build();

    /// <summary>
    /// Builds the standard pipeline for HTTP calls: like <see cref="Standard(ResilienceOptions?)"/>, and it also retries and counts as
    /// failures responses with status 408, 429 and 5xx.
    /// </summary>
    /// <param name="options">The settings; <see langword="null"/> uses the defaults.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the exception names it.</exception>
    public static ResiliencePipeline<HttpResponseMessage> Http(ResilienceOptions? options = null)
    {
        options ??= new ResilienceOptions();
        options.Validate();
        var handle = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.TimeProvider is not null)
        {
            builder.TimeProvider = options.TimeProvider;
        }

        if (options.RateLimiter is not null)
        {
            builder.AddRateLimiter(options.RateLimiter);
        }

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = options.BackoffType,
                UseJitter = options.UseJitter,
                ShouldHandle = handle,
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = handle,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>Adds the standard strategies (rate limiter, retry, circuit breaker, attempt timeout) to an existing builder.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The settings.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the exception names it.</exception>
    public static ResiliencePipelineBuilder AddGopiStandard(this ResiliencePipelineBuilder builder, ResilienceOptions options)
    {
        Throw.IfNull(builder);
        Throw.IfNull(options);
        options.Validate();
        if (options.RateLimiter is not null)
        {
            builder.AddRateLimiter(options.RateLimiter);
        }

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = options.BackoffType,
                UseJitter = options.UseJitter,
            });
        }

        return builder.AddCircuitBreaker(BreakerOptions(options)).AddTimeout(options.AttemptTimeout);
    }

    /// <summary>Creates a token-bucket limiter that allows <paramref name="permitsPerSecond"/> on average with bursts up to <paramref name="burst"/>.</summary>
    /// <param name="permitsPerSecond">Tokens added per second.</param>
    /// <param name="burst">Bucket size; <see langword="null"/> means <paramref name="permitsPerSecond"/>.</param>
    /// <param name="queueLimit">Calls that may wait for a token (default 0: reject at once).</param>
    /// <returns>The limiter; the caller disposes it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the exception names it.</exception>
    public static RateLimiter CreateTokenBucketLimiter(int permitsPerSecond, int? burst = null, int queueLimit = 0) =>
        RateLimitPolicy.TokenBucket(permitsPerSecond, burst, queueLimit).CreateLimiter();

    /// <summary>Creates a limiter that allows at most <paramref name="permitLimit"/> calls at the same time.</summary>
    /// <param name="permitLimit">Concurrent calls allowed.</param>
    /// <param name="queueLimit">Calls that may wait (default 0: reject at once).</param>
    /// <returns>The limiter; the caller disposes it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the exception names it.</exception>
    public static RateLimiter CreateConcurrencyLimiter(int permitLimit, int queueLimit = 0) =>
        RateLimitPolicy.Concurrency(permitLimit, queueLimit).CreateLimiter();

    private static ResiliencePipelineBuilder NewBuilder(TimeProvider? timeProvider)
    {
        var builder = new ResiliencePipelineBuilder();
        if (timeProvider is not null)
        {
            builder.TimeProvider = timeProvider;
        }

        return builder;
    }

    private static CircuitBreakerStrategyOptions BreakerOptions(ResilienceOptions options) => new()
    {
        FailureRatio = options.FailureRatio,
        MinimumThroughput = options.MinimumThroughput,
        SamplingDuration = options.SamplingDuration,
        BreakDuration = options.BreakDuration,
    };
}
