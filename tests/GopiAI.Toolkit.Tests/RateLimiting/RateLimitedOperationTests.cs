using GopiAI.Toolkit.RateLimiting;
using GopiAI.Toolkit.Tests.TestSupport;

namespace GopiAI.Toolkit.Tests.RateLimiting;

public sealed class RateLimitedOperationTests
{
    // One token per hour: nothing is replenished while a test runs, so the bucket holds exactly its burst.
    private static RateLimitPolicy SlowBucket(int burst) => new()
    {
        Kind = RateLimitKind.TokenBucket,
        PermitLimit = burst,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromHours(1),
    };

    private static string UniqueName() => "test-" + Guid.NewGuid().ToString("N");

    private static TagCounter Decisions(string limiter) => new(
        i => i.Meter.Name == ToolkitInfo.RateLimitingMeterName && i.Name == "gopi.rate_limit.requests", "result", ("limiter", limiter));

    [Fact]
    public async Task ExecuteAsync_TokenBucketBeyondItsBurst_RejectsNamingTheLimiterAndTheRetryAfter()
    {
        var name = UniqueName();
        using var limiter = SlowBucket(3).CreateLimiter();
        using var operation = new RateLimitedOperation(name, limiter);
        var runs = 0;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(i, await operation.ExecuteAsync(_ => Task.FromResult(runs++)));
        }

        var ex = await Assert.ThrowsAsync<RateLimitRejectedException>(() => operation.ExecuteAsync(_ => Task.FromResult(runs++)));

        Assert.Equal(3, runs);
        Assert.Equal(name, ex.LimiterName);
        Assert.NotNull(ex.RetryAfter);
        Assert.True(ex.RetryAfter > TimeSpan.Zero);
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("retry after", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ConcurrencyLimitReached_RejectsUntilARunningCallEnds()
    {
        using var limiter = RateLimitPolicy.Concurrency(permitLimit: 2).CreateLimiter();
        using var operation = new RateLimitedOperation(UniqueName(), limiter);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = operation.ExecuteAsync(_ => gate.Task);
        var second = operation.ExecuteAsync(_ => gate.Task);

        var ex = await Assert.ThrowsAsync<RateLimitRejectedException>(() => operation.ExecuteAsync(_ => Task.CompletedTask));
        gate.SetResult();
        await Task.WhenAll(first, second);
        await operation.ExecuteAsync(_ => Task.CompletedTask);

        Assert.Null(ex.RetryAfter);
        Assert.Contains("retry when a running call has finished", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_QueuedCallCancelled_ThrowsCancellationAndCountsItAsCanceled()
    {
        var name = UniqueName();
        using var counter = Decisions(name);
        using var limiter = RateLimitPolicy.Concurrency(permitLimit: 1, queueLimit: 1).CreateLimiter();
        using var operation = new RateLimitedOperation(name, limiter);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource();
        var running = operation.ExecuteAsync(_ => gate.Task);
        var queued = operation.ExecuteAsync(_ => Task.CompletedTask, cts.Token);

        Assert.False(queued.IsCompleted);
        await Assert.ThrowsAsync<RateLimitRejectedException>(() => operation.ExecuteAsync(_ => Task.CompletedTask));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        gate.SetResult();
        await running;

        Assert.Equal(1, counter[RateLimitingMetricsNames.Acquired]);
        Assert.Equal(1, counter[RateLimitingMetricsNames.Rejected]);
        Assert.Equal(1, counter[RateLimitingMetricsNames.Canceled]);
    }

    [Fact]
    public async Task ExecuteAsync_AcceptedAndRejectedCalls_AreCountedInTheMeter()
    {
        var name = UniqueName();
        using var counter = Decisions(name);
        using var limiter = SlowBucket(2).CreateLimiter();
        using var operation = new RateLimitedOperation(name, limiter);

        for (var i = 0; i < 5; i++)
        {
            try
            {
                await operation.ExecuteAsync(_ => ValueTask.FromResult(i));
            }
            catch (RateLimitRejectedException)
            {
            }
        }

        Assert.Equal(2, counter[RateLimitingMetricsNames.Acquired]);
        Assert.Equal(3, counter[RateLimitingMetricsNames.Rejected]);
        var stats = operation.GetStats();
        Assert.Equal(2, stats.Acquired);
        Assert.Equal(3, stats.Rejected);
        Assert.Equal(0, stats.AvailablePermits);
    }

    [Fact]
    public void Execute_Synchronous_RejectsWithoutRunningTheWork()
    {
        using var limiter = SlowBucket(1).CreateLimiter();
        using var operation = new RateLimitedOperation(UniqueName(), limiter);
        var runs = 0;

        Assert.Equal(1, operation.Execute(() => ++runs));
        Assert.Throws<RateLimitRejectedException>(() => operation.Execute(() => ++runs));

        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task ExecuteAsync_WithState_PassesTheStateAndReleasesThePermitAfterAFailure()
    {
        using var limiter = RateLimitPolicy.Concurrency(permitLimit: 1).CreateLimiter();
        using var operation = new RateLimitedOperation(UniqueName(), limiter);

        Func<CancellationToken, Task<int>> failing = _ => throw new InvalidOperationException("boom");

        await Assert.ThrowsAsync<InvalidOperationException>(() => operation.ExecuteAsync(failing));
        var result = await operation.ExecuteAsync(21, static (x, _) => Task.FromResult(x * 2));

        Assert.Equal(42, result);
    }

    [Fact]
    public void Dispose_CallerOwnedLimiter_LeavesItUsable()
    {
        using var limiter = SlowBucket(5).CreateLimiter();
        var operation = new RateLimitedOperation(UniqueName(), limiter);

        operation.Dispose();

        using var lease = limiter.AttemptAcquire();
        Assert.True(lease.IsAcquired);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        using var limiter = SlowBucket(1).CreateLimiter();

        Assert.Throws<ArgumentException>(() => new RateLimitedOperation(" ", limiter));
        Assert.Throws<ArgumentNullException>(() => new RateLimitedOperation("x", null!));
    }
}

/// <summary>The <c>result</c> tag values, spelled as the documentation spells them.</summary>
internal static class RateLimitingMetricsNames
{
    public const string Acquired = "acquired";
    public const string Rejected = "rejected";
    public const string Canceled = "canceled";
}
