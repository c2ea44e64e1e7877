using GopiAI.Toolkit.Redis.Tests.TestSupport;

namespace GopiAI.Toolkit.Redis.Tests;

/// <summary>
/// Two instances of the same app, in separate processes, sharing one real Redis: what one computes the other serves without
/// running the method, and invalidations in one reach the other.
/// </summary>
public sealed class TwoInstanceTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task GetProfile_ComputedInOneInstance_ServedToTheOtherWithoutRunningTheMethod()
    {
        await using var hosts = await TwoHosts.StartAsync(redis);

        var (fromA, fromB) = await hosts.ShareProfileAsync(2);

        Assert.Equal(fromA, fromB);
        Assert.Equal(1, await hosts.A.RunsAsync("profile"));
        Assert.Equal(0, await hosts.B.RunsAsync("profile"));
    }

    [Fact]
    public async Task RoundTrip_RecordsCollectionsAndNullables_ArriveIntactInTheOtherInstance()
    {
        await using var hosts = await TwoHosts.StartAsync(redis);

        // 102: null Age; 104: a date with an offset and a null Note; 107: null Seen, one role.
        foreach (var id in new[] { 102, 104, 107 })
        {
            var (fromA, fromB) = await hosts.ShareProfileAsync(id);
            Assert.Equal(fromA, fromB);
        }

        Assert.Equal("104;user-104;[admin,editor];{p50=156,p99=1066};124;2026-12-03T10:00:44.0000000+01:00;Paid;null", await hosts.B.SendAsync("profile 104"));
        Assert.Equal(("5,null,-5", "5,null,-5"), await hosts.ShareAsync("numbers hello", TwoHosts.Key("GetNumbersAsync", "hello")));
        Assert.Equal(("described 9", "described 9"), await hosts.ShareAsync("describe 9", TwoHosts.Key("Describe", "9")));
        Assert.Equal(("null", "null"), await hosts.ShareAsync("describe -1", TwoHosts.Key("Describe", "-1")));

        Assert.Equal(0, await hosts.B.RunsAsync("profile"));
        Assert.Equal(0, await hosts.B.RunsAsync("numbers"));
        Assert.Equal(0, await hosts.B.RunsAsync("describe"));
    }

    [Fact]
    public async Task InvalidateProfile_InOneInstance_DropsTheOthersCopy()
    {
        await using var hosts = await TwoHosts.StartAsync(redis);
        await hosts.ShareProfileAsync(21);
        Assert.Equal("1", await hosts.B.SendAsync("size GetProfileAsync"));

        await hosts.A.SendAsync("invalidate-profile 21");

        await WaitUntilAsync(async () => await hosts.B.SendAsync("size GetProfileAsync") == "0");
        await hosts.B.SendAsync("profile 21");
        Assert.Equal(1, await hosts.B.RunsAsync("profile"));
    }

    [Fact]
    public async Task InvalidateTag_InOneInstance_DropsTaggedEntriesInTheOther()
    {
        await using var hosts = await TwoHosts.StartAsync(redis);
        await hosts.ShareProfileAsync(31);
        await hosts.ShareProfileAsync(32);
        Assert.Equal("2", await hosts.B.SendAsync("size GetProfileAsync"));

        await hosts.A.SendAsync("tag user:31");

        await WaitUntilAsync(async () => await hosts.B.SendAsync("size GetProfileAsync") == "1");
        await hosts.B.SendAsync("profile 32");
        Assert.Equal(0, await hosts.B.RunsAsync("profile"));
        await hosts.B.SendAsync("profile 31");
        Assert.Equal(1, await hosts.B.RunsAsync("profile"));
    }

    [Fact]
    public async Task InvalidateAllProfiles_InOneInstance_ClearsTheOtherAndTheL2()
    {
        await using var hosts = await TwoHosts.StartAsync(redis);
        await hosts.ShareProfileAsync(41);
        await hosts.ShareProfileAsync(42);

        await hosts.A.SendAsync("invalidate-all-profiles");

        await WaitUntilAsync(async () => await hosts.B.SendAsync("size GetProfileAsync") == "0");
        await hosts.B.SendAsync("profile 41");
        Assert.Equal(1, await hosts.B.RunsAsync("profile"));
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
