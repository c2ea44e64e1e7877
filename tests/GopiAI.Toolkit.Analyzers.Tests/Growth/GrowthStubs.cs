namespace GopiAI.Toolkit.Analyzers.Tests.Growth;

/// <summary>Source stubs of the runtime types the growth code fixes emit (signatures as in src/GopiAI.Toolkit/Caching).</summary>
internal static class GrowthStubs
{
    /// <summary><c>LruCache&lt;TKey, TValue&gt;</c> and <c>LruCacheOptions</c>.</summary>
    public const string LruCache = """
        namespace GopiAI.Toolkit.Caching
        {
            public sealed class LruCacheOptions
            {
                public int MaxSize { get; set; } = 1000;
            }

            public sealed class LruCache<TKey, TValue> : System.IDisposable
                where TKey : notnull
            {
                public LruCache(LruCacheOptions options) { }
                public int Count => 0;
                public bool TryGet(TKey key, out TValue value) { value = default!; return false; }
                public void Set(TKey key, TValue value, System.TimeSpan? ttl = null) { }
                public TValue GetOrAdd(TKey key, System.Func<TKey, TValue> factory) => factory(key);
                public TValue GetOrAdd<TArg>(TKey key, System.Func<TKey, TArg, TValue> factory, TArg factoryArgument) => factory(key, factoryArgument);
                public bool Invalidate(TKey key) => false;
                public void Clear() { }
                public void Dispose() { }
            }
        }
        """;
}
