using GopiAI.Toolkit.Pooling;

namespace GopiAI.Toolkit.Tests.Pooling;

public sealed class PoolFactoryTests
{
    [Fact]
    public void Create_RegistersInSharedManagerUnderTypeName()
    {
        var pool = PoolFactory.Create(() => new FactoryPooled(), p => p.Value = 0, maxRetained: 5);

        var item = pool.Get();
        item.Value = 42;
        pool.Return(item);

        var stats = ResourcePoolManager.Shared.GetStats()[nameof(FactoryPooled)];
        Assert.Equal(1, stats.Rented);
        Assert.Equal(1, stats.Returned);
        Assert.Equal(5, stats.MaxRetained);
        Assert.Equal(0, pool.Get().Value);
    }

    [Fact]
    public void Create_SharedGetObjectUsesSamePool()
    {
        var pool = PoolFactory.Create(() => new FactoryShared(), null);
        var item = pool.Get();
        pool.Return(item);

        Assert.Same(item, ResourcePoolManager.Shared.GetObject<FactoryShared>());
    }

    [Fact]
    public void Create_BadArguments_Throw()
    {
        Assert.Equal("create", Assert.Throws<ArgumentNullException>(() => PoolFactory.Create<object>(null!, null)).ParamName);
        Assert.Equal("maxRetained", Assert.Throws<ArgumentOutOfRangeException>(() => PoolFactory.Create(() => new object(), null, 0)).ParamName);
    }

    private sealed class FactoryPooled
    {
        public int Value { get; set; }
    }

    private sealed class FactoryShared;
}
