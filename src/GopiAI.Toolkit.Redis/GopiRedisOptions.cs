using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Security;
using StackExchange.Redis;

namespace GopiAI.Toolkit.Redis;

/// <summary>Settings of <c>services.AddGopiRedis(configuration, configure)</c>.</summary>
public sealed class GopiRedisOptions
{
    /// <summary>Gets or sets the prefix of every Redis key the cache writes (default <c>gopiai:</c>), so that applications sharing a Redis do not collide.</summary>
    public string InstanceName { get; set; } = "gopiai:";

    /// <summary>Gets or sets the pub/sub channel of the invalidation bus (default <c>gopiai:cache:invalidations</c>). Instances that share caches must use the same channel.</summary>
    public string InvalidationChannel { get; set; } = "gopiai:cache:invalidations";

    /// <summary>
    /// Gets or sets the longest a Redis operation may take before it counts as failed and the call goes on without the L2
    /// (default 500 ms; StackExchange.Redis <c>SyncTimeout</c>/<c>AsyncTimeout</c>).
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets the longest a connection attempt may take (default 2 s). Startup never waits for Redis: the connection is retried in the background.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long the L2 is skipped after a failure before it is tried again (default 1 s).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the L2 lifetime of entries whose method or named cache has no time to live (default 1 hour).</summary>
    public TimeSpan DefaultExpiration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the 32-byte key that encrypts sensitive values (AES-256-GCM) before they reach Redis; every instance needs
    /// the same key (e.g. <c>SecretBuffer.FromEnvironmentVariable("GOPI_CACHE_KEY")</c>). Without it sensitive values stay in process.
    /// </summary>
    public SecretBuffer? SensitiveValueKey { get; set; }

    /// <summary>Gets or sets a hook that adjusts the StackExchange.Redis configuration after the toolkit's defaults are applied.</summary>
    public Action<ConfigurationOptions>? ConfigureConnection { get; set; }

    internal DistributedCachingOptions ToCachingOptions() => new()
    {
        DefaultExpiration = DefaultExpiration,
        SensitiveValueKey = SensitiveValueKey,
    };
}
