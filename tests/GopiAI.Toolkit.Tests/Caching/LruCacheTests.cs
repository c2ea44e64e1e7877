using GopiAI.Toolkit.Caching;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class LruCacheTests
{
    private readonly FakeTimeProvider _time = new();

    private LruCache<string, string> NewCache(int maxSize = 3, TimeSpan? ttl = null, bool sliding = false) =>
        new(new LruCacheOptions { Name = "test", MaxSize = maxSize, DefaultTtl = ttl, Sliding = sliding, TimeProvider = _time });

    [Fact]
    public void TryGet_AfterSet_ReturnsValueAndCountsHit()
    {
        using var cache = NewCache();
        cache.Set("a", "1");

        Assert.True(cache.TryGet("a", out var value));
        Assert.Equal("1", value);
        Assert.False(cache.TryGet("b", out _));
        var stats = cache.GetStats();
        Assert.Equal(1, stats.Hits);
        Assert.Equal(1, stats.Misses);
        Assert.Equal(0.5, stats.HitRate);
        Assert.Equal(0.5, stats.MissRate);
        Assert.Equal(1, stats.Size);
        Assert.Equal(3, stats.MaxSize);
        Assert.Equal("test", stats.Name);
    }

    [Fact]
    public void TryGet_RecordMissFalse_ThenGetOrAdd_CountsMissOnce()
    {
        using var cache = NewCache();

        Assert.False(cache.TryGet("a", out _, recordMiss: false));
        cache.GetOrAdd("a", _ => "1");
        Assert.True(cache.TryGet("a", out var value, recordMiss: false));

        Assert.Equal("1", value);
        var stats = cache.GetStats();
        Assert.Equal(1, stats.Misses);
        Assert.Equal(1, stats.Hits);
    }

    [Fact]
    public void TryPeek_DoesNotTouchStatsOrRecency()
    {
        using var cache = NewCache(maxSize: 2, ttl: TimeSpan.FromMinutes(1));
        cache.Set("a", "1");
        cache.Set("b", "2");

        Assert.True(cache.TryPeek("a", out var value));
        Assert.False(cache.TryPeek("zzz", out _));
        cache.Set("c", "3");

        Assert.Equal("1", value);
        Assert.Equal(0, cache.GetStats().Requests);
        Assert.False(cache.TryPeek("a", out _));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(cache.TryPeek("c", out _));
        Assert.Equal(1, cache.Count); // "b" is expired too, but only removed when reached
    }

    [Fact]
    public void Set_OverCapacity_EvictsLeastRecentlyUsed()
    {
        using var cache = NewCache(maxSize: 3);
        cache.Set("a", "1");
        cache.Set("b", "2");
        cache.Set("c", "3");
        Assert.True(cache.TryGet("a", out _)); // a is now recently used

        cache.Set("d", "4");

        Assert.True(cache.TryGet("a", out _));
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.True(cache.TryGet("d", out _));
        Assert.Equal(3, cache.Count);
        Assert.Equal(1, cache.GetStats().Evictions);
    }

    [Fact]
    public void Set_ManyKeys_NeverExceedsCapacity()
    {
        using var cache = NewCache(maxSize: 10);
        for (var i = 0; i < 1000; i++)
        {
            cache.Set($"k{i}", "v");
            cache.TryGet($"k{i / 2}", out _);
            Assert.True(cache.Count <= 10);
        }

        Assert.Equal(990, cache.GetStats().Evictions);
    }

    [Fact]
    public void Set_ExistingKey_ReplacesWithoutGrowing()
    {
        using var cache = NewCache();
        cache.Set("a", "1");
        cache.Set("a", "2");

        Assert.True(cache.TryGet("a", out var value));
        Assert.Equal("2", value);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void TryGet_AfterTtl_ReturnsFalseAndCountsEviction()
    {
        using var cache = NewCache(ttl: TimeSpan.FromMinutes(5));
        cache.Set("a", "1");

        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.True(cache.TryGet("a", out _));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(cache.TryGet("a", out _));
        Assert.Equal(0, cache.Count);
        Assert.Equal(1, cache.GetStats().Evictions);
    }

    [Fact]
    public void TryGet_SystemClockAfterTtl_ReturnsFalseAndCountsEviction()
    {
        // The system clock's hit path compares against the coarse clock's field: an entry still expires once it moves on.
        using var cache = new LruCache<string, string>(new LruCacheOptions { MaxSize = 3, DefaultTtl = TimeSpan.FromMilliseconds(1) });
        cache.Set("a", "1");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (cache.TryGet("a", out _) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.False(cache.TryGet("a", out _));
        Assert.Equal(0, cache.Count);
        Assert.Equal(1, cache.GetStats().Evictions);
    }

    [Fact]
    public void Set_PerEntryTtl_OverridesDefault()
    {
        using var cache = NewCache(ttl: TimeSpan.FromHours(1));
        cache.Set("short", "1", TimeSpan.FromSeconds(10));
        cache.Set("forever", "2", Timeout.InfiniteTimeSpan);
        cache.Set("default", "3");

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.False(cache.TryGet("short", out _));
        Assert.True(cache.TryGet("default", out _));
        _time.Advance(TimeSpan.FromDays(3));
        Assert.False(cache.TryGet("default", out _));
        Assert.True(cache.TryGet("forever", out _));
    }

    [Fact]
    public void TryGet_SlidingExpiration_HitExtendsLifetime()
    {
        using var cache = NewCache(ttl: TimeSpan.FromMinutes(1), sliding: true);
        cache.Set("a", "1");

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(50));
            Assert.True(cache.TryGet("a", out _));
        }

        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void RemoveExpired_RemovesOnlyExpiredEntries()
    {
        using var cache = NewCache(maxSize: 10, ttl: TimeSpan.FromMinutes(1));
        cache.Set("old", "1");
        _time.Advance(TimeSpan.FromSeconds(30));
        cache.Set("new", "2");
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(1, cache.RemoveExpired());
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("new", out _));
    }

    [Fact]
    public void GetOrAdd_Miss_RunsFactoryOnceThenHits()
    {
        using var cache = NewCache();
        var calls = 0;

        var first = cache.GetOrAdd("a", k => { calls++; return k + "!"; });
        var second = cache.GetOrAdd("a", k => { calls++; return "other"; });

        Assert.Equal("a!", first);
        Assert.Equal("a!", second);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void GetOrAdd_WithArgument_PassesArgument()
    {
        using var cache = NewCache();

        var value = cache.GetOrAdd("a", static (k, suffix) => k + suffix, "-x");

        Assert.Equal("a-x", value);
    }

    [Fact]
    public void GetOrAdd_WithTtl_AppliesToNewEntry()
    {
        using var cache = NewCache(ttl: TimeSpan.FromHours(1));
        cache.GetOrAdd("a", static (k, _) => "1", 0, TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void GetOrAdd_FactoryThrows_NothingCachedAndNextCallRetries()
    {
        using var cache = NewCache();

        Assert.Throws<InvalidOperationException>(() => cache.GetOrAdd("a", _ => throw new InvalidOperationException("boom")));

        Assert.Equal(0, cache.Count);
        Assert.Equal("ok", cache.GetOrAdd("a", _ => "ok"));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void GetOrAdd_FactoryReturnsNull_NotCachedByDefault()
    {
        using var cache = new LruCache<string, string?>(new LruCacheOptions { TimeProvider = _time });
        var calls = 0;

        Assert.Null(cache.GetOrAdd("a", _ => { calls++; return null; }));
        Assert.Null(cache.GetOrAdd("a", _ => { calls++; return null; }));

        Assert.Equal(2, calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void GetOrAdd_CacheNullValues_CachesNull()
    {
        using var cache = new LruCache<string, string?>(new LruCacheOptions { CacheNullValues = true, TimeProvider = _time });
        var calls = 0;

        cache.GetOrAdd("a", _ => { calls++; return null; });
        cache.GetOrAdd("a", _ => { calls++; return null; });

        Assert.Equal(1, calls);
        Assert.True(cache.TryGet("a", out var value));
        Assert.Null(value);
    }

    [Fact]
    public void GetOrAdd_RecursiveSameKey_ThrowsInvalidOperation()
    {
        using var cache = NewCache();

        var ex = Assert.Throws<InvalidOperationException>(() => cache.GetOrAdd("a", k => cache.GetOrAdd(k, _ => "inner")));

        Assert.Contains("Recursive", ex.Message, StringComparison.Ordinal);
        Assert.Equal("ok", cache.GetOrAdd("a", _ => "ok"));
    }

    [Fact]
    public async Task GetOrAddAsync_Miss_AwaitsFactoryOnceThenHitsSynchronously()
    {
        using var cache = NewCache();
        var calls = 0;

        var first = await cache.GetOrAddAsync("a", async (k, ct) => { calls++; await Task.Yield(); return "v"; });
        var hit = cache.GetOrAddAsync("a", (k, ct) => Task.FromResult("other"));

        Assert.True(hit.IsCompletedSuccessfully);
        Assert.Equal("v", first);
        Assert.Equal("v", await hit);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task GetOrAddAsync_ConcurrentMisses_RunFactoryOnce()
    {
        using var cache = NewCache();
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;

        var callers = Enumerable.Range(0, 8)
            .Select(_ => cache.GetOrAddAsync("a", (k, ct) => { Interlocked.Increment(ref calls); return gate.Task; }).AsTask())
            .ToArray();
        gate.SetResult("shared");
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Equal("shared", r));
    }

    [Fact]
    public async Task GetOrAddAsync_FactoryFaults_NotCachedAndJoinedCallersSeeError()
    {
        using var cache = NewCache();
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = cache.GetOrAddAsync("a", (k, ct) => gate.Task).AsTask();
        var second = cache.GetOrAddAsync("a", (k, ct) => Task.FromResult("never")).AsTask();
        gate.SetException(new InvalidOperationException("boom"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => second);
        Assert.Equal(0, cache.Count);
        Assert.Equal("retry", await cache.GetOrAddAsync("a", (k, ct) => Task.FromResult("retry")));
    }

    [Fact]
    public async Task GetOrAddAsync_OwnerCancelled_WaiterRetriesWithOwnFactory()
    {
        using var cache = NewCache();
        using var ownerCts = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var owner = cache.GetOrAddAsync("a", async (k, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        }, ownerCts.Token).AsTask();
        await started.Task;
        var waiter = cache.GetOrAddAsync("a", (k, ct) => Task.FromResult("waiter")).AsTask();
        await ownerCts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => owner);
        Assert.Equal("waiter", await waiter);
        Assert.True(cache.TryGet("a", out var cached));
        Assert.Equal("waiter", cached);
    }

    [Fact]
    public async Task GetOrAddAsync_CancelledBeforeStart_Throws()
    {
        using var cache = NewCache();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.GetOrAddAsync("a", (k, ct) => Task.FromResult("v"), cts.Token).AsTask());
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task GetOrAddAsync_WithArgumentAndTtl_UsesBoth()
    {
        using var cache = NewCache(ttl: TimeSpan.FromHours(1));

        var value = await cache.GetOrAddAsync("a", static (k, arg, ct) => new ValueTask<string>(k + arg), "1", TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("a1", value);
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void Invalidate_ExistingKey_RemovesIt()
    {
        using var cache = NewCache();
        cache.Set("a", "1");

        Assert.True(cache.Invalidate("a"));
        Assert.False(cache.Invalidate("a"));
        Assert.False(cache.TryGet("a", out _));
        Assert.Equal(0, cache.GetStats().Evictions);
    }

    [Fact]
    public void Set_NullValueWithoutCacheNulls_RemovesKey()
    {
        using var cache = new LruCache<string, string?>(new LruCacheOptions { TimeProvider = _time });
        cache.Set("a", "1");

        cache.Set("a", null);

        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void Clear_RemovesAllAndKeepsCounters()
    {
        using var cache = NewCache(maxSize: 10);
        for (var i = 0; i < 5; i++)
        {
            cache.Set($"k{i}", "v");
        }

        cache.TryGet("k1", out _);
        cache.Clear();

        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet("k1", out _));
        Assert.Equal(1, cache.GetStats().Hits);
        cache.Set("again", "v");
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void InvalidateAndSet_ChurnWithFewLiveKeys_KeepsCountExact()
    {
        using var cache = NewCache(maxSize: 1000);
        for (var i = 0; i < 10_000; i++)
        {
            cache.Set($"k{i % 3}", "v");
            cache.Invalidate($"k{(i + 1) % 3}");
        }

        var live = Enumerable.Range(0, 3).Count(i => cache.TryGet($"k{i}", out _));
        Assert.Equal(live, cache.Count);
    }

    [Fact]
    public void Trim_Fraction_RemovesColdestShare()
    {
        using var cache = NewCache(maxSize: 100);
        for (var i = 0; i < 100; i++)
        {
            cache.Set(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "v");
        }

        var removed = cache.Trim(0.25);

        Assert.Equal(25, removed);
        Assert.Equal(75, cache.Count);
        Assert.False(cache.TryGet("0", out _));
        Assert.True(cache.TryGet("99", out _));
        Assert.Equal(25, cache.GetStats().Evictions);
    }

    [Fact]
    public void Trim_OutOfRange_ThrowsNamingFraction()
    {
        using var cache = NewCache();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => cache.Trim(1.5));

        Assert.Equal("fraction", ex.ParamName);
    }

    [Fact]
    public void MaxBytes_WithSizeFunction_EvictsBySize()
    {
        using var cache = new LruCache<string, string>(
            new LruCacheOptions { MaxSize = 100, MaxBytes = 10, TimeProvider = _time },
            static (k, v) => v.Length,
            null);

        cache.Set("a", "12345");
        cache.Set("b", "12345");
        cache.Set("c", "123");

        Assert.False(cache.TryGet("a", out _));
        Assert.Equal(8, cache.GetStats().MemoryUsage);
        cache.Set("huge", new string('x', 11));
        Assert.False(cache.TryGet("huge", out _));
    }

    [Fact]
    public void MaxBytes_UntypedSizeCalculator_Works()
    {
        using var cache = new LruCache<string, string>(new LruCacheOptions
        {
            MaxSize = 100,
            MaxBytes = 4,
            SizeCalculator = static (k, v) => ((string)v!).Length,
            TimeProvider = _time,
        });

        cache.Set("a", "12");
        cache.Set("b", "12");
        cache.Set("c", "12");

        Assert.Equal(2, cache.Count);
        Assert.Equal(4, cache.GetStats().MemoryUsage);
    }

    [Fact]
    public void SizeFunction_Negative_ThrowsAndLeavesCacheUnchanged()
    {
        using var cache = new LruCache<string, string>(new LruCacheOptions { MaxBytes = 10, TimeProvider = _time }, static (k, v) => -1, null);

        Assert.Throws<InvalidOperationException>(() => cache.Set("a", "v"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void OnEvicted_Typed_ReceivesReason()
    {
        var events = new List<(string Key, EvictionReason Reason)>();
        using var cache = new LruCache<string, string>(
            new LruCacheOptions { MaxSize = 1, TimeProvider = _time },
            null,
            (k, v, r) => events.Add((k, r)));

        cache.Set("a", "1");
        cache.Set("a", "2");
        cache.Set("b", "3");
        cache.Invalidate("b");

        Assert.Equal([("a", EvictionReason.Replaced), ("a", EvictionReason.Capacity), ("b", EvictionReason.Removed)], events);
    }

    [Fact]
    public void OnEvicted_Untyped_ThrowingCallbackDoesNotCorruptState()
    {
        var seen = 0;
        using var cache = new LruCache<string, string>(new LruCacheOptions
        {
            MaxSize = 2,
            TimeProvider = _time,
            OnEvicted = e =>
            {
                seen++;
                Assert.Equal("test2", e.CacheName);
                Assert.True(e.IsEviction);
                throw new InvalidOperationException("callback bug");
            },
            Name = "test2",
        });

        for (var i = 0; i < 10; i++)
        {
            cache.Set($"k{i}", "v");
        }

        Assert.Equal(8, seen);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void DisposeEvictedValues_DisposesEvictedAndClearedValues()
    {
        var cache = new LruCache<string, Resource>(new LruCacheOptions { MaxSize = 1, DisposeEvictedValues = true, TimeProvider = _time });
        var first = new Resource();
        var second = new Resource();

        cache.Set("a", first);
        cache.Set("b", second);
        Assert.True(first.Disposed);
        Assert.False(second.Disposed);

        cache.Dispose();
        Assert.True(second.Disposed);
    }

    [Fact]
    public void Dispose_ThenSet_ThrowsObjectDisposed()
    {
        var cache = NewCache();
        cache.Dispose();
        cache.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cache.Set("a", "1"));
        Assert.Throws<ObjectDisposedException>(() => cache.GetOrAdd("a", _ => "1"));
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void ResetStats_ZeroesCounters()
    {
        using var cache = NewCache();
        cache.TryGet("x", out _);

        cache.ResetStats();

        Assert.Equal(0, cache.GetStats().Requests);
    }

    [Fact]
    public void Name_NotSet_DerivedFromTypes()
    {
        using var cache = new LruCache<int, string>(new LruCacheOptions());

        Assert.Equal("LruCache<Int32,String>", cache.Name);
        Assert.Same(TimeProvider.System, cache.TimeProvider);
    }

    [Fact]
    public void Constructor_NullOptions_ThrowsNamingOptions()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new LruCache<string, string>(null!));
        Assert.Equal("options", ex.ParamName);
    }

    [Theory]
    [InlineData(0, "MaxSize")]
    [InlineData(-5, "MaxSize")]
    public void Constructor_NonPositiveMaxSize_ThrowsNamingIt(int maxSize, string param)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LruCache<string, string>(new LruCacheOptions { MaxSize = maxSize }));
        Assert.Equal(param, ex.ParamName);
    }

    [Fact]
    public void Constructor_NegativeTtl_ThrowsNamingDefaultTtl()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LruCache<string, string>(new LruCacheOptions { DefaultTtl = TimeSpan.FromSeconds(-1) }));
        Assert.Equal("DefaultTtl", ex.ParamName);
    }

    [Fact]
    public void Constructor_MaxBytesWithoutSizer_ThrowsNamingMaxBytes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LruCache<string, string>(new LruCacheOptions { MaxBytes = 100 }));
        Assert.Equal("MaxBytes", ex.ParamName);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => new LruCache<string, string>(new LruCacheOptions { MaxBytes = -1 }));
        Assert.Equal("MaxBytes", negative.ParamName);
    }

    [Fact]
    public void Constructor_BlankName_ThrowsNamingName()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LruCache<string, string>(new LruCacheOptions { Name = " " }));
        Assert.Equal("Name", ex.ParamName);
    }

    [Fact]
    public void Set_NegativeTtl_ThrowsNamingTtl()
    {
        using var cache = NewCache();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => cache.Set("a", "1", TimeSpan.FromSeconds(-1)));

        Assert.Equal("ttl", ex.ParamName);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void NullArguments_ThrowNamingArgument()
    {
        using var cache = NewCache();

        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => cache.Set(null!, "1")).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => cache.Invalidate(null!)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => cache.TryGet(null!, out _)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => cache.TryPeek(null!, out _)).ParamName);
        Assert.Equal("factory", Assert.Throws<ArgumentNullException>(() => cache.GetOrAdd("a", (Func<string, string>)null!)).ParamName);
    }

    private sealed class Resource : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
