namespace GopiAI.Toolkit;

/// <summary>
/// Caches the results of a <c>partial</c> method. The GopiAI.Toolkit source generator writes the method's body: it looks the
/// arguments up in an <c>LruCache&lt;TKey, TValue&gt;</c> and only calls the user-written <c>{Method}Core</c> method
/// on a miss. Supported return types are <c>T</c>, <see cref="Task{TResult}"/> and <see cref="ValueTask{TResult}"/>.
/// </summary>
/// <remarks>
/// <para>The cache key is a generated <c>record struct</c> of the parameter values. <see cref="CancellationToken"/> parameters
/// and parameters marked with <see cref="NotCacheKeyAttribute"/> are not part of the key.</para>
/// <para>Instance methods get one cache per instance, static methods one cache per type, unless <see cref="Cache"/> names a
/// shared cache of <c>CacheManager</c>. Concurrent callers with the same key run <c>Core</c> once; exceptions
/// and cancelled tasks are never cached. The generator also writes <c>Invalidate{Method}(…)</c> and
/// <c>InvalidateAll{Method}()</c>.</para>
/// <para>Misuse is reported at compile time by the GOPI0001–GOPI0007 diagnostics; the attribute itself never throws.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CachedAttribute : Attribute
{
    /// <summary>Caches results without a time to live: entries leave the cache only when it is full or invalidated.</summary>
    public CachedAttribute()
    {
    }

    /// <summary>Caches results for <paramref name="ttlSeconds"/> seconds.</summary>
    /// <param name="ttlSeconds">Time to live of an entry in seconds; must be greater than zero (checked by GOPI0007).</param>
    public CachedAttribute(int ttlSeconds)
    {
        TtlSeconds = ttlSeconds;
    }

    /// <summary>Gets the time to live in seconds given to the constructor, or 0 when none was given.</summary>
    public int TtlSeconds { get; }

    /// <summary>
    /// Gets or sets the time to live as a <see cref="TimeSpan"/> string such as <c>"00:05:00"</c> or <c>"1.00:00:00"</c>
    /// (invariant culture). When set it takes precedence over <see cref="TtlSeconds"/>.
    /// </summary>
    public string? Ttl { get; set; }

    /// <summary>Gets or sets a value indicating whether each hit restarts the time to live (sliding expiration).</summary>
    public bool Sliding { get; set; }

    /// <summary>Gets or sets the most entries the method's cache holds; 0 (the default) means 1000.</summary>
    public int MaxSize { get; set; }

    /// <summary>
    /// Gets or sets the name of a <c>CacheManager</c> cache to store results in instead of a private cache.
    /// A named cache is shared by every instance of the type and keeps its own size limit.
    /// </summary>
    public string? Cache { get; set; }

    /// <summary>Gets or sets a value indicating whether <see langword="null"/> results are cached too.</summary>
    public bool CacheNull { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether results are shared with the other instances of the application through the
    /// distributed cache bound by <c>services.AddGopiRedis(...)</c> and <c>provider.UseGopiToolkit()</c>: an in-process layer
    /// in front of <c>HybridCache</c> (Redis), keyed by <c>gopi:{Namespace.Type}.{Method}:{arg1}|{arg2}…</c>, with results
    /// serialized by JSON metadata the generator writes (no reflection; GOPI0011 reports a return type it cannot serialize).
    /// <c>Invalidate{Method}</c> and <c>InvalidateAll{Method}</c> then reach every instance. One cache per type (instances share it).
    /// Without a bound distributed cache the method caches in process only.
    /// </summary>
    public bool Distributed { get; set; }

    /// <summary>
    /// Gets or sets the tags of each entry, for <c>CacheManager.InvalidateTagAsync(tag)</c>: constants (<c>"users"</c>) or
    /// templates over key parameters (<c>"user:{userId}"</c>; GOPI0012 reports a placeholder that is not a key parameter).
    /// Used with <see cref="Distributed"/>.
    /// </summary>
    public string[]? Tags { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether results are sensitive: never logged, zeroed (<c>byte[]</c>, <c>char[]</c>,
    /// <c>Memory&lt;byte&gt;</c>) or disposed when they leave the cache, and encrypted (AES-GCM) before they reach the distributed
    /// cache — kept out of it when no key is configured.
    /// </summary>
    public bool Sensitive { get; set; }
}
