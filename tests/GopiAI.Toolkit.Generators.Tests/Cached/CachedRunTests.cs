using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Generators.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Generators.Tests.Cached;

/// <summary>Compiles [Cached] methods with the generator, loads them and checks what the generated code does.</summary>
[Collection(RunCollection.Name)]
public sealed class CachedRunTests : IDisposable
{
    private const string Source = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using GopiAI.Toolkit;

        namespace Run.Cached;

        public sealed record Forecast(string City, int Version);

        public partial class WeatherService
        {
            private int _calls;
            public int Calls => _calls;
            public TaskCompletionSource? Gate { get; set; }
            public bool Fail { get; set; }

            [Cached(300)]
            public partial Task<Forecast> GetForecastAsync(string city, CancellationToken ct = default);
            private async Task<Forecast> GetForecastAsyncCore(string city, CancellationToken ct)
            {
                var version = Interlocked.Increment(ref _calls);
                if (Gate is { } gate) { await gate.Task.ConfigureAwait(false); }
                await Task.Yield();
                if (Fail) { throw new InvalidOperationException("boom"); }
                return new Forecast(city, version);
            }

            [Cached(60)]
            public partial int Square(int x, [NotCacheKey] string note);
            private int SquareCore(int x, string note) { Interlocked.Increment(ref _calls); return x * x + note.Length * 0; }

            [Cached(Ttl = "00:00:10", Sliding = true)]
            public partial ValueTask<string> EchoAsync(string text);
            private ValueTask<string> EchoAsyncCore(string text) { Interlocked.Increment(ref _calls); return new(text + "#" + _calls); }

            [Cached(60, Cache = "run-named")]
            public partial string Named(int id);
            private string NamedCore(int id) { Interlocked.Increment(ref _calls); return "n" + id; }

            private static int s_staticCalls;
            public static int StaticCalls => s_staticCalls;

            [Cached]
            public static partial string? Lookup(int id);
            private static string? LookupCore(int id) { Interlocked.Increment(ref s_staticCalls); return id < 0 ? null : "item" + id; }
        }
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TimeProvider _previous = CacheManager.Shared.TimeProvider;
    private readonly LoadedAssembly _assembly;

    public CachedRunTests()
    {
        CacheManager.Shared.TimeProvider = _time;
        _assembly = GeneratorHarness.CompileAndLoad(Source);
    }

    public void Dispose()
    {
        CacheManager.Shared.TimeProvider = _previous;
        _assembly.Dispose();
    }

    [Fact]
    public async Task GetForecastAsync_SecondCall_IsHit()
    {
        var service = _assembly.Create("Run.Cached.WeatherService");

        var first = await service.GetForecastAsync("Paris", CancellationToken.None);
        var second = await service.GetForecastAsync("Paris", CancellationToken.None);
        var other = await service.GetForecastAsync("Oslo", CancellationToken.None);

        Assert.Same(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(2, (int)service.Calls);
    }

    [Fact]
    public async Task GetForecastAsync_AfterTtl_RunsCoreAgain()
    {
        var service = _assembly.Create("Run.Cached.WeatherService");
        await service.GetForecastAsync("Paris", CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(299));
        await service.GetForecastAsync("Paris", CancellationToken.None);
        Assert.Equal(1, (int)service.Calls);

        _time.Advance(TimeSpan.FromSeconds(2));
        var refreshed = await service.GetForecastAsync("Paris", CancellationToken.None);
        Assert.Equal(2, (int)service.Calls);
        Assert.Equal(2, (int)refreshed.Version);
    }

    [Fact]
    public async Task EchoAsync_SlidingTtl_HitsKeepEntryAlive()
    {
        var service = _assembly.Create("Run.Cached.WeatherService");
        var first = await service.EchoAsync("a");
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(8));
            Assert.Equal(first, await service.EchoAsync("a"));
        }

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.NotEqual(first, await service.EchoAsync("a"));
        Assert.Equal(2, (int)service.Calls);
    }

    [Fact]
    public async Task InvalidateGetForecastAsync_OneKey_OnlyThatKeyRecomputed()
    {
        var service = _assembly.Create("Run.Cached.WeatherService");
        await service.GetForecastAsync("Paris", CancellationToken.None);
        await service.GetForecastAsync("Oslo", CancellationToken.None);

        Assert.True((bool)service.InvalidateGetForecastAsync("Paris"));
        Assert.False((bool)service.InvalidateGetForecastAsync("Rome"));
        await service.GetForecastAsync("Paris", CancellationToken.None);
        await service.GetForecastAsync("Oslo", CancellationToken.None);

        Assert.Equal(3, (int)service.Calls);
    }

    [Fact]
    public void InvalidateAllSquare_AfterCalls_EverythingRecomputed()
    {
        var service = _assembly.Create("Run.Cached.WeatherService");
        service.Square(2, "a");
        service.Square(3, "a");

        service.InvalidateAllSquare();
        service.Square(2, "b");
        service.Square(3, "b");

        Assert.Equal(4, (int)service.Calls);
    }

    [Fact]
    public void Square_NotCacheKeyParameterDiffers_SharesEntry()
    {
        var service = _assembly.Create("Run.Cached.WeatherService");

        Assert.Equal(16, (int)service.Square(4, "first"));
        Assert.Equal(16, (int)service.Square(4, "second note"));

        Assert.Equal(1, (int)service.Calls);
    }

    [Fact]
    public void Square_TwoInstances_EachHasOwnCache()
    {
        var a = _assembly.Create("Run.Cached.WeatherService");
        var b = _assembly.Create("Run.Cached.WeatherService");

        a.Square(5, "x");
        a.Square(5, "x");
        b.Square(5, "x");

        Assert.Equal(1, (int)a.Calls);
        Assert.Equal(1, (int)b.Calls);
    }

    [Fact]
    public void Lookup_StaticMethod_CachedPerTypeAndNullNotCached()
    {
        var before = (int)_assembly.GetStatic("Run.Cached.WeatherService", "StaticCalls")!;

        Assert.Equal("item7", _assembly.InvokeStatic("Run.Cached.WeatherService", "Lookup", 7));
        Assert.Equal("item7", _assembly.InvokeStatic("Run.Cached.WeatherService", "Lookup", 7));
        Assert.Null(_assembly.InvokeStatic("Run.Cached.WeatherService", "Lookup", -1));
        Assert.Null(_assembly.InvokeStatic("Run.Cached.WeatherService", "Lookup", -1));

        Assert.Equal(before + 3, (int)_assembly.GetStatic("Run.Cached.WeatherService", "StaticCalls")!);
    }

    [Fact]
    public void Named_SharedCache_HitAcrossInstancesAndMethodTtlApplies()
    {
        CacheManager.Shared.Invalidate("run-named");
        var a = _assembly.Create("Run.Cached.WeatherService");
        var b = _assembly.Create("Run.Cached.WeatherService");

        Assert.Equal("n1", (string)a.Named(1));
        Assert.Equal("n1", (string)b.Named(1));
        Assert.Equal(0, (int)b.Calls);

        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("n1", (string)b.Named(1));
        Assert.Equal(1, (int)b.Calls);
    }

    [Fact]
    public async Task GetForecastAsync_ConcurrentCallers_RunCoreOnce()
    {
        var service = _assembly.Create("Run.Cached.WeatherService");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        service.Gate = gate;

        var callers = Enumerable.Range(0, 16)
            .Select(_ => Task.Run(async () => (object)await service.GetForecastAsync("Paris", CancellationToken.None)))
            .ToArray();
        while ((int)service.Calls == 0)
        {
            await Task.Yield();
        }

        gate.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, (int)service.Calls);
        Assert.All(results, r => Assert.Same(results[0], r));
    }

    [Fact]
    public async Task GetForecastAsync_CoreThrows_ExceptionNotCached()
    {
        var service = _assembly.Create("Run.Cached.WeatherService");
        service.Fail = true;

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await service.GetForecastAsync("Paris", CancellationToken.None));
        service.Fail = false;
        var forecast = await service.GetForecastAsync("Paris", CancellationToken.None);

        Assert.Equal(2, (int)forecast.Version);
    }

    [Fact]
    public async Task GetForecastAsync_Statistics_VisibleThroughCacheManager()
    {
        var service = _assembly.Create("Run.Cached.WeatherService");
        await service.GetForecastAsync("Paris", CancellationToken.None);
        await service.GetForecastAsync("Paris", CancellationToken.None);

        var stats = CacheManager.Shared.GetStats()["Run.Cached.WeatherService.GetForecastAsync"];

        Assert.Equal(1, stats.Hits);
        Assert.Equal(1, stats.Misses);
    }
}
