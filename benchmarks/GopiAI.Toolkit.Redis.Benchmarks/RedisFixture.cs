using GopiAI.Toolkit.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace GopiAI.Toolkit.Redis.Benchmarks;

/// <summary>A redis-server on a free loopback port and a container with AddGopiRedis, bound through UseGopiToolkit().</summary>
internal sealed class RedisFixture : IAsyncDisposable
{
    private RedisFixture(LoopbackService server, ServiceProvider services)
    {
        Server = server;
        Services = services;
    }

    public LoopbackService Server { get; }

    public ServiceProvider Services { get; }

    public IDatabase Database => Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    public static async Task<RedisFixture> StartAsync(bool bindShared)
    {
        var server = await LoopbackService.StartAsync("redis-server", p => ["--port", p.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        var services = CreateServices(server.Port);
        if (bindShared)
        {
            services.UseGopiToolkit();
        }

        return new RedisFixture(server, services);
    }

    public static ServiceProvider CreateServices(int port) =>
        new ServiceCollection().AddGopiRedis($"127.0.0.1:{port}").BuildServiceProvider();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
