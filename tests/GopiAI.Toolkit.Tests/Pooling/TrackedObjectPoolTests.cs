using GopiAI.Toolkit.Pooling;
using Microsoft.Extensions.ObjectPool;

namespace GopiAI.Toolkit.Tests.Pooling;

public sealed class TrackedObjectPoolTests
{
    [Fact]
    public void GetReturn_ReusesObjectAndCounts()
    {
        using var pool = new TrackedObjectPool<List<int>>("lists", () => [], l => l.Clear(), maxRetained: 4);

        var first = pool.Get();
        first.Add(1);
        pool.Return(first);
        var second = pool.Get();

        Assert.Same(first, second);
        Assert.Empty(second);
        var stats = pool.GetStats();
        Assert.Equal(1, stats.Created);
        Assert.Equal(2, stats.Rented);
        Assert.Equal(1, stats.Returned);
        Assert.Equal(1, stats.Outstanding);
        Assert.Equal(0.5, stats.ReuseRate);
        Assert.Equal("lists", stats.Name);
        Assert.Equal(4, stats.MaxRetained);
    }

    [Fact]
    public void Return_ResettableRefusing_DropsObject()
    {
        using var pool = new TrackedObjectPool<Resettable>("r", () => new Resettable());
        var obj = pool.Get();
        obj.Accept = false;

        pool.Return(obj);

        Assert.NotSame(obj, pool.Get());
        Assert.Equal(2, pool.GetStats().Created);
    }

    [Fact]
    public void Return_MoreThanMaxRetained_DisposesExtraDisposables()
    {
        using var pool = new TrackedObjectPool<Disposable>("d", () => new Disposable(), maxRetained: 1);
        var rented = Enumerable.Range(0, 4).Select(_ => pool.Get()).ToList();

        rented.ForEach(pool.Return);

        Assert.True(rented.Count(d => d.Disposed) >= 2);
        Assert.Equal(0, pool.GetStats().Outstanding);
    }

    [Fact]
    public void DrainIdle_RetainedObjects_DisposedAndCounted()
    {
        using var pool = new TrackedObjectPool<Disposable>("d", () => new Disposable(), maxRetained: 8);
        var rented = Enumerable.Range(0, 3).Select(_ => pool.Get()).ToList();
        rented.ForEach(pool.Return);

        var drained = pool.DrainIdle();

        Assert.Equal(3, drained);
        Assert.All(rented, d => Assert.True(d.Disposed));
        Assert.Equal(3, pool.GetStats().Drained);
        Assert.Equal(0, pool.DrainIdle());
        Assert.False(pool.Get().Disposed);
    }

    [Fact]
    public void Dispose_DisposesRetainedObjects()
    {
        var pool = new TrackedObjectPool<Disposable>("d", () => new Disposable());
        var obj = pool.Get();
        pool.Return(obj);

        pool.Dispose();

        Assert.True(obj.Disposed);
    }

    [Fact]
    public void Get_CreateThrows_PoolStaysUsable()
    {
        var fail = true;
        using var pool = new TrackedObjectPool<object>("o", () => fail ? throw new InvalidOperationException("boom") : new object());

        Assert.Throws<InvalidOperationException>(() => pool.Get());
        fail = false;
        var obj = pool.Get();
        pool.Return(obj);

        Assert.Same(obj, pool.Get());
        Assert.Equal(1, pool.GetStats().Created);
    }

    [Fact]
    public void Constructor_BadArguments_ThrowNamingThem()
    {
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new TrackedObjectPool<object>("", () => new object())).ParamName);
        Assert.Equal("create", Assert.Throws<ArgumentNullException>(() => new TrackedObjectPool<object>("x", null!)).ParamName);
        Assert.Equal("maxRetained", Assert.Throws<ArgumentOutOfRangeException>(() => new TrackedObjectPool<object>("x", () => new object(), null, -1)).ParamName);
        using var pool = new TrackedObjectPool<object>("x", () => new object());
        Assert.Equal("obj", Assert.Throws<ArgumentNullException>(() => pool.Return(null!)).ParamName);
    }

    [Fact]
    public void RentReturn_TwoThreads_CountsAddUp()
    {
        using var pool = new TrackedObjectPool<object>("soak", () => new object(), maxRetained: 2);

        void Work()
        {
            for (var i = 0; i < 20_000; i++)
            {
                pool.Return(pool.Get());
            }
        }

        Parallel.Invoke(Work, Work);

        var stats = pool.GetStats();
        Assert.Equal(40_000, stats.Rented);
        Assert.Equal(40_000, stats.Returned);
        Assert.Equal(0, stats.Outstanding);
        Assert.InRange(stats.Created, 1, 40_000);
    }

    private sealed class Resettable : IResettable
    {
        public bool Accept { get; set; } = true;

        public bool TryReset() => Accept;
    }

    private sealed class Disposable : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
