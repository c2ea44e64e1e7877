using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Search;

public sealed class ResultCacheTests
{
    private static readonly SearchOptions Options = new();
    private static readonly IReadOnlyList<MemoryResult> Results = [new MemoryResult { Id = "a", Content = "x", Score = 1, Timestamp = DateTimeOffset.UnixEpoch, Source = "memory:a", Metadata = new Dictionary<string, string>() }];

    [Fact]
    public void TryGet_AfterSet_ReturnsTheResults()
    {
        using var cache = new ResultCache(16);
        var key = cache.KeyFor("q", 5, 0.25f, Options);
        cache.Set(key, Results);

        Assert.True(cache.TryGet(cache.KeyFor("q", 5, 0.25f, Options), out var cached));
        Assert.Same(Results, cached);
    }

    [Theory]
    [InlineData((int)StoreChange.Written)]
    [InlineData((int)StoreChange.Replaced)]
    public void OnStoreChanged_AnyChange_EmptiesTheCacheAndMovesTheGeneration(int change)
    {
        using var cache = new ResultCache(16);
        var key = cache.KeyFor("q", 5, 0.25f, Options);
        cache.Set(key, Results);

        cache.OnStoreChanged((StoreChange)change);

        Assert.Equal(1, cache.Generation);
        Assert.False(cache.TryGet(key, out _));
        Assert.False(cache.TryGet(cache.KeyFor("q", 5, 0.25f, Options), out _));
    }

    [Fact]
    public void Set_StoreChangedSinceTheKeyWasMade_DoesNotCache()
    {
        using var cache = new ResultCache(16);
        var key = cache.KeyFor("q", 5, 0.25f, Options);

        cache.OnStoreChanged(StoreChange.Written);
        cache.Set(key, Results);

        Assert.False(cache.TryGet(cache.KeyFor("q", 5, 0.25f, Options), out _));
    }

    [Fact]
    public void KeyFor_RecencyWeightingOrCachingOff_IsNull()
    {
        using var cache = new ResultCache(16);
        using var off = new ResultCache(0);

        Assert.Null(cache.KeyFor("q", 5, 0.25f, Options with { RecencyHalfLife = TimeSpan.FromDays(1) }));
        Assert.Null(off.KeyFor("q", 5, 0.25f, Options));
    }
}
