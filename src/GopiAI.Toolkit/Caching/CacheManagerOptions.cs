namespace GopiAI.Toolkit.Caching;

/// <summary>Settings of one named cache in <see cref="CacheManagerOptions.Caches"/>. Bindable from configuration.</summary>
public sealed class NamedCacheOptions
{
    /// <summary>Gets or sets the capacity in entries (default 1000). Must be greater than zero.</summary>
    public int MaxSize { get; set; } = 1000;

    /// <summary>Gets or sets the time to live of entries; <see langword="null"/> means no expiry.</summary>
    public TimeSpan? DefaultTtl { get; set; }

    /// <summary>Gets or sets a value indicating whether hits restart the time to live.</summary>
    public bool Sliding { get; set; }

    /// <summary>Gets or sets a value indicating whether disposable values are disposed when they leave the cache.</summary>
    public bool DisposeEvictedValues { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the cache is shared between instances through the distributed layer bound by
    /// <c>UseGopiToolkit()</c>: <see cref="CacheManager.GetOrCreateAsync{T}"/> then reads and writes Redis behind its
    /// in-process layer, and <see cref="CacheManager.Invalidate"/> reaches every instance. Keys are
    /// <c>gopi:{cacheName}:{key}</c>. Without a bound L2 the cache stays in process.
    /// </summary>
    public bool Distributed { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the cache's values are sensitive: zeroed or disposed when they leave the cache
    /// (see <see cref="LruCacheOptions.SensitiveValues"/>) and never logged or reported.
    /// </summary>
    public bool Sensitive { get; set; }

    /// <summary>Gets or sets the eviction policy (default <see cref="CacheEvictionPolicy.WTinyLfu"/>).</summary>
    public CacheEvictionPolicy EvictionPolicy { get; set; } = CacheEvictionPolicy.WTinyLfu;

    /// <summary>Converts these settings into <see cref="LruCacheOptions"/> for a cache called <paramref name="name"/>.</summary>
    /// <param name="name">The cache name.</param>
    /// <param name="timeProvider">The time source.</param>
    /// <returns>The cache options.</returns>
    public LruCacheOptions ToLruCacheOptions(string name, TimeProvider timeProvider) => new()
    {
        Name = name,
        MaxSize = MaxSize,
        DefaultTtl = DefaultTtl,
        Sliding = Sliding,
        DisposeEvictedValues = DisposeEvictedValues,
        SensitiveValues = Sensitive,
        EvictionPolicy = EvictionPolicy,
        TimeProvider = timeProvider,
    };
}

/// <summary>Settings of a <see cref="CacheManager"/>: its named caches and how it reacts to memory pressure. Bindable from configuration.</summary>
public sealed class CacheManagerOptions
{
    /// <summary>The seed's "models" cache: 100 entries, 2 hours.</summary>
    public const string Models = "models";

    /// <summary>The seed's "tools" cache: 50 entries, 1 hour.</summary>
    public const string Tools = "tools";

    /// <summary>The seed's "web_content" cache: 200 entries, 30 minutes.</summary>
    public const string WebContent = "web_content";

    /// <summary>The seed's "api_responses" cache: 500 entries, 5 minutes.</summary>
    public const string ApiResponses = "api_responses";

    /// <summary>
    /// Gets the named caches, pre-filled with the seed's defaults (<c>models</c> 100 / 2 h, <c>tools</c> 50 / 1 h,
    /// <c>web_content</c> 200 / 30 min, <c>api_responses</c> 500 / 5 min). Add or change entries to configure more.
    /// </summary>
    public IDictionary<string, NamedCacheOptions> Caches { get; } = new Dictionary<string, NamedCacheOptions>(StringComparer.Ordinal)
    {
        [Models] = new() { MaxSize = 100, DefaultTtl = TimeSpan.FromHours(2) },
        [Tools] = new() { MaxSize = 50, DefaultTtl = TimeSpan.FromHours(1) },
        [WebContent] = new() { MaxSize = 200, DefaultTtl = TimeSpan.FromMinutes(30) },
        [ApiResponses] = new() { MaxSize = 500, DefaultTtl = TimeSpan.FromMinutes(5) },
    };

    /// <summary>Gets or sets the settings for caches requested by a name that is not in <see cref="Caches"/> (default 1000 entries, no expiry).</summary>
    public NamedCacheOptions DefaultCache { get; set; } = new();

    /// <summary>Gets or sets the share of entries each cache drops on a moderate memory-pressure signal (default 0.25); a high signal drops twice as much, a critical one everything.</summary>
    public double PressureTrimFraction { get; set; } = 0.25;

    /// <summary>Gets or sets a value indicating whether the manager trims its caches when its memory monitor signals pressure (default <see langword="true"/>).</summary>
    public bool TrimOnMemoryPressure { get; set; } = true;
}
