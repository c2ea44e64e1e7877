using GopiAI.Toolkit.AspNetCore.Tests.TestSupport;
using GopiAI.Toolkit.Startup;
using GopiAI.Toolkit.Testing.Chromium;
using Microsoft.Extensions.DependencyInjection;

namespace GopiAI.Toolkit.AspNetCore.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser: headless Chromium (Debian's package) against a real host on a free loopback port,
/// driven over the DevTools Protocol. A screenshot is saved under TestResults/artifacts (or GOPI_TEST_ARTIFACTS).
/// </summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private const string HostileName = "<img src=x onerror=\"document.title='pwned'\">";
    private DashboardTestHost _host = null!;
    private HeadlessChromium _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await DashboardTestHost.StartAsync(o =>
        {
            o.SampleInterval = TimeSpan.FromMilliseconds(250);
            o.Services = services => services.AddGopiDashboardStatistics("store", "Document store", (_, _) => Task.FromResult(new { Documents = 414L, Conversations = 60L, FileSizeBytes = 5L * 1048576 }));
        });
        _browser = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Page_InHeadlessChromium_LoadsCleanDrawsChartsAndFollowsLiveEvents()
    {
        // Some history: startup steps, calls (one with a hostile name), cache and pool traffic, a memory baseline.
        _host.Startup.RegisterLazyLoader("embedding model", () => new object(), new LazyLoaderOptions { Eager = true });
        _host.Startup.AddStartupTask(new StartupTask("open database", ct => Task.Delay(40, ct)) { DependsOn = ["embedding model"] });
        await _host.Startup.InitializeApplicationAsync();
        _host.Memory.TrackMemory();
        await _host.WorkAsync(30, distinct: 10);
        _host.Api.RecordRequest(HostileName, TimeSpan.FromMilliseconds(3), success: false);

        var page = await _browser.NewPageAsync();
        var origin = $"http://127.0.0.1:{_host.Port}";
        await page.NavigateAsync($"{origin}/gopiai");

        await page.WaitUntilAsync("document.getElementById('status').dataset.state === 'live'", TimeSpan.FromSeconds(15), "the event stream to open");
        await page.WaitUntilAsync("Number(document.querySelector('[data-value=events]').textContent) >= 3", TimeSpan.FromSeconds(15), "three events");

        // Charts are drawn, with data.
        await page.WaitUntilAsync("document.querySelector('svg[data-chart=memory] polyline[data-series=heap]').getAttribute('points').split(' ').length >= 3", TimeSpan.FromSeconds(10), "the heap line to have points");
        Assert.Equal("true", await page.TextAsync("Number(document.querySelector('svg[data-chart=memory]').dataset.points) >= 3"));
        Assert.Equal("true", await page.TextAsync("document.querySelector('svg[data-chart=memory] line[data-series=leak-threshold]') !== null"));
        Assert.Equal("true", await page.TextAsync("Number(document.querySelector('svg[data-chart=throughput]').dataset.points) >= 3"));
        Assert.Equal("true", await page.TextAsync("Number(document.querySelector('svg[data-chart=cpu]').dataset.points) >= 3"));
        Assert.Equal("true", await page.TextAsync("[...document.querySelectorAll('svg[data-chart=cache-hit-rate] rect.bar')].some(r => Number(r.getAttribute('width')) > 0 && r.dataset.rate === '0.6667')"));
        Assert.Equal("true", await page.TextAsync("document.querySelectorAll('svg[data-chart=startup] rect.bar').length === 2"));
        Assert.Equal("true", await page.TextAsync("document.querySelectorAll('svg[data-chart=p95-trend] polyline').length >= 2"));
        Assert.Equal("30", await page.TextAsync("document.querySelector('tr[data-endpoint=\"Orders.Place\"] td:nth-child(2)').textContent"));
        Assert.Equal("414", await page.TextAsync("document.querySelector('[data-section=store] [data-key=documents] dd').textContent"));

        // A value changes after a live event arrives.
        Assert.Equal("31", await page.TextAsync("document.querySelector('[data-value=total-requests]').textContent"));
        var eventsBefore = int.Parse(await page.TextAsync("document.querySelector('[data-value=events]').textContent"), System.Globalization.CultureInfo.InvariantCulture);
        await _host.WorkAsync(50, distinct: 10);
        await page.WaitUntilAsync("document.querySelector('[data-value=total-requests]').textContent === '81'", TimeSpan.FromSeconds(10), "the call count to follow the work");
        Assert.Equal("true", await page.TextAsync($"Number(document.querySelector('[data-value=events]').textContent) > {eventsBefore}"));
        Assert.Equal("80", await page.TextAsync("document.querySelector('tr[data-endpoint=\"Orders.Place\"] td:nth-child(2)').textContent"));

        // Application-supplied names are text, never markup.
        Assert.Equal("0", await page.TextAsync("document.querySelectorAll('main img').length"));
        Assert.Equal("true", await page.TextAsync($"[...document.querySelectorAll('#endpoint-rows td')].some(td => td.textContent === {System.Text.Json.JsonSerializer.Serialize(HostileName)})"));
        Assert.NotEqual("pwned", await page.TextAsync("document.title"));

        // Clean: no console error, exception or CSP violation, and nothing fetched from anywhere but the dashboard.
        Assert.DoesNotContain(page.Messages, m => m.IsError || m.Level == "warning");
        Assert.Contains(page.Requests, url => url == $"{origin}/gopiai/events");
        Assert.Contains(page.Requests, url => url == $"{origin}/gopiai/dashboard.js");
        Assert.All(page.Requests, url => Assert.StartsWith($"{origin}/gopiai", url, StringComparison.Ordinal));

        var path = RepositoryPaths.Artifact("dashboard-minimal-host.png");
        var size = await page.ScreenshotAsync(path);
        Assert.True(size > 20_000, $"screenshot of {size} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(path))[..4]);
    }
}
