using System.Text;
using System.Text.Json;
using GopiAI.Toolkit.AspNetCore.Dashboard;
using GopiAI.Toolkit.Monitoring;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the GopiAI.Toolkit live dashboard.</summary>
public static class GopiDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the live dashboard under <paramref name="pattern"/>: the page (<c>{pattern}</c>), its event stream
    /// (<c>{pattern}/events</c>, Server-Sent Events), the JSON snapshot (<c>{pattern}/snapshot.json</c>) and its schema
    /// (<c>{pattern}/snapshot.schema.json</c>). It reads the toolkit objects registered in DI (<c>AddGopiToolkit</c>) or
    /// the shared ones, and the options and sources registered with <c>AddGopiDashboard</c>.
    /// </summary>
    /// <remarks>
    /// Without an authorization policy on the returned builder, the dashboard is served only in the Development environment
    /// (404 elsewhere) and only to loopback clients that name this machine in the Host header and come through no proxy
    /// (403 otherwise). Call <c>.RequireAuthorization(…)</c> on the result to serve it anywhere under your policy instead.
    /// </remarks>
    /// <param name="endpoints">The application or route group.</param>
    /// <param name="pattern">A literal path prefix such as <c>/gopiai</c> (no route parameters).</param>
    /// <returns>A builder for all the dashboard's endpoints, for <c>.RequireAuthorization(…)</c> and other conventions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> has route parameters or does not start with <c>/</c>.</exception>
    public static IEndpointConventionBuilder MapGopiDashboard(this IEndpointRouteBuilder endpoints, string pattern = "/gopiai")
    {
        GopiAI.Toolkit.Throw.IfNull(endpoints);
        GopiAI.Toolkit.Throw.IfNull(pattern);
        if (!pattern.StartsWith('/') || RoutePatternFactory.Parse(pattern).Parameters.Count > 0)
        {
            throw new ArgumentException($"The dashboard pattern must be a literal path that starts with '/', such as \"/gopiai\"; \"{pattern}\" is not.", nameof(pattern));
        }

        var prefix = pattern.TrimEnd('/');
        var services = endpoints.ServiceProvider;
        var options = services.GetService<IOptions<GopiDashboardOptions>>()?.Value ?? new GopiDashboardOptions();
        options.Validate();
        var environment = services.GetRequiredService<IHostEnvironment>();
        var sampler = new DashboardSampler(
            options,
            DashboardRuntime.From(services),
            services.GetService<DashboardAlerts>() ?? new DashboardAlerts(options.TimeProvider, options.MaxAlerts),
            [.. services.GetServices<IDashboardStatisticsSource>()],
            services.GetService<ILoggerFactory>()?.CreateLogger("GopiAI.Toolkit.AspNetCore.Dashboard") ?? NullLogger.Instance,
            services.GetServices<IResourceAlertSource>());
        Bind(sampler, services.GetService<IHostApplicationLifetime>());

        var group = endpoints.MapGroup(prefix.Length == 0 ? "/" : prefix);
        group.MapGet("/", context => Serve(context, environment, () => Page(context, options)));  // with or without the trailing slash
        group.MapGet("/dashboard.js", context => Serve(context, environment, () => Bytes(context, DashboardAssets.Script, "text/javascript; charset=utf-8")));
        group.MapGet("/dashboard.css", context => Serve(context, environment, () => Bytes(context, DashboardAssets.StyleSheet, "text/css; charset=utf-8")));
        group.MapGet("/favicon.svg", context => Serve(context, environment, () => Bytes(context, DashboardAssets.Icon, "image/svg+xml")));
        group.MapGet("/snapshot.json", context => Serve(context, environment, () => Snapshot(context, sampler)));
        group.MapGet("/snapshot.schema.json", context => Serve(context, environment, () => Bytes(context, Encoding.UTF8.GetBytes(DashboardSchema.Text), "application/schema+json")));
        group.MapGet("/events", context => Serve(context, environment, () => Events(context, sampler)));
        group.ExcludeFromDescription();
        return group;
    }

    private static void Bind(DashboardSampler sampler, IHostApplicationLifetime? lifetime)
    {
        if (lifetime is null)
        {
            sampler.Start();
            return;
        }

        // Sample from the moment the host runs, and end the event streams as soon as it stops, so shutdown does not wait for them.
        lifetime.ApplicationStarted.Register(sampler.Start);
        lifetime.ApplicationStopping.Register(sampler.Stop);
    }

    private static Task Serve(HttpContext context, IHostEnvironment environment, Func<Task> serve)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        switch (DashboardAccess.Evaluate(context, environment))
        {
            case DashboardAccessDecision.NotFound:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            case DashboardAccessDecision.Forbidden:
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "text/plain; charset=utf-8";
                return context.Response.WriteAsync(
                    "The GopiAI dashboard is served only to loopback clients (Host localhost or a loopback address, no proxy) unless the application sets an authorization policy on it (see docs/dashboard.md).",
                    context.RequestAborted);
            default:
                return serve();
        }
    }

    private static Task Page(HttpContext context, GopiDashboardOptions options)
    {
        // The page is served at the dashboard's own path (with or without a trailing slash), whatever groups it sits in.
        var basePath = $"{context.Request.PathBase}{context.Request.Path.Value?.TrimEnd('/')}";
        context.Response.Headers.ContentSecurityPolicy = DashboardAssets.ContentSecurityPolicy;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(DashboardAssets.Page(basePath, options.Title), context.RequestAborted);
    }

    private static Task Bytes(HttpContext context, byte[] content, string contentType)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = content.Length;
        return context.Response.Body.WriteAsync(content, context.RequestAborted).AsTask();
    }

    private static Task Snapshot(HttpContext context, DashboardSampler sampler) =>
        Bytes(context, JsonSerializer.SerializeToUtf8Bytes(sampler.GetSnapshot(), DashboardJsonContext.Default.DashboardSnapshot), "application/json; charset=utf-8");

    private static Task Events(HttpContext context, DashboardSampler sampler)
    {
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        if (string.IsNullOrEmpty(lastEventId))
        {
            lastEventId = context.Request.Query["lastEventId"].ToString();
        }

        return TypedResults.ServerSentEvents(DashboardEventStream.ReadAsync(sampler, lastEventId, context.RequestAborted)).ExecuteAsync(context);
    }
}
