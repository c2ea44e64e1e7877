using GopiAI.Toolkit.Pooling;

namespace GopiAI.Toolkit.Tests.Pooling;

public sealed class PooledLeaseTests
{
    [Fact]
    public void Dispose_ReturnsValueOnce()
    {
        using var pool = new TrackedObjectPool<object>("lease", () => new object());
        object rented;
        var lease = new PooledLease<object>(pool);
        rented = lease.Value;

        lease.Dispose();
        lease.Dispose();

        var stats = pool.GetStats();
        Assert.Equal(1, stats.Rented);
        Assert.Equal(1, stats.Returned);
        Assert.Same(rented, pool.Get());
    }

    [Fact]
    public void Value_AfterDispose_ThrowsObjectDisposed()
    {
        using var pool = new TrackedObjectPool<object>("lease2", () => new object());
        var lease = new PooledLease<object>(pool);
        lease.Dispose();

        var threw = false;
        try
        {
            _ = lease.Value;
        }
        catch (ObjectDisposedException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    [Fact]
    public void UsingBlock_ReturnsOnExit()
    {
        using var pool = new TrackedObjectPool<List<int>>("lease3", () => [], l => l.Clear());
        using (var lease = new PooledLease<List<int>>(pool))
        {
            lease.Value.Add(1);
            Assert.Equal(1, pool.GetStats().Outstanding);
        }

        Assert.Equal(0, pool.GetStats().Outstanding);
    }

    [Fact]
    public void Constructor_NullPool_ThrowsNamingPool()
    {
        var threw = false;
        try
        {
            _ = new PooledLease<object>(null!);
        }
        catch (ArgumentNullException ex)
        {
            threw = ex.ParamName == "pool";
        }

        Assert.True(threw);
    }
}
