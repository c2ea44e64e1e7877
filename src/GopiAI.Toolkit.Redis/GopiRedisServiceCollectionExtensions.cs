using System.Diagnostics.Metrics;
using GopiAI.Toolkit;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Redis;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Redis as the second level of the toolkit's caches.</summary>
public static class GopiRedisServiceCollectionExtensions
{
    /// <summary>
    /// Registers, on one shared <see cref="IConnectionMultiplexer"/>: the Redis <see cref="IDistributedCache"/> (wrapped so
    /// that Redis failures are counted and never thrown), <c>HybridCache</c> over it, and the <see cref="ICacheInvalidationBus"/>
    /// on Redis pub/sub. Call <c>provider.UseGopiToolkit()</c> after building the provider to bind them to
    /// <see cref="CacheManager.Shared"/>. Startup does not wait for Redis: an unreachable server degrades to in-process caching.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string, e.g. <c>localhost:6379</c>.</param>
    /// <param name="configure">Adjusts <see cref="GopiRedisOptions"/>.</param>
    /// <returns>The same collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is null, empty or white space.</exception>
    public static IServiceCollection AddGopiRedis(this IServiceCollection services, string configuration, Action<GopiRedisOptions>? configure = null)
    {
        Throw.IfNull(services);
        Throw.IfNullOrWhiteSpace(configuration);
        var options = new GopiRedisOptions();
        configure?.Invoke(options);
        Throw.IfNotPositive(options.OperationTimeout, paramName: nameof(options.OperationTimeout));
        Throw.IfNotPositive(options.ConnectTimeout, paramName: nameof(options.ConnectTimeout));
        Throw.IfNullOrWhiteSpace(options.InvalidationChannel, nameof(options.InvalidationChannel));

        services.AddOptions();
        services.TryAddSingleton(options);
        services.TryAddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(BuildConfiguration(configuration, options)));
        services.TryAddSingleton(sp => new DistributedCacheHealth(
            sp.GetService<IMeterFactory>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("GopiAI.Toolkit.Caching"),
            sp.GetService<TimeProvider>())
        {
            RetryAfter = options.RetryAfter,
        });
        services.TryAddSingleton<IDistributedCache>(sp =>
        {
            var connection = sp.GetRequiredService<IConnectionMultiplexer>();
            var redis = new RedisCache(Options.Options.Create(new RedisCacheOptions
            {
                InstanceName = options.InstanceName,
                ConnectionMultiplexerFactory = () => Task.FromResult(connection),
            }));
            return new ResilientDistributedCache(redis, sp.GetRequiredService<DistributedCacheHealth>());
        });
        services.TryAddSingleton<ICacheInvalidationBus>(sp => new RedisInvalidationBus(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            options.InvalidationChannel,
            sp.GetService<ILoggerFactory>()?.CreateLogger<RedisInvalidationBus>()));
        services.TryAddSingleton<IOptions<DistributedCachingOptions>>(_ => Options.Options.Create(options.ToCachingOptions()));
        services.AddHybridCache(hybrid =>
        {
            hybrid.DefaultEntryOptions = new Microsoft.Extensions.Caching.Hybrid.HybridCacheEntryOptions { Expiration = options.DefaultExpiration };
        });
        return services;
    }

    private static ConfigurationOptions BuildConfiguration(string configuration, GopiRedisOptions options)
    {
        var config = ConfigurationOptions.Parse(configuration);
        config.AbortOnConnectFail = false;
        config.ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds;
        config.SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        config.AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        config.ConnectRetry = 1;
        config.ReconnectRetryPolicy = new LinearRetry(250);

        // A cache has no use for commands queued while disconnected: fail at once, so the call goes on without the L2.
        config.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConfigureConnection?.Invoke(config);
        return config;
    }
}
