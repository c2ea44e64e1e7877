using GopiAI.Toolkit.AspNetCore.Dashboard;
using GopiAI.Toolkit.Samples.Assistant.Services;
using GopiAI.Toolkit.SemanticMemory;
using GopiAI.Toolkit.Startup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.Samples.Assistant.Dashboard;

/// <summary>
/// The assistant's live dashboard (<c>--dashboard &lt;url&gt;</c>): a small Kestrel host next to the console session that
/// maps <c>MapGopiDashboard("/gopiai")</c> over the shared caches, pools and monitors the <c>[Cached]</c>, <c>[Pooled]</c>,
/// <c>[LazyStartup]</c> and <c>[Monitored]</c> code feeds, plus the semantic memory's statistics. The host runs in the
/// Development environment, so the dashboard's default rule serves it to loopback clients only.
/// </summary>
public sealed class AssistantDashboard : IAsyncDisposable
{
    /// <summary>The path the dashboard is mapped at.</summary>
    public const string Path = "/gopiai";

    private readonly WebApplication _app;

    private AssistantDashboard(WebApplication app, string pageUrl)
    {
        _app = app;
        PageUrl = pageUrl;
        Alerts = app.Services.GetRequiredService<DashboardAlerts>();
    }

    /// <summary>Gets the page's address, with the port Kestrel really bound (when the URL asked for port 0).</summary>
    public string PageUrl { get; }

    /// <summary>Gets the dashboard's alert log; <see cref="CreateAlertLoggerProvider"/> feeds it from the app's own logger factory.</summary>
    public DashboardAlerts Alerts { get; }

    /// <summary>Starts the host on <paramref name="url"/> (for example <c>http://127.0.0.1:5080</c>).</summary>
    /// <param name="url">The address to listen on.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running dashboard.</returns>
    /// <exception cref="IOException">The address is in use or cannot be bound.</exception>
    public static async Task<AssistantDashboard> StartAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Logging.ClearProviders();

        // Ctrl+C and SIGTERM belong to the assistant (Program.cs), which ends its session and then stops this host; the
        // default console lifetime would stop the dashboard on its own and leave the session running.
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.WebHost.UseUrls(url.GetLeftPart(UriPartial.Authority));
        builder.Services.AddGopiToolkit();
        builder.Services.AddGopiDashboard(o => o.Title = "GopiAI.Toolkit assistant");
        builder.Services.AddGopiDashboardStatistics("semanticMemory", "Semantic memory", (_, ct) => SemanticMemoryStatsAsync(ct));
        var app = builder.Build();
        app.MapGopiDashboard(Path);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not IOException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"The dashboard could not listen on {url}: {ex.Message}", ex);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? url.GetLeftPart(UriPartial.Authority);
        var address = new UriBuilder(bound);
        if (address.Host is "0.0.0.0" or "[::]")
        {
            address.Host = "127.0.0.1";
        }

        return new AssistantDashboard(app, address.Uri.GetLeftPart(UriPartial.Authority) + Path);
    }

    /// <summary>Creates a logger provider that turns the app's warnings (category <c>GopiAI.</c>…) into dashboard alerts.</summary>
    /// <returns>A provider for <c>ILoggingBuilder.AddProvider</c>.</returns>
    public ILoggerProvider CreateAlertLoggerProvider() => new DashboardAlertLoggerProvider(Alerts);

    /// <summary>Waits until <paramref name="cancellationToken"/> is cancelled (Ctrl+C) while the dashboard keeps serving.</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A task that completes when the wait ends.</returns>
    public static async Task ServeUntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the normal way to stop.
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class PassiveHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static async Task<MemoryStats?> SemanticMemoryStatsAsync(CancellationToken cancellationToken)
    {
        // Before startup opened the database there is nothing to show; after the run closed it neither.
        if (!StartupOptimizer.Shared.IsLoaded(MemoryStore.LazyStartupName))
        {
            return null;
        }

        SemanticMemoryManager manager;
        try
        {
            manager = MemoryStore.Instance.Manager;
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        return await manager.GetStatsAsync(cancellationToken).ConfigureAwait(false);
    }
}
