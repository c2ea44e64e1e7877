namespace GopiAI.Toolkit.Redis.Tests.TestSupport;

/// <summary>
/// Two instances of the host app (separate processes) sharing one real Redis: <see cref="A"/> computes, <see cref="B"/>
/// is served what A put there. Disposing stops both.
/// </summary>
public sealed class TwoHosts : IAsyncDisposable
{
    private const string Catalog = "gopi:GopiAI.Toolkit.Redis.Host.Catalog.";
    private readonly RedisServer _redis;

    private TwoHosts(RedisServer redis, HostProcess a, HostProcess b)
    {
        _redis = redis;
        A = a;
        B = b;
    }

    /// <summary>The instance that computes first.</summary>
    public HostProcess A { get; }

    /// <summary>The other instance.</summary>
    public HostProcess B { get; }

    /// <summary>The distributed key of a method of the host's catalog, in the documented format gopi:{Namespace.Type}.{Method}:{arg1}|{arg2}….</summary>
    public static string Key(string method, string arguments) => Catalog + method + ":" + arguments;

    /// <summary>The distributed key of <c>GetProfileAsync(id)</c>.</summary>
    public static string Profile(int id) => Key("GetProfileAsync", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Starts both hosts against <paramref name="redis"/>.</summary>
    public static async Task<TwoHosts> StartAsync(RedisServer redis)
    {
        var a = await HostProcess.StartAsync(redis.Port);
        try
        {
            return new TwoHosts(redis, a, await HostProcess.StartAsync(redis.Port));
        }
        catch
        {
            await a.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Has <see cref="A"/> run <paramref name="command"/>, waits until its value is in Redis under <paramref name="key"/>,
    /// then has <see cref="B"/> run the same command; returns both answers.
    /// </summary>
    public async Task<(string FromA, string FromB)> ShareAsync(string command, string key)
    {
        var fromA = await A.SendAsync(command);
        await _redis.WaitForEntryAsync(key);
        return (fromA, await B.SendAsync(command));
    }

    /// <summary><see cref="ShareAsync"/> of the profile <paramref name="id"/>.</summary>
    public Task<(string FromA, string FromB)> ShareProfileAsync(int id) =>
        ShareAsync("profile " + id.ToString(System.Globalization.CultureInfo.InvariantCulture), Profile(id));

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
