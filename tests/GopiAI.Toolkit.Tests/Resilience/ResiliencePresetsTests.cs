using System.Net;
using System.Threading.RateLimiting;
using GopiAI.Toolkit.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace GopiAI.Toolkit.Tests.Resilience;

public sealed class ResiliencePresetsTests
{
    [Fact]
    public async Task Timeout_SlowCall_ThrowsTimeoutRejected()
    {
        var time = new FakeTimeProvider();
        var pipeline = ResiliencePresets.Timeout(TimeSpan.FromSeconds(1), time);

        var call = pipeline.ExecuteAsync(async ct => await Task.Delay(TimeSpan.FromSeconds(10), time, ct)).AsTask();
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => call);
    }

    [Fact]
    public async Task Retry_TransientFailures_RetriesUntilSuccess()
    {
        var pipeline = ResiliencePresets.Retry(maxRetryAttempts: 3, baseDelay: TimeSpan.Zero);
        var attempts = 0;

        var result = await pipeline.ExecuteAsync(_ => ++attempts < 3 ? throw new HttpRequestException("flaky") : ValueTask.FromResult("ok"));

        Assert.Equal("ok", result);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task Retry_PersistentFailure_GivesUpAfterMaxAttempts()
    {
        var pipeline = ResiliencePresets.Retry(maxRetryAttempts: 2, baseDelay: TimeSpan.Zero);
        var attempts = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw new InvalidOperationException("always");
        }).AsTask());

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task CircuitBreaker_ManyFailures_OpensAndFailsFast()
    {
        var time = new FakeTimeProvider();
        var pipeline = ResiliencePresets.CircuitBreaker(failureRatio: 0.5, minimumThroughput: 2, breakDuration: TimeSpan.FromSeconds(5), timeProvider: time);
        var calls = 0;

        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync<int>(_ => { calls++; throw new InvalidOperationException("down"); }).AsTask());
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => pipeline.ExecuteAsync(_ => { calls++; return ValueTask.FromResult(1); }).AsTask());
        Assert.Equal(2, calls);

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, await pipeline.ExecuteAsync(_ => ValueTask.FromResult(1)));
    }

    [Fact]
    public async Task RateLimit_TokenBucketExhausted_Rejects()
    {
        using var limiter = ResiliencePresets.CreateTokenBucketLimiter(permitsPerSecond: 2);
        var pipeline = ResiliencePresets.RateLimit(limiter);

        await pipeline.ExecuteAsync(_ => ValueTask.CompletedTask);
        await pipeline.ExecuteAsync(_ => ValueTask.CompletedTask);

        await Assert.ThrowsAsync<RateLimiterRejectedException>(() => pipeline.ExecuteAsync(_ => ValueTask.CompletedTask).AsTask());
    }

    [Fact]
    public async Task CreateConcurrencyLimiter_LimitsConcurrentLeases()
    {
        using var limiter = ResiliencePresets.CreateConcurrencyLimiter(permitLimit: 1);

        using var first = await limiter.AcquireAsync();
        using var second = limiter.AttemptAcquire();

        Assert.True(first.IsAcquired);
        Assert.False(second.IsAcquired);
    }

    [Fact]
    public async Task Standard_RetriesThenSucceeds_AndAppliesAttemptTimeout()
    {
        var pipeline = ResiliencePresets.Standard(new ResilienceOptions { RetryBaseDelay = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromSeconds(5) });
        var attempts = 0;

        var result = await pipeline.ExecuteAsync(_ => ++attempts == 1 ? throw new HttpRequestException("once") : ValueTask.FromResult(7));

        Assert.Equal(7, result);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Standard_WithRateLimiter_RejectsOverLimit()
    {
        using var limiter = ResiliencePresets.CreateConcurrencyLimiter(1);
        var pipeline = ResiliencePresets.Standard(new ResilienceOptions { RateLimiter = limiter, MaxRetryAttempts = 0 });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var running = pipeline.ExecuteAsync(async _ => await gate.Task).AsTask();
        await Assert.ThrowsAsync<RateLimiterRejectedException>(() => pipeline.ExecuteAsync(_ => ValueTask.CompletedTask).AsTask());
        gate.SetResult();
        await running;
    }

    [Fact]
    public async Task Http_ServerErrorResponses_Retried()
    {
        var pipeline = ResiliencePresets.Http(new ResilienceOptions { RetryBaseDelay = TimeSpan.Zero });
        var attempts = 0;

        using var response = await pipeline.ExecuteAsync(_ => ValueTask.FromResult(new HttpResponseMessage(++attempts < 3 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public void AddGopiStandard_ComposesOnExistingBuilder()
    {
        var builder = new ResiliencePipelineBuilder().AddGopiStandard(new ResilienceOptions());

        Assert.NotNull(builder.Build());
    }

    [Fact]
    public void BadInput_ThrowsNamingArgument()
    {
        Assert.Equal("timeout", Assert.Throws<ArgumentOutOfRangeException>(() => ResiliencePresets.Timeout(TimeSpan.Zero)).ParamName);
        Assert.Equal("maxRetryAttempts", Assert.Throws<ArgumentOutOfRangeException>(() => ResiliencePresets.Retry(0)).ParamName);
        Assert.Equal("baseDelay", Assert.Throws<ArgumentOutOfRangeException>(() => ResiliencePresets.Retry(1, TimeSpan.FromSeconds(-1))).ParamName);
        Assert.Equal("FailureRatio", Assert.Throws<ArgumentOutOfRangeException>(() => ResiliencePresets.CircuitBreaker(failureRatio: 0)).ParamName);
        Assert.Equal("MinimumThroughput", Assert.Throws<ArgumentOutOfRangeException>(() => ResiliencePresets.CircuitBreaker(minimumThroughput: 1)).ParamName);
        Assert.Equal("limiter", Assert.Throws<ArgumentNullException>(() => ResiliencePresets.RateLimit(null!)).ParamName);
        Assert.Equal("permitsPerSecond", Assert.Throws<ArgumentOutOfRangeException>(() => ResiliencePresets.CreateTokenBucketLimiter(0)).ParamName);
        Assert.Equal("queueLimit", Assert.Throws<ArgumentOutOfRangeException>(() => ResiliencePresets.CreateConcurrencyLimiter(1, -1)).ParamName);
        Assert.Equal("AttemptTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => ResiliencePresets.Standard(new ResilienceOptions { AttemptTimeout = TimeSpan.Zero })).ParamName);
        Assert.Equal("MaxRetryAttempts", Assert.Throws<ArgumentOutOfRangeException>(() => ResiliencePresets.Http(new ResilienceOptions { MaxRetryAttempts = -1 })).ParamName);
    }
}
