using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GopiAI.Toolkit.AspNetCore.Dashboard;
using GopiAI.Toolkit.AspNetCore.Tests.TestSupport;
using GopiAI.Toolkit.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.AspNetCore.Tests.Dashboard;

/// <summary>The dashboard's page, snapshot and schema over real HTTP, from a Development host to a loopback client.</summary>
public sealed partial class DashboardEndpointsTests : IAsyncLifetime
{
    private DashboardTestHost _host = null!;

    public async Task InitializeAsync() => _host = await DashboardTestHost.StartAsync(o => o.Services = services =>
        services.AddGopiDashboardStatistics("store", "Document store", (_, _) => Task.FromResult(new { Documents = 42L, FileSizeBytes = 3L * 1048576, Model = "all-MiniLM-L6-v2" })));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/gopiai")]
    [InlineData("/gopiai/")]
    public async Task Page_LoopbackClientInDevelopment_ServesSelfContainedPageWithStrictPolicy(string path)
    {
        using var response = await _host.Client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(';', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);

        // Every reference stays under the dashboard's own path; no inline script or style.
        var references = ReferenceRegex().Matches(html).Select(m => m.Groups["url"].Value).ToArray();
        Assert.NotEmpty(references);
        Assert.All(references, url => Assert.StartsWith("/gopiai/", url, StringComparison.Ordinal));
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("<script>|<script [^>]*>[^<]+</script>|<style|style=", html);
    }

    [Theory]
    [InlineData("/gopiai/dashboard.js", "text/javascript")]
    [InlineData("/gopiai/dashboard.css", "text/css")]
    [InlineData("/gopiai/favicon.svg", "image/svg+xml")]
    public async Task Assets_Requested_ServedFromTheAssemblyWithoutExternalReferences(string path, string mediaType)
    {
        using var response = await _host.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", string.Join(',', response.Headers.GetValues("X-Content-Type-Options")));
        Assert.DoesNotMatch("https?://(?!www\\.w3\\.org/2000/svg)", text);
        Assert.DoesNotContain("@import", text, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_Served_EqualsTheCommittedCopyInDocs()
    {
        var served = await _host.Client.GetStringAsync("/gopiai/snapshot.schema.json");
        var path = RepositoryPaths.Docs("dashboard-snapshot.schema.json");
        if (Environment.GetEnvironmentVariable("GOPI_UPDATE_DOCS") == "1")
        {
            // After a deliberate change of the snapshot records: GOPI_UPDATE_DOCS=1 dotnet test --filter Schema_Served
            await File.WriteAllTextAsync(path, served);
        }

        var committed = await File.ReadAllTextAsync(path);

        Assert.Equal(committed.ReplaceLineEndings("\n"), served);
    }

    [Fact]
    public async Task Snapshot_AfterWork_ValidatesAgainstTheSchemaAndReflectsTheRuntime()
    {
        await _host.WorkAsync(40, distinct: 10);
        _host.Memory.TrackMemory();
        await WaitForAsync(async () =>
        {
            using var current = await SnapshotAsync();
            var root = current.RootElement;
            return root.GetProperty("sections")[0].GetProperty("updatedAt").ValueKind != JsonValueKind.Null
                && root.GetProperty("endpoints").GetProperty("totalRequests").GetInt64() == 40
                && root.GetProperty("memory").GetProperty("baselineBytes").ValueKind == JsonValueKind.Number;
        });

        using var snapshot = await SnapshotAsync();
        var root = snapshot.RootElement;
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.Docs("dashboard-snapshot.schema.json")))!;

        Assert.Empty(JsonSchemaValidator.Validate(root, schema));
        Assert.Equal(DashboardSnapshot.CurrentSchemaVersion, root.GetProperty("schemaVersion").GetInt32());
        var endpoint = Assert.Single(root.GetProperty("endpoints").GetProperty("items").EnumerateArray());
        Assert.Equal(DashboardTestHost.WorkEndpoint, endpoint.GetProperty("endpoint").GetString());
        Assert.Equal(40, endpoint.GetProperty("calls").GetInt32());
        Assert.Equal(0.75, endpoint.GetProperty("cacheHitRate").GetDouble(), 3);
        Assert.Equal(Percentiles.Method, root.GetProperty("endpoints").GetProperty("percentileMethod").GetString());
        var stats = _host.Api.GetEndpointStats()[DashboardTestHost.WorkEndpoint];
        Assert.Equal(stats.P95ResponseTime.TotalMilliseconds, endpoint.GetProperty("p95Ms").GetDouble(), 6);

        var cache = Assert.Single(root.GetProperty("caches").EnumerateArray(), c => c.GetProperty("name").GetString() == "orders");
        Assert.Equal(30, cache.GetProperty("hits").GetInt64());
        Assert.Equal(10, cache.GetProperty("misses").GetInt64());
        Assert.Equal(10, cache.GetProperty("size").GetInt32());
        var pool = Assert.Single(root.GetProperty("pools").EnumerateArray(), p => p.GetProperty("name").GetString() == "order-buffers");
        Assert.Equal(40, pool.GetProperty("rented").GetInt64());
        Assert.Equal(1, pool.GetProperty("created").GetInt64());

        var memory = root.GetProperty("memory");
        Assert.True(memory.GetProperty("heapBytes").GetInt64() > 0);
        Assert.Equal(_host.Memory.LastSample!.BaselineUsage, memory.GetProperty("baselineBytes").GetInt64());
        Assert.Equal((long)(_host.Memory.LastSample.BaselineUsage * 1.5), memory.GetProperty("leakThresholdBytes").GetInt64());

        var section = Assert.Single(root.GetProperty("sections").EnumerateArray());
        Assert.Equal("store", section.GetProperty("name").GetString());
        Assert.Equal(42, section.GetProperty("data").GetProperty("documents").GetInt64());
        Assert.True(root.GetProperty("series").GetArrayLength() >= 1);
    }

    [Fact]
    public async Task Snapshot_SeriesAndSequence_AreContiguousAndNeverAheadOfTheState()
    {
        await WaitForAsync(async () => (await SnapshotAsync()).RootElement.GetProperty("sequence").GetInt64() >= 5);

        using var snapshot = await SnapshotAsync();
        var sequence = snapshot.RootElement.GetProperty("sequence").GetInt64();
        var points = snapshot.RootElement.GetProperty("series").EnumerateArray().Select(p => p.GetProperty("sequence").GetInt64()).ToArray();

        Assert.Equal(sequence, points[^1]);
        Assert.Equal(Enumerable.Range((int)points[0], points.Length).Select(i => (long)i), points);
    }

    [Fact]
    public async Task Snapshot_WarningLoggedUnderToolkitCategory_BecomesAnAlertOfItsEventName()
    {
        var logger = _host.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GopiAI.Toolkit.Security.UsageMonitor");
        logger.Log(LogLevel.Warning, new EventId(7, "RequestRateSpike"), "Request rate 480/s is 12x the baseline of 40/s", null, (s, _) => s);
        logger.LogInformation("Not an alert: below the minimum level");
        _host.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Other.Library").LogWarning("Not an alert: other category");

        await WaitForAsync(async () => (await SnapshotAsync()).RootElement.GetProperty("alerts").GetArrayLength() > 0);
        using var snapshot = await SnapshotAsync();

        var alert = Assert.Single(snapshot.RootElement.GetProperty("alerts").EnumerateArray());
        Assert.Equal("RequestRateSpike", alert.GetProperty("kind").GetString());
        Assert.Equal("Warning", alert.GetProperty("severity").GetString());
        Assert.Equal("GopiAI.Toolkit.Security.UsageMonitor", alert.GetProperty("source").GetString());
        Assert.Contains("480/s", alert.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_MemoryPressureSignal_RecordsAnAlertAndTheCleanUpItCaused()
    {
        await _host.WorkAsync(20, distinct: 20);
        await WaitForAsync(async () => (await SnapshotAsync()).RootElement.GetProperty("caches").EnumerateArray().Any(c => c.GetProperty("size").GetInt32() == 20));

        _host.Memory.SignalMemoryPressure(MemoryPressureLevel.Critical, "test: heap above the limit");
        await WaitForAsync(async () => (await SnapshotAsync()).RootElement.GetProperty("cleanups").EnumerateArray().Any(c => c.GetProperty("cacheEntriesAfter").ValueKind == JsonValueKind.Number));
        using var snapshot = await SnapshotAsync();

        var alert = Assert.Single(snapshot.RootElement.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("kind").GetString() == "MemoryPressure");
        Assert.Equal("Critical", alert.GetProperty("severity").GetString());
        var cleanup = Assert.Single(snapshot.RootElement.GetProperty("cleanups").EnumerateArray());
        Assert.Equal("Critical", cleanup.GetProperty("level").GetString());
        Assert.Equal(20, cleanup.GetProperty("cacheEntriesBefore").GetInt64());
        Assert.Equal(0, cleanup.GetProperty("cacheEntriesAfter").GetInt64());
    }

    [Fact]
    public async Task Snapshot_SlowEndpoint_ShowsItAsABottleneck()
    {
        for (var i = 0; i < 12; i++)
        {
            _host.Api.RecordRequest("Reports.Export", TimeSpan.FromSeconds(2), success: true);
        }

        await WaitForAsync(async () => (await SnapshotAsync()).RootElement.GetProperty("bottlenecks").GetArrayLength() > 0, TimeSpan.FromSeconds(15));
        using var snapshot = await SnapshotAsync();

        var bottleneck = Assert.Single(snapshot.RootElement.GetProperty("bottlenecks").EnumerateArray());
        Assert.Equal("Reports.Export", bottleneck.GetProperty("endpoint").GetString());
        Assert.Equal(nameof(BottleneckKind.SlowResponses), bottleneck.GetProperty("kind").GetString());
        Assert.Contains("exceeds the 1000 ms threshold", bottleneck.GetProperty("evidence").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonDocument> SnapshotAsync()
    {
        using var response = await _host.Client.GetAsync("/gopiai/snapshot.json");
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The dashboard did not reach the expected state in time.");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"]*)\"")]
    private static partial Regex ReferenceRegex();
}
