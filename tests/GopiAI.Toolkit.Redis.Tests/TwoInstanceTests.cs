using GopiAI.Toolkit.Redis.Tests.TestSupport;

namespace GopiAI.Toolkit.Redis.Tests;

/// <summary>
/// Two instances of the same app, in separate processes, sharing one real Redis: what one computes the other serves without
/// running the method, and invalidations in one reach the other.
/// </summary>
public sealed class TwoInstanceTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string Catalog = "gopi:GopiAI.Toolkit.Redis.Host.Catalog.";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>The documented key format: gopi:{Namespace.Type}.{Method}:{arg1}|{arg2}….</summary>
    internal static string Profile(int id) => Catalog + "GetProfileAsync:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task GetProfile_ComputedInOneInstance_ServedToTheOtherWithoutRunningTheMethod()
    {
        await using var a = await HostProcess.StartAsync(redis.Port);
        await using var b = await HostProcess.StartAsync(redis.Port);

        var fromA = await a.SendAsync("profile 2");
        await redis.WaitForEntryAsync(Profile(2));
        var fromB = await b.SendAsync("profile 2");

        Assert.Equal(fromA, fromB);
        Assert.Equal(1, await a.RunsAsync("profile"));
        Assert.Equal(0, await b.RunsAsync("profile"));
    }

    [Fact]
    public async Task RoundTrip_RecordsCollectionsAndNullables_ArriveIntactInTheOtherInstance()
    {
        await using var a = await HostProcess.StartAsync(redis.Port);
        await using var b = await HostProcess.StartAsync(redis.Port);

        // 102: null Age; 104: a date with an offset and a null Note; 107: null Seen, one role.
        foreach (var id in new[] { 102, 104, 107 })
        {
            var fromA = await a.SendAsync("profile " + id);
            await redis.WaitForEntryAsync(Profile(id));
            Assert.Equal(fromA, await b.SendAsync("profile " + id));
        }

        Assert.Equal("104;user-104;[admin,editor];{p50=156,p99=1066};124;2026-12-03T10:00:44.0000000+01:00;Paid;null", await b.SendAsync("profile 104"));
        Assert.Equal("5,null,-5", await a.SendAsync("numbers hello"));
        await redis.WaitForEntryAsync(Catalog + "GetNumbersAsync:hello");
        Assert.Equal("5,null,-5", await b.SendAsync("numbers hello"));
        Assert.Equal("described 9", await a.SendAsync("describe 9"));
        await redis.WaitForEntryAsync(Catalog + "Describe:9");
        Assert.Equal("described 9", await b.SendAsync("describe 9"));
        Assert.Equal("null", await a.SendAsync("describe -1"));
        await redis.WaitForEntryAsync(Catalog + "Describe:-1");
        Assert.Equal("null", await b.SendAsync("describe -1"));

        Assert.Equal(0, await b.RunsAsync("profile"));
        Assert.Equal(0, await b.RunsAsync("numbers"));
        Assert.Equal(0, await b.RunsAsync("describe"));
    }

    [Fact]
    public async Task InvalidateProfile_InOneInstance_DropsTheOthersCopy()
    {
        await using var a = await HostProcess.StartAsync(redis.Port);
        await using var b = await HostProcess.StartAsync(redis.Port);
        await a.SendAsync("profile 21");
        await redis.WaitForEntryAsync(Profile(21));
        await b.SendAsync("profile 21");
        Assert.Equal("1", await b.SendAsync("size GetProfileAsync"));

        await a.SendAsync("invalidate-profile 21");

        await WaitUntilAsync(async () => await b.SendAsync("size GetProfileAsync") == "0");
        await b.SendAsync("profile 21");
        Assert.Equal(1, await b.RunsAsync("profile"));
    }

    [Fact]
    public async Task InvalidateTag_InOneInstance_DropsTaggedEntriesInTheOther()
    {
        await using var a = await HostProcess.StartAsync(redis.Port);
        await using var b = await HostProcess.StartAsync(redis.Port);
        await a.SendAsync("profile 31");
        await a.SendAsync("profile 32");
        await redis.WaitForEntryAsync(Profile(31));
        await redis.WaitForEntryAsync(Profile(32));
        await b.SendAsync("profile 31");
        await b.SendAsync("profile 32");
        Assert.Equal("2", await b.SendAsync("size GetProfileAsync"));

        await a.SendAsync("tag user:31");

        await WaitUntilAsync(async () => await b.SendAsync("size GetProfileAsync") == "1");
        await b.SendAsync("profile 32");
        Assert.Equal(0, await b.RunsAsync("profile"));
        await b.SendAsync("profile 31");
        Assert.Equal(1, await b.RunsAsync("profile"));
    }

    [Fact]
    public async Task InvalidateAllProfiles_InOneInstance_ClearsTheOtherAndTheL2()
    {
        await using var a = await HostProcess.StartAsync(redis.Port);
        await using var b = await HostProcess.StartAsync(redis.Port);
        await a.SendAsync("profile 41");
        await a.SendAsync("profile 42");
        await redis.WaitForEntryAsync(Profile(41));
        await redis.WaitForEntryAsync(Profile(42));
        await b.SendAsync("profile 41");
        await b.SendAsync("profile 42");

        await a.SendAsync("invalidate-all-profiles");

        await WaitUntilAsync(async () => await b.SendAsync("size GetProfileAsync") == "0");
        await b.SendAsync("profile 41");
        Assert.Equal(1, await b.RunsAsync("profile"));
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not reached within {Bound}.");
            await Task.Delay(20);
        }
    }
}
