using System.Net;
using GopiAI.Toolkit.AspNetCore.Dashboard;
using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Pooling;
using GopiAI.Toolkit.Startup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.AspNetCore.Tests.TestSupport;

/// <summary>How <see cref="DashboardTestHost"/> builds its host.</summary>
internal sealed class DashboardHostOptions
{
    public string Environment { get; set; } = "Development";

    /// <summary>Listen on every interface (0.0.0.0) instead of 127.0.0.1, so a non-loopback client can connect.</summary>
    public bool ListenOnAllInterfaces { get; set; }

    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public Action<IServiceCollection>? Services { get; set; }

    /// <summary>Conventions on the dashboard's endpoints (for example <c>.RequireAuthorization(…)</c>).</summary>
    public Action<IEndpointConventionBuilder>? Dashboard { get; set; }

    /// <summary>Middleware added before the endpoints (for example authentication).</summary>
    public Action<WebApplication>? Pipeline { get; set; }
}

/// <summary>
/// A real ASP.NET Core host (Kestrel on a free port chosen by the OS) with the toolkit registered in DI (own instances,
/// so tests do not share state), the dashboard at <c>/gopiai</c>, and <c>/work</c>: one monitored call with a cache lookup
/// and a pooled object, the steady work a live event should reflect.
/// </summary>
internal sealed class DashboardTestHost : IAsyncDisposable
{
    public const string WorkEndpoint = "Orders.Place";

    private DashboardTestHost(WebApplication app, Uri address)
    {
        App = app;
        BaseAddress = address;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    /// <summary>Gets http://127.0.0.1:{port}/.</summary>
    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public HttpClient Client { get; }

    public ApiPerformanceMonitor Api => App.Services.GetRequiredService<ApiPerformanceMonitor>();

    public CacheManager Caches => App.Services.GetRequiredService<CacheManager>();

    public ResourcePoolManager Pools => App.Services.GetRequiredService<ResourcePoolManager>();

    public MemoryMonitor Memory => App.Services.GetRequiredService<MemoryMonitor>();

    public StartupOptimizer Startup => App.Services.GetRequiredService<StartupOptimizer>();

    public DashboardAlerts Alerts => App.Services.GetRequiredService<DashboardAlerts>();

    public static async Task<DashboardTestHost> StartAsync(Action<DashboardHostOptions>? configure = null)
    {
        var options = new DashboardHostOptions();
        configure?.Invoke(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = options.Environment });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(options.ListenOnAllInterfaces ? IPAddress.Any : IPAddress.Loopback, 0));
        builder.Services.AddGopiToolkit(o => o.UseSharedInstances = false);
        builder.Services.AddGopiDashboard(o =>
        {
            o.SampleInterval = options.SampleInterval;
            o.AnalysisInterval = options.SampleInterval * 2;
            o.StatisticsInterval = options.SampleInterval * 2;
        });
        options.Services?.Invoke(builder.Services);

        var app = builder.Build();
        options.Pipeline?.Invoke(app);
        var dashboard = app.MapGopiDashboard("/gopiai");
        options.Dashboard?.Invoke(dashboard);
        var pool = app.Services.GetRequiredService<ResourcePoolManager>().CreatePool("order-buffers", () => new byte[1024]);
        app.MapGet("/work", (ApiPerformanceMonitor api, CacheManager caches, int? id) =>
        {
            var scope = MonitoredScope.Start(WorkEndpoint, api);
            var key = id ?? 0;
            var hit = caches.Get<string>("orders", key) is not null;
            if (!hit)
            {
                caches.Set("orders", key, $"order {key}");
            }

            var buffer = pool.Get();
            pool.Return(buffer);
            scope.Stop(success: true, cacheHit: hit);
            return hit ? "hit" : "miss";
        });

        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new DashboardTestHost(app, new Uri($"http://127.0.0.1:{bound.Port}/"));
    }

    /// <summary>Calls <c>/work</c> <paramref name="count"/> times with ids 0..<paramref name="distinct"/>-1.</summary>
    public async Task WorkAsync(int count, int distinct = 10)
    {
        for (var i = 0; i < count; i++)
        {
            (await Client.GetAsync($"/work?id={i % distinct}")).EnsureSuccessStatusCode();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
