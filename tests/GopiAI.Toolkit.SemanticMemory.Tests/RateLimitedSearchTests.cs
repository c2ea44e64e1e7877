using GopiAI.Toolkit.RateLimiting;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>
/// A rate limiter from the runtime package in front of a real memory search, the way docs/security.md shows it: the
/// semantic memory package knows nothing about it, and the runtime package nothing about semantic memory.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class RateLimitedSearchTests(ModelFixture model) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SearchMemoryAsync_BehindTheMemorySearchPreset_AnswersWithinTheBurstAndRejectsBeyondIt()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(
        [
            new MemoryDocument { Id = "pets", Content = "My cat Luna sleeps on the windowsill every afternoon." },
            new MemoryDocument { Id = "car", Content = "The car needs new winter tyres before November." },
        ]);
        var options = new RateLimitingOptions();
        options.Policies[RateLimitingOptions.MemorySearch] = new RateLimitPolicy { PermitLimit = 3, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromHours(1) };
        await using var limiters = new RateLimiterRegistry(options);
        var search = limiters.Get(RateLimitingOptions.MemorySearch);

        var answers = new List<IReadOnlyList<MemoryResult>>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await search.ExecuteAsync(ct => memory.SearchMemoryAsync($"where does the cat sleep? ({i})", 1, cancellationToken: ct)));
        }

        var rejected = await Assert.ThrowsAsync<RateLimitRejectedException>(() => search.ExecuteAsync(ct => memory.SearchMemoryAsync("winter tyres", 1, cancellationToken: ct)));

        Assert.All(answers, a => Assert.Equal("pets", a[0].Id));
        Assert.Equal(RateLimitingOptions.MemorySearch, rejected.LimiterName);
        Assert.NotNull(rejected.RetryAfter);
        Assert.Equal(1, search.GetStats().Rejected);
    }
}
