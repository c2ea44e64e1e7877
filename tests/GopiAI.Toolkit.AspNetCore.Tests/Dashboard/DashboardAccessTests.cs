using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using GopiAI.Toolkit.AspNetCore.Dashboard;
using GopiAI.Toolkit.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GopiAI.Toolkit.AspNetCore.Tests.Dashboard;

/// <summary>
/// Who may see the dashboard, over real sockets: the default rule (Development and loopback only) both ways, and an
/// application's own authorization policy replacing it.
/// </summary>
public sealed class DashboardAccessTests
{
    private static readonly string[] Paths = ["/gopiai", "/gopiai/", "/gopiai/dashboard.js", "/gopiai/dashboard.css", "/gopiai/favicon.svg", "/gopiai/snapshot.json", "/gopiai/snapshot.schema.json", "/gopiai/events"];

    [Fact]
    public async Task EveryPath_ProductionWithoutPolicy_Returns404()
    {
        await using var host = await DashboardTestHost.StartAsync(o => o.Environment = "Production");

        foreach (var path in Paths)
        {
            using var response = await host.Client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        // The rest of the application is untouched.
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/work")).StatusCode);
    }

    [Fact]
    public async Task EveryPath_DevelopmentLoopbackClient_Returns200()
    {
        await using var host = await DashboardTestHost.StartAsync();

        foreach (var path in Paths)
        {
            using var response = await host.Client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task EveryPath_DevelopmentNonLoopbackClient_Returns403()
    {
        var address = NetworkAddresses.NonLoopbackIPv4();
        Assert.True(address is not null, "This machine has no non-loopback IPv4 address to connect from.");
        await using var host = await DashboardTestHost.StartAsync(o => o.ListenOnAllInterfaces = true);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://{address}:{host.Port}/") };

        foreach (var path in Paths)
        {
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path} from {address}: {response.StatusCode}");
        }

        using var page = await client.GetAsync("/gopiai");
        Assert.Contains("loopback", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/work")).StatusCode);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("Forwarded", "for=203.0.113.9")]
    [InlineData("X-Real-IP", "203.0.113.9")]
    public async Task Page_LoopbackConnectionThroughAProxy_Returns403(string header, string value)
    {
        await using var host = await DashboardTestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/gopiai/snapshot.json");
        request.Headers.Add(header, value);

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("attacker.example", HttpStatusCode.Forbidden)]
    [InlineData("10.0.0.5", HttpStatusCode.Forbidden)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("dev.localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("[::1]", HttpStatusCode.OK)]
    public async Task Page_HostHeader_OnlyNamesOfThisMachineAreServed(string hostName, HttpStatusCode expected)
    {
        // A DNS-rebinding page reaches 127.0.0.1 under its own host name; the dashboard must not answer it.
        await using var host = await DashboardTestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/gopiai/snapshot.json");
        request.Headers.Host = $"{hostName}:{host.Port}";

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task EveryPath_ProductionWithPolicy_ServesAuthenticatedClientsAnywhereAndRejectsOthers()
    {
        var address = NetworkAddresses.NonLoopbackIPv4();
        Assert.True(address is not null, "This machine has no non-loopback IPv4 address to connect from.");
        await using var host = await DashboardTestHost.StartAsync(o =>
        {
            o.Environment = "Production";
            o.ListenOnAllInterfaces = true;
            o.Services = services =>
            {
                services.AddAuthentication(ApiKeyHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
                services.AddAuthorizationBuilder().AddPolicy("operators", p => p.RequireAuthenticatedUser().RequireClaim("role", "operator"));
            };
            o.Pipeline = app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
            };
            o.Dashboard = dashboard => dashboard.RequireAuthorization("operators");
        });
        using var remote = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://{address}:{host.Port}/") };

        foreach (var path in Paths)
        {
            using var anonymous = await remote.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{path} anonymous: {anonymous.StatusCode}");

            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add(ApiKeyHandler.Header, ApiKeyHandler.OperatorKey);
            using var authorized = await remote.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(authorized.StatusCode == HttpStatusCode.OK, $"{path} as operator from {address}: {authorized.StatusCode}");
        }

        using var wrongRole = new HttpRequestMessage(HttpMethod.Get, "/gopiai/snapshot.json");
        wrongRole.Headers.Add(ApiKeyHandler.Header, ApiKeyHandler.ViewerKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await remote.SendAsync(wrongRole)).StatusCode);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("api.localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("localhost.attacker.example", false)]
    [InlineData("notlocalhost", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("", false)]
    public void IsLoopbackHost_HostName_TrueOnlyForThisMachine(string host, bool expected) =>
        Assert.Equal(expected, DashboardAccess.IsLoopbackHost(host));

    [Fact]
    public void Evaluate_NoRemoteAddress_IsNotTreatedAsLoopback()
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString("localhost");

        Assert.False(DashboardAccess.IsLoopbackClient(context));
    }

    private sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "ApiKey";
        public const string Header = "X-Api-Key";
        public const string OperatorKey = "operator-key";
        public const string ViewerKey = "viewer-key";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var key = Request.Headers[Header].ToString();
            var role = key switch
            {
                OperatorKey => "operator",
                ViewerKey => "viewer",
                _ => null,
            };
            if (role is null)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, role), new Claim("role", role)], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}
