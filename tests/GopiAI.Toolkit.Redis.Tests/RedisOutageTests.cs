using GopiAI.Toolkit.Redis.Tests.TestSupport;

namespace GopiAI.Toolkit.Redis.Tests;

/// <summary>Redis killed mid-test: calls go on, failures are counted, and the L2 is used again once Redis is back.</summary>
public sealed class RedisOutageTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Calls_RedisKilledAndRestarted_SucceedCountFailuresAndUseTheL2Again()
    {
        await using var hosts = await TwoHosts.StartAsync(redis);
        var (a, b) = (hosts.A, hosts.B);
        var (first, fromB) = await hosts.ShareProfileAsync(1);
        Assert.Equal(first, fromB);
        Assert.Equal(0, await b.RunsAsync("profile"));
        var failuresBefore = Failures(await a.SendAsync("health"));

        redis.Kill();

        // Served from L1, and new keys from the method itself: no call fails.
        Assert.StartsWith("1;user-1;", await a.SendAsync("profile 1"));
        Assert.StartsWith("2;user-2;", await a.SendAsync("profile 2"));
        Assert.StartsWith("3;user-3;", await b.SendAsync("profile 3"));
        Assert.Equal("5,null,-5", await a.SendAsync("numbers hello"));
        var health = await a.SendAsync("health");
        Assert.StartsWith("available=False", health);
        var failures = int.Parse(health.Split(' ')[1]["failures=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var metric = int.Parse(health.Split(' ')[2]["metric=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(failures > failuresBefore, health);
        Assert.Equal(failures, metric);
        Assert.Contains("Distributed cache (L2) unavailable", a.Log);

        await redis.RestartAsync();

        // Once the connection is back, a value computed by A reaches B through the (new, empty) Redis again.
        var id = 100;
        await TwoInstanceTests.WaitUntilAsync(async () =>
        {
            id++;
            var before = await b.RunsAsync("profile");
            await a.SendAsync("profile " + id);
            await Task.Delay(50);
            await b.SendAsync("profile " + id);
            return await b.RunsAsync("profile") == before;
        });
        Assert.StartsWith("available=True", await a.SendAsync("health"));
        Assert.Contains("available again", a.Log);
    }

    private static int Failures(string health) =>
        int.Parse(health.Split(' ')[1]["failures=".Length..], System.Globalization.CultureInfo.InvariantCulture);
}
