using GopiAI.Toolkit.Testing;

namespace GopiAI.Toolkit.Redis.Tests.TestSupport;

/// <summary>
/// One real <c>redis-server</c> per test class, on a free loopback port, without persistence; stopped when the class is
/// done. <see cref="RestartAsync"/> brings a fresh (empty) server back on the same port, as after an outage.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private LoopbackService? _service;

    /// <summary>The port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The StackExchange.Redis configuration string of the server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Starts the server.</summary>
    public async Task InitializeAsync()
    {
        _service = await StartAsync(null);
        Port = _service.Port;
    }

    /// <summary>
    /// Waits until Redis holds the L2 entry of <paramref name="distributedKey"/> (HybridCache writes the L2 behind the call
    /// that computed the value, so another instance asking in that window computes it too).
    /// </summary>
    public async Task WaitForEntryAsync(string distributedKey)
    {
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Configuration);
        var db = connection.GetDatabase();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await db.KeyExistsAsync("gopiai:" + distributedKey))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Redis never got '{distributedKey}'.");
            await Task.Delay(10);
        }
    }

    /// <summary>Returns the raw bytes Redis holds for <paramref name="distributedKey"/> (every field of its hash).</summary>
    public async Task<byte[]> ReadRawAsync(string distributedKey)
    {
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Configuration);
        var entries = await connection.GetDatabase().HashGetAllAsync("gopiai:" + distributedKey);
        return [.. entries.SelectMany(e => (byte[])e.Value!)];
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would.</summary>
    public void Kill() => _service?.Kill();

    /// <summary>Starts a fresh server on the same port.</summary>
    public async Task RestartAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        _service = await StartAsync(Port);
    }

    /// <summary>Stops the server.</summary>
    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    private static Task<LoopbackService> StartAsync(int? port) => LoopbackService.StartAsync(
        "redis-server",
        p => ["--port", p.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        port: port);
}
