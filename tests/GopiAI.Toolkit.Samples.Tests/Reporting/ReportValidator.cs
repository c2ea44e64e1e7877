using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace GopiAI.Toolkit.Samples.Tests.Reporting;

/// <summary>Structural checks of an HTML report: well-formed, self-contained, with non-empty inline SVG charts.</summary>
internal static partial class ReportValidator
{
    public static readonly string[] ChartKinds = ["startup-timeline", "latency-histogram", "cache-hit-rate", "memory-usage"];

    /// <summary>Parses the report as XML (it is written XHTML-style); throws when it is not well-formed.</summary>
    public static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
        return XDocument.Load(reader);
    }

    public static IReadOnlyList<XElement> Charts(XDocument document, string kind) =>
        [.. document.Descendants().Where(e => e.Name.LocalName == "svg" && (string?)e.Attribute("data-chart") == kind)];

    /// <summary>The drawn marks of a chart: bars, lines, points and areas.</summary>
    public static int Marks(XElement svg) =>
        svg.Descendants().Count(e => e.Name.LocalName is "rect" or "polyline" or "polygon" or "circle" or "path");

    /// <summary>References that would make the page depend on anything outside the file.</summary>
    public static IReadOnlyList<string> ExternalReferences(string html) =>
        [.. ExternalReferenceRegex().Matches(html).Select(m => m.Value)];

    /// <summary>Asserts everything the report must satisfy, with a message per failed check.</summary>
    public static XDocument AssertValid(string html, bool expectData)
    {
        var document = Parse(html);
        Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName == "script");
        Assert.Empty(ExternalReferences(html));
        foreach (var kind in ChartKinds)
        {
            var charts = Charts(document, kind);
            Assert.True(charts.Count > 0, $"no <svg data-chart=\"{kind}\"> chart");
            if (expectData)
            {
                Assert.All(charts, chart => Assert.True(Marks(chart) > 0, $"chart {kind} ({chart.Attribute("data-series")?.Value}) has nothing drawn"));
                Assert.All(charts, chart => Assert.True(int.Parse((string)chart.Attribute("data-items")!, System.Globalization.CultureInfo.InvariantCulture) > 0, $"chart {kind} has no items"));
            }
        }

        return document;
    }

    [GeneratedRegex(@"<script|<link|<iframe|<img|\bsrc\s*=|\bhref\s*=\s*""(?!#)|url\(|@import|https?://(?!www\.w3\.org/)", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReferenceRegex();
}
