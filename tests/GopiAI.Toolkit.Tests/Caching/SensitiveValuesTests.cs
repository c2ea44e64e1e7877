using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class SensitiveValuesTests
{
    [Fact]
    public void Invalidate_SensitiveByteArray_IsZeroed()
    {
        using var cache = new LruCache<string, byte[]>(new LruCacheOptions { SensitiveValues = true });
        var secret = "s3cr3t"u8.ToArray();
        cache.Set("k", secret);

        cache.Invalidate("k");

        Assert.All(secret, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Eviction_SensitiveCharArray_IsZeroedWhenCapacityEvictsIt()
    {
        using var cache = new LruCache<int, char[]>(new LruCacheOptions { MaxSize = 1, SensitiveValues = true, EvictionPolicy = CacheEvictionPolicy.Lru });
        var first = "password".ToCharArray();
        cache.Set(1, first);

        cache.Set(2, "other".ToCharArray());
        cache.RunMaintenance();

        Assert.All(first, c => Assert.Equal('\0', c));
    }

    [Fact]
    public void Clear_SensitiveMemoryAndDisposable_AreZeroedAndDisposed()
    {
        using var cache = new LruCache<int, object>(new LruCacheOptions { SensitiveValues = true });
        var buffer = new byte[] { 1, 2, 3 };
        var disposable = new Token();
        cache.Set(1, new Memory<byte>(buffer));
        cache.Set(2, disposable);

        cache.Clear();

        Assert.All(buffer, b => Assert.Equal(0, b));
        Assert.True(disposable.Disposed);
    }

    [Fact]
    public void Set_SameSensitiveInstanceAgain_IsNotZeroed()
    {
        using var cache = new LruCache<string, byte[]>(new LruCacheOptions { SensitiveValues = true });
        var secret = new byte[] { 7, 7 };
        cache.Set("k", secret);

        cache.Set("k", secret);

        Assert.Equal(new byte[] { 7, 7 }, secret);
    }

    [Fact]
    public void Invalidate_NotSensitive_LeavesTheValueAlone()
    {
        using var cache = new LruCache<string, byte[]>(new LruCacheOptions());
        var value = new byte[] { 9 };
        cache.Set("k", value);

        cache.Invalidate("k");

        Assert.Equal(9, value[0]);
    }

    [Fact]
    public void NamedCache_MarkedSensitive_ZeroesOnInvalidate()
    {
        var options = new CacheManagerOptions();
        options.Caches["secrets"] = new NamedCacheOptions { Sensitive = true };
        using var manager = new CacheManager(options);
        var secret = new byte[] { 5, 5 };
        manager.Set("secrets", "k", secret);

        manager.Invalidate("secrets", "k");

        Assert.All(secret, b => Assert.Equal(0, b));
    }

    private sealed class Token : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
