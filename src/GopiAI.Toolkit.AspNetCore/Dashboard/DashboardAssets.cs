using System.Net;
using System.Text;

namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>
/// The page, its script, style sheet and icon, read once from the assembly's embedded resources. The page template gets
/// the dashboard's base path and title filled in; nothing on the page refers to anything outside the dashboard's own path.
/// </summary>
internal static class DashboardAssets
{
    /// <summary>The Content-Security-Policy of the page: everything from the dashboard's own origin, nothing else, no inline code.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Lazy<string> s_page = new(() => Read("dashboard.html"));

    public static byte[] Script { get; } = Encoding.UTF8.GetBytes(Read("dashboard.js"));

    public static byte[] StyleSheet { get; } = Encoding.UTF8.GetBytes(Read("dashboard.css"));

    public static byte[] Icon { get; } = Encoding.UTF8.GetBytes(Read("favicon.svg"));

    /// <summary>Returns the page for a dashboard at <paramref name="basePath"/> (for example <c>/gopiai</c>).</summary>
    public static string Page(string basePath, string title) => s_page.Value
        .Replace("{{base}}", WebUtility.HtmlEncode(basePath), StringComparison.Ordinal)
        .Replace("{{title}}", WebUtility.HtmlEncode(title), StringComparison.Ordinal);

    private static string Read(string name)
    {
        var resource = $"GopiAI.Toolkit.AspNetCore.Dashboard.Assets.{name}";
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The dashboard asset '{resource}' is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
