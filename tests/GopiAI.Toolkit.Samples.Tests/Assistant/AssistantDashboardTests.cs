using System.Diagnostics;
using System.Text.Json;
using GopiAI.Toolkit.Testing;
using GopiAI.Toolkit.Testing.Chromium;

namespace GopiAI.Toolkit.Samples.Tests.Assistant;

/// <summary>
/// The assistant sample with <c>--dashboard</c>, as a user runs it: the built sample on a fresh database, its dashboard on
/// a free loopback port, the page in headless Chromium while and after the scripted session runs, then SIGTERM (what
/// Ctrl+C does) ends it cleanly.
/// </summary>
public sealed class AssistantDashboardTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gopi-assistant-dashboard-" + Guid.NewGuid().ToString("N"));
    private LoopbackService _sample = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _sample = await LoopbackService.StartAsync(
            "dotnet",
            port => [SamplePaths.AssistantDll, "--db", Path.Combine(_folder, "assistant-memory.db"), "--no-interactive", "--dashboard", $"http://127.0.0.1:{port}"],
            readyTimeout: TimeSpan.FromSeconds(90),
            workingDirectory: _folder,
            environment: new Dictionary<string, string> { ["NO_COLOR"] = "1", ["DOTNET_NOLOGO"] = "1" });
    }

    public async Task DisposeAsync()
    {
        await _sample.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Dashboard_SampleRun_ServesLiveFiguresToChromiumAndStopsOnSigterm()
    {
        var origin = $"http://127.0.0.1:{_sample.Port}";
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(origin) };

        // The dashboard serves from the start; wait for the end of the scripted session (24 questions asked) and for the
        // semantic memory's statistics (read every 5 s) to show the whole ingestion.
        await WaitForAsync(client, s => Endpoint(s, "AssistantService.AskAsync") is { } ask && ask.GetProperty("calls").GetInt32() >= 24 && SemanticMemory(s)?.GetProperty("documentCount").GetInt64() == 414, TimeSpan.FromMinutes(4));
        Assert.Contains($"live dashboard: {origin}/gopiai", _sample.Output, StringComparison.Ordinal);

        using (var snapshot = await SnapshotAsync(client))
        {
            var root = snapshot.RootElement;
            Assert.Equal(414, SemanticMemory(root)!.Value.GetProperty("documentCount").GetInt64());
            Assert.Contains(root.GetProperty("caches").EnumerateArray(), c => c.GetProperty("name").GetString()!.EndsWith("KnowledgeBase.SearchAsync", StringComparison.Ordinal) && c.GetProperty("hits").GetInt64() >= 12);
            Assert.Contains(root.GetProperty("pools").EnumerateArray(), p => p.GetProperty("rented").GetInt64() >= 24);
            Assert.True(root.GetProperty("startup").GetProperty("steps").GetArrayLength() >= 4);
            Assert.Equal(JsonValueKind.Number, root.GetProperty("memory").GetProperty("baselineBytes").ValueKind);
        }

        await using (var browser = await HeadlessChromium.LaunchAsync())
        {
            var page = await browser.NewPageAsync();
            await page.NavigateAsync($"{origin}/gopiai");
            await page.WaitUntilAsync("document.getElementById('status').dataset.state === 'live' && Number(document.querySelector('[data-value=events]').textContent) >= 2", TimeSpan.FromSeconds(20), "live events");

            Assert.Equal("true", await page.TextAsync("document.querySelectorAll('#endpoint-rows tr[data-endpoint]').length >= 5"));
            Assert.Equal("true", await page.TextAsync("document.querySelectorAll('svg[data-chart=startup] rect.bar').length >= 4"));
            Assert.Equal("true", await page.TextAsync("document.querySelector('svg[data-chart=memory] polyline[data-series=heap]').getAttribute('points').split(' ').length >= 2"));
            Assert.Equal("true", await page.TextAsync("[...document.querySelectorAll('svg[data-chart=cache-hit-rate] rect.bar')].some(r => Number(r.getAttribute('width')) > 0)"));
            Assert.Equal("414", await page.TextAsync("document.querySelector('[data-section=semanticMemory] [data-key=documentCount] dd').textContent"));
            Assert.DoesNotContain(page.Messages, m => m.IsError || m.Level == "warning");
            Assert.All(page.Requests, url => Assert.StartsWith($"{origin}/gopiai", url, StringComparison.Ordinal));

            // The test artifact: GOPI_TEST_ARTIFACTS, else TestResults/artifacts in the repository (git-ignored).
            var artifacts = Environment.GetEnvironmentVariable("GOPI_TEST_ARTIFACTS") is { Length: > 0 } folder ? folder : Path.Combine(SamplePaths.RepositoryRoot, "TestResults", "artifacts");
            Assert.True(await page.ScreenshotAsync(Path.Combine(artifacts, "dashboard-assistant.png")) > 20_000);
        }

        // Still serving after the session; SIGTERM (like Ctrl+C) stops it and the run ends with 0.
        Assert.Contains("press Ctrl+C to stop", _sample.Output, StringComparison.Ordinal);
        Assert.Equal(0, await _sample.TerminateAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("dashboard stopped.", _sample.Output, StringComparison.Ordinal);
    }

    private static JsonElement? Endpoint(JsonElement snapshot, string name) =>
        snapshot.GetProperty("endpoints").GetProperty("items").EnumerateArray().Where(e => e.GetProperty("endpoint").GetString() == name).Select(e => (JsonElement?)e).FirstOrDefault();

    private static JsonElement? SemanticMemory(JsonElement snapshot) =>
        snapshot.GetProperty("sections").EnumerateArray()
            .Where(s => s.GetProperty("name").GetString() == "semanticMemory" && s.GetProperty("data").ValueKind == JsonValueKind.Object)
            .Select(s => (JsonElement?)s.GetProperty("data"))
            .FirstOrDefault();

    private static async Task<JsonDocument> SnapshotAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/gopiai/snapshot.json"));

    private async Task WaitForAsync(HttpClient client, Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(_sample.IsRunning, $"The sample exited early:\n{_sample.Output}");
            using (var snapshot = await SnapshotAsync(client))
            {
                if (condition(snapshot.RootElement))
                {
                    return;
                }
            }

            Assert.True(clock.Elapsed < timeout, $"The dashboard did not show the finished session within {timeout}:\n{_sample.Output}");
            await Task.Delay(500);
        }
    }
}
