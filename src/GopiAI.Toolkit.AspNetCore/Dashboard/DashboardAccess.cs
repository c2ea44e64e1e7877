using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>What <see cref="DashboardAccess.Evaluate"/> decided for a request.</summary>
internal enum DashboardAccessDecision
{
    /// <summary>Serve it.</summary>
    Allow,

    /// <summary>Answer 404: outside Development, without a policy, the dashboard does not exist.</summary>
    NotFound,

    /// <summary>Answer 403: in Development, but not from this machine (or through a proxy, or for a foreign host name).</summary>
    Forbidden,
}

/// <summary>
/// The default rule of the dashboard, applied while the application has set no authorization policy of its own on it:
/// served only in the Development environment (404 elsewhere) and only to loopback clients (403 otherwise). A request
/// counts as loopback when its remote address is a loopback address, it carries no proxy forwarding header (a local reverse
/// proxy would otherwise turn every visitor into a loopback client), and its Host header names this machine (localhost,
/// <c>*.localhost</c> or a loopback address: a DNS-rebinding page cannot read the dashboard). As soon as the endpoint carries
/// authorization metadata (<c>.RequireAuthorization(…)</c> or <c>.AllowAnonymous()</c>), the application's policy
/// decides alone.
/// </summary>
internal static class DashboardAccess
{
    private static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "X-Forwarded-Host", "Forwarded", "X-Real-IP"];

    public static DashboardAccessDecision Evaluate(HttpContext context, IHostEnvironment environment)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<IAuthorizeData>() is not null || metadata?.GetMetadata<IAllowAnonymous>() is not null)
        {
            return DashboardAccessDecision.Allow;
        }

        if (!environment.IsDevelopment())
        {
            return DashboardAccessDecision.NotFound;
        }

        return IsLoopbackClient(context) ? DashboardAccessDecision.Allow : DashboardAccessDecision.Forbidden;
    }

    internal static bool IsLoopbackClient(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        {
            return false;
        }

        foreach (var header in ForwardingHeaders)
        {
            if (context.Request.Headers.ContainsKey(header))
            {
                return false;
            }
        }

        return IsLoopbackHost(context.Request.Host.Host);
    }

    internal static bool IsLoopbackHost(string host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }
}
