using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GopiAI.Toolkit.AspNetCore.Dashboard;
using GopiAI.Toolkit.AspNetCore.Tests.TestSupport;

namespace GopiAI.Toolkit.AspNetCore.Tests.Dashboard;

/// <summary><c>/gopiai/events</c> over a real connection: framing, live updates, reconnection and shutdown.</summary>
public sealed class DashboardEventStreamTests : IAsyncLifetime
{
    private DashboardTestHost _host = null!;

    public async Task InitializeAsync() => _host = await DashboardTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Events_NewConnection_SnapshotThenUpdatesInStandardFraming()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await OpenAsync(null, timeout.Token);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);

        var first = await reader.ReadAsync(timeout.Token);
        Assert.Equal(DashboardEventStream.SnapshotEvent, first.Event);
        Assert.Equal(2000, first.Retry);
        Assert.Matches("^[0-9a-f]{8}:[0-9]+$", first.Id);
        // One line per field, each field once, the JSON on a single data line, a blank line at the end.
        var raw = Normalize(first.Raw);
        Assert.EndsWith("\n\n", raw, StringComparison.Ordinal);
        Assert.Single(raw.Split('\n'), l => l.StartsWith("data: {", StringComparison.Ordinal) && l.EndsWith('}'));
        var fields = raw.TrimEnd('\n').Split('\n').Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]).Order(StringComparer.Ordinal);
        Assert.Equal(["data", "event", "id", "retry"], fields);

        var schema = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.Docs("dashboard-snapshot.schema.json")))!;
        var previous = Sequence(first);
        for (var i = 0; i < 3; i++)
        {
            var update = await reader.ReadAsync(timeout.Token);
            Assert.Equal(DashboardEventStream.UpdateEvent, update.Event);
            Assert.Null(update.Retry);
            using var data = JsonDocument.Parse(update.Data);
            Assert.Empty(JsonSchemaValidator.Validate(data.RootElement, schema));
            var sequence = Sequence(update);
            Assert.True(sequence > previous, $"update {sequence} after {previous}");
            Assert.Equal(Enumerable.Range((int)previous + 1, (int)(sequence - previous)).Select(s => (long)s), Points(data.RootElement));
            previous = sequence;
        }
    }

    [Fact]
    public async Task Events_WorkDone_AnUpdateCarriesTheNewFigures()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await OpenAsync(null, timeout.Token);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        _ = await reader.ReadAsync(timeout.Token);

        await _host.WorkAsync(25);

        while (true)
        {
            using var data = JsonDocument.Parse((await reader.ReadAsync(timeout.Token)).Data);
            if (data.RootElement.GetProperty("endpoints").GetProperty("totalRequests").GetInt64() == 25)
            {
                break;
            }
        }
    }

    [Fact]
    public async Task Events_ReconnectWithLastEventId_ResumesWithExactlyTheMissedPoints()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string lastId;
        long lastSequence;
        using (var first = await OpenAsync(null, timeout.Token))
        using (var reader = new SseReader(await first.Content.ReadAsStreamAsync(timeout.Token)))
        {
            _ = await reader.ReadAsync(timeout.Token);
            var update = await reader.ReadAsync(timeout.Token);
            lastId = update.Id!;
            lastSequence = Sequence(update);
        }

        // Disconnected while several ticks pass.
        await WaitUntilSequenceAsync(lastSequence + 4, timeout.Token);

        using var resumed = await OpenAsync(lastId, timeout.Token);
        using var resumedReader = new SseReader(await resumed.Content.ReadAsStreamAsync(timeout.Token));
        var next = await resumedReader.ReadAsync(timeout.Token);
        using var data = JsonDocument.Parse(next.Data);

        Assert.Equal(DashboardEventStream.UpdateEvent, next.Event);
        var points = Points(data.RootElement);
        Assert.True(points.Length >= 4, $"{points.Length} points");
        Assert.Equal(Enumerable.Range((int)lastSequence + 1, points.Length).Select(s => (long)s), points);
        Assert.Equal(Sequence(next), points[^1]);
        Assert.Equal(2000, next.Retry);
    }

    [Fact]
    public async Task Events_LastEventIdAsQueryParameter_AlsoResumes()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await WaitUntilSequenceAsync(3, timeout.Token);
        var id = DashboardEventStream.EventId(await InstanceAsync(), 2);

        using var response = await _host.Client.GetAsync($"/gopiai/events?lastEventId={Uri.EscapeDataString(id)}", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var first = await reader.ReadAsync(timeout.Token);

        Assert.Equal(DashboardEventStream.UpdateEvent, first.Event);
        using var data = JsonDocument.Parse(first.Data);
        Assert.Equal(3, Points(data.RootElement)[0]);
    }

    [Theory]
    [InlineData("deadbeef:3")]          // another (restarted) instance
    [InlineData("garbage")]
    [InlineData("INSTANCE:999999999")]  // this instance, but from the future
    [InlineData("INSTANCE:-1")]
    public async Task Events_UnusableLastEventId_StartsOverWithASnapshot(string lastEventId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await WaitUntilSequenceAsync(2, timeout.Token);
        var id = lastEventId.Replace("INSTANCE", await InstanceAsync(), StringComparison.Ordinal);

        using var response = await OpenAsync(id, timeout.Token);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var first = await reader.ReadAsync(timeout.Token);

        Assert.Equal(DashboardEventStream.SnapshotEvent, first.Event);
        using var data = JsonDocument.Parse(first.Data);
        Assert.Equal(1, Points(data.RootElement)[0]);
    }

    [Fact]
    public async Task Events_HostStops_StreamEndsAndShutdownDoesNotWaitForIt()
    {
        var host = await DashboardTestHost.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await host.Client.GetAsync("/gopiai/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        _ = await reader.ReadAsync(timeout.Token);

        var clock = Stopwatch.StartNew();
        await host.DisposeAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"shutdown took {clock.Elapsed} (the default shutdown timeout is 30 s)");
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (true)
            {
                _ = await reader.ReadAsync(timeout.Token);
            }
        });
        Assert.False(timeout.IsCancellationRequested);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("abcd1234:17", 17L)]
    [InlineData("abcd1234:0", 0L)]
    [InlineData("ffff0000:17", null)]
    [InlineData("abcd1234:", null)]
    [InlineData("abcd1234:+5", null)]
    [InlineData(":17", null)]
    public void ResumeFrom_LastEventId_AcceptsOnlyThisInstancesTicks(string? lastEventId, long? expected) =>
        Assert.Equal(expected, DashboardEventStream.ResumeFrom(lastEventId, "abcd1234"));

    private static string Normalize(string raw) => raw.Replace("\r", string.Empty, StringComparison.Ordinal);

    private static long Sequence(SseEvent e) => long.Parse(e.Id![(e.Id!.IndexOf(':', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static long[] Points(JsonElement snapshot) =>
        [.. snapshot.GetProperty("series").EnumerateArray().Select(p => p.GetProperty("sequence").GetInt64())];

    private async Task<HttpResponseMessage> OpenAsync(string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/gopiai/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return await _host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private async Task<string> InstanceAsync()
    {
        using var snapshot = JsonDocument.Parse(await _host.Client.GetStringAsync("/gopiai/snapshot.json"));
        return snapshot.RootElement.GetProperty("instance").GetString()!;
    }

    private async Task WaitUntilSequenceAsync(long sequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var snapshot = JsonDocument.Parse(await _host.Client.GetStringAsync("/gopiai/snapshot.json", cancellationToken));
            if (snapshot.RootElement.GetProperty("sequence").GetInt64() >= sequence)
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
