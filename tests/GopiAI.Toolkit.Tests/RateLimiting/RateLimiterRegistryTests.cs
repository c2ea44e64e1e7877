using GopiAI.Toolkit.RateLimiting;

namespace GopiAI.Toolkit.Tests.RateLimiting;

public sealed class RateLimiterRegistryTests
{
    [Fact]
    public void Get_ConfiguredName_ReturnsOneOperationPerName()
    {
        using var registry = new RateLimiterRegistry(new RateLimitingOptions());

        var first = registry.Get(RateLimitingOptions.MemorySearch);
        var again = registry.Get(RateLimitingOptions.MemorySearch);
        var endpoints = registry.Get(RateLimitingOptions.Endpoints);

        Assert.Same(first, again);
        Assert.NotSame(first, endpoints);
        Assert.Equal(RateLimitingOptions.MemorySearch, first.Name);
        Assert.IsType<System.Threading.RateLimiting.TokenBucketRateLimiter>(first.Limiter);
        Assert.IsType<System.Threading.RateLimiting.ConcurrencyLimiter>(endpoints.Limiter);
    }

    [Fact]
    public void Get_UnknownName_ThrowsListingTheConfiguredNames()
    {
        using var registry = new RateLimiterRegistry(new RateLimitingOptions());

        var ex = Assert.Throws<ArgumentException>(() => registry.Get("search"));

        Assert.Contains("'search'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("endpoints, memory-search", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidPolicy_ThrowsNamingThePolicyAndTheSetting()
    {
        var options = new RateLimitingOptions();
        options.Policies["broken"] = new RateLimitPolicy { PermitLimit = 0 };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimiterRegistry(options));

        Assert.Equal("Policies[broken].PermitLimit", ex.ParamName);
        Assert.Contains("'broken'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_PolicyFromOptions_RejectsBeyondItsLimitAndReportsStats()
    {
        var options = new RateLimitingOptions();
        options.Policies["tiny"] = new RateLimitPolicy { PermitLimit = 2, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromHours(1) };
        using var registry = new RateLimiterRegistry(options);
        var tiny = registry.Get("tiny");

        await tiny.ExecuteAsync(_ => Task.CompletedTask);
        await tiny.ExecuteAsync(_ => Task.CompletedTask);
        var ex = await Assert.ThrowsAsync<RateLimitRejectedException>(() => tiny.ExecuteAsync(_ => Task.CompletedTask));

        Assert.Contains("token bucket of 2, 1 per 3600 s, queue 0", ex.Message, StringComparison.Ordinal);
        var stats = Assert.Single(registry.GetStats()).Value;
        Assert.Equal(new RateLimitStats("tiny", "token bucket of 2, 1 per 3600 s, queue 0", 0, 0, 2, 1), stats);
    }

    [Fact]
    public void Constructor_CopiesThePolicies_LaterChangesDoNotApply()
    {
        var options = new RateLimitingOptions();
        using var registry = new RateLimiterRegistry(options);

        options.Policies[RateLimitingOptions.MemorySearch].PermitLimit = 1;
        options.Policies["late"] = RateLimitPolicy.Concurrency(1);

        Assert.Equal(100, registry.Get(RateLimitingOptions.MemorySearch).GetStats().AvailablePermits);
        Assert.Throws<ArgumentException>(() => registry.Get("late"));
    }

    [Fact]
    public void Dispose_DisposesTheLimitersItCreated()
    {
        var registry = new RateLimiterRegistry(new RateLimitingOptions());
        var operation = registry.Get(RateLimitingOptions.Endpoints);

        registry.Dispose();

        Assert.Throws<ObjectDisposedException>(() => operation.Acquire());
        Assert.Throws<ObjectDisposedException>(() => registry.Get(RateLimitingOptions.Endpoints));
    }

    [Fact]
    public void Policies_Defaults_AreTheDocumentedPresets()
    {
        var options = new RateLimitingOptions();

        Assert.Equal("token bucket of 100, 50 per 1 s, queue 0", options.Policies[RateLimitingOptions.MemorySearch].ToString());
        Assert.Equal("at most 64 at once, queue 128", options.Policies[RateLimitingOptions.Endpoints].ToString());
    }
}
