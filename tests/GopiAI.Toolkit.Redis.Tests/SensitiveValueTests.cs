using System.Text;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Redis.Tests.TestSupport;
using GopiAI.Toolkit.Security;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GopiAI.Toolkit.Redis.Tests;

/// <summary>Sensitive values against a real Redis: encrypted before they leave the process, never logged.</summary>
public sealed class SensitiveValueTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string Secret = "TOPSECRET-4242-value";

    [Fact]
    public async Task GetOrCreateAsync_SensitiveWithKey_RedisHoldsOnlyCiphertextAndTheOtherInstanceDecrypts()
    {
        using var key = SecretBuffer.Generate(32);
        await using var one = Instance.Create(redis, key, "one");
        await using var two = Instance.Create(redis, key, "two");
        var runs = 0;

        var first = await one.Cache.GetOrCreateAsync(1, 0, (_, _, _) => { runs++; return new ValueTask<string>(Secret); });
        await redis.WaitForEntryAsync("gopi:test.secrets:1");
        var raw = await redis.ReadRawAsync("gopi:test.secrets:1");
        var second = await two.Cache.GetOrCreateAsync(1, 0, (_, _, _) => { runs++; return new ValueTask<string>("recomputed"); });

        Assert.Equal(Secret, first);
        Assert.Equal(Secret, second);
        Assert.Equal(1, runs);
        Assert.True(raw.Length > Secret.Length, "Redis holds the payload.");
        Assert.DoesNotContain("TOPSECRET", Encoding.UTF8.GetString(raw), StringComparison.Ordinal);
        Assert.DoesNotContain(one.Logs.Lines.Concat(two.Logs.Lines), line => line.Contains("TOPSECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetOrCreateAsync_OtherInstanceHasAnotherKey_RecomputesAndCountsADecodeFailure()
    {
        using var key = SecretBuffer.Generate(32);
        using var otherKey = SecretBuffer.Generate(32);
        long decodeFailures = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "gopi.cache.l2.failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var isDecode = false;
            var isL2 = false;
            foreach (var tag in tags)
            {
                isDecode |= tag.Key == "operation" && (string?)tag.Value == "decode";
                isL2 |= tag.Key == "layer" && (string?)tag.Value == "l2";
            }

            if (isDecode && isL2)
            {
                Interlocked.Add(ref decodeFailures, value);
            }
        });
        listener.Start();
        await using var one = Instance.Create(redis, key, "one");
        await using var two = Instance.Create(redis, otherKey, "two");

        await one.Cache.GetOrCreateAsync(2, 0, (_, _, _) => new ValueTask<string>(Secret));
        await redis.WaitForEntryAsync("gopi:test.secrets:2");
        var second = await two.Cache.GetOrCreateAsync(2, 0, (_, _, _) => new ValueTask<string>("recomputed"));

        Assert.Equal("recomputed", second);
        Assert.Equal(1, Interlocked.Read(ref decodeFailures));
        Assert.DoesNotContain(two.Logs.Lines, line => line.Contains("TOPSECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetOrCreateAsync_SensitiveWithoutKey_NeverReachesRedis()
    {
        await using var one = Instance.Create(redis, null, "one");

        Assert.Equal(Secret, await one.Cache.GetOrCreateAsync(3, 0, (_, _, _) => new ValueTask<string>(Secret)));
        await Task.Delay(200);

        Assert.Empty(await redis.ReadRawAsync("gopi:test.secrets:3"));
        Assert.Equal(Secret, await one.Cache.GetOrCreateAsync(3, 0, (_, _, _) => new ValueTask<string>("again")));
    }

    [Fact]
    public async Task Invalidate_SensitiveByteArrayInL1_IsZeroed()
    {
        using var key = SecretBuffer.Generate(32);
        await using var one = Instance.Create(redis, key, "one");
        var bytesCache = one.Manager.CreateTieredCache(new TieredCacheOptions<int, byte[]>
        {
            Name = "test.secret-bytes",
            DistributedKey = static k => "gopi:test.secret-bytes:" + k,
            TypeInfo = TestJson.Default.ByteArray,
            Sensitive = true,
        });
        var value = await bytesCache.GetOrCreateAsync(1, 0, (_, _, _) => new ValueTask<byte[]>(Encoding.UTF8.GetBytes(Secret)));

        await bytesCache.InvalidateAsync(1);

        Assert.All(value, b => Assert.Equal(0, b));
    }

    /// <summary>One "instance": its own container (Redis connection, HybridCache, bus) and its own CacheManager.</summary>
    private sealed class Instance : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        private Instance(ServiceProvider services, CacheManager manager, TieredCache<int, string> cache, CapturingLoggerProvider logs)
        {
            _services = services;
            Manager = manager;
            Cache = cache;
            Logs = logs;
        }

        public CacheManager Manager { get; }

        public TieredCache<int, string> Cache { get; }

        public CapturingLoggerProvider Logs { get; }

        public static Instance Create(RedisServer redis, SecretBuffer? key, string name)
        {
            var logs = new CapturingLoggerProvider();
            var services = new ServiceCollection()
                .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
                .AddGopiRedis(redis.Configuration, o => o.SensitiveValueKey = key)
                .BuildServiceProvider();
            var manager = new CacheManager();
            manager.UseDistributed(
                services.GetRequiredService<HybridCache>(),
                services.GetRequiredService<ICacheInvalidationBus>(),
                services.GetRequiredService<IOptions<DistributedCachingOptions>>().Value,
                services.GetRequiredService<DistributedCacheHealth>(),
                services.GetRequiredService<ILoggerFactory>().CreateLogger(name));
            var cache = manager.CreateTieredCache(new TieredCacheOptions<int, string>
            {
                Name = "test.secrets",
                DistributedKey = static k => "gopi:test.secrets:" + k,
                TypeInfo = TestJson.Default.String,
                Sensitive = true,
            });
            return new Instance(services, manager, cache, logs);
        }

        public async ValueTask DisposeAsync()
        {
            Manager.Dispose();
            await _services.DisposeAsync();
        }
    }
}
