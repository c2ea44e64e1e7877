using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace GopiAI.Toolkit.OpenTelemetry.Tests;

/// <summary>The Prometheus set-up of docs/observability.md, on a real Kestrel host on a free loopback port, scraped over HTTP.</summary>
public sealed partial class PrometheusExporterTests
{
    [Fact]
    public async Task MetricsEndpoint_DocumentedSetup_ServesTheToolkitSeriesShownInTheDocs()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddGopiToolkitInstrumentation().AddPrometheusExporter());
        await using var app = builder.Build();
        app.MapPrometheusScrapingEndpoint();
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        using var workload = new ToolkitWorkload();
        workload.Run();
        var scrape = await client.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        await app.StopAsync();

        Assert.Matches(@"(?m)^gopi_cache_hits_total\{[^}]*cache_name=""orders""[^}]*\} 30\b", scrape);
        Assert.Matches(@"(?m)^gopi_cache_misses_total\{[^}]*cache_name=""orders""[^}]*\} 10\b", scrape);
        Assert.Matches(@"(?m)^gopi_cache_size\{[^}]*cache_name=""orders""[^}]*\} 10\b", scrape);
        Assert.Matches(@"(?m)^gopi_pool_rented_total\{[^}]*pool_name=""order-buffers""[^}]*\} 40\b", scrape);
        Assert.Matches(@"(?m)^gopi_call_duration_seconds_count\{[^}]*endpoint=""Orders\.Place""[^}]*outcome=""success""[^}]*\} \d+", scrape);
        Assert.Matches(@"(?m)^gopi_memory_heap_size_bytes\{[^}]*\} [0-9.E+]+", scrape);

        // Every series name the docs show is one the exporter really writes.
        var documented = DocumentedSeries().Matches(await File.ReadAllTextAsync(ObservabilityDocs.Path)).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(documented);
        Assert.All(documented, name => Assert.Matches($"(?m)^{Regex.Escape(name)}\\{{", scrape));
    }

    [GeneratedRegex(@"(?m)^(gopi_[a-z_]+)\{")]
    private static partial Regex DocumentedSeries();
}
