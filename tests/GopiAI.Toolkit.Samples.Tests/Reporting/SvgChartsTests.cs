using System.Globalization;
using System.Xml.Linq;
using GopiAI.Toolkit.Samples.Assistant.Reporting;

namespace GopiAI.Toolkit.Samples.Tests.Reporting;

public sealed class SvgChartsTests
{
    [Fact]
    public void Gantt_Spans_DrawsOneBarPerSpanOrderedByStart()
    {
        var spans = new[]
        {
            new StartupSpan("late", "task", TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500)),
            new StartupSpan("early", "component", TimeSpan.Zero, TimeSpan.FromMilliseconds(250)),
        };

        var svg = XElement.Parse(SvgCharts.Gantt(spans));

        var bars = Bars(svg);
        Assert.Equal(2, bars.Count);
        Assert.True(X(bars[0]) < X(bars[1]), "the earlier span is drawn further left");
        Assert.Equal(2 * Width(bars[0]), Width(bars[1]), 1.0);
    }

    [Fact]
    public void Histogram_Samples_BarCountsAddUpToTheSamples()
    {
        var endpoint = new EndpointReport("e", 7, 5, 9, 0, [1, 1, 2, 5, 5, 5, 9]);

        var svg = XElement.Parse(SvgCharts.Histogram(endpoint));

        var counts = Bars(svg).Select(b => int.Parse(b.Element(Svg("title"))!.Value.Split(' ')[0], CultureInfo.InvariantCulture)).Sum();
        Assert.Equal(7, counts);
        Assert.Equal(2, svg.Descendants(Svg("line")).Count(l => (string?)l.Attribute("class") == "marker"));
    }

    [Fact]
    public void HitRateBars_Caches_BarWidthIsProportionalToHitRate()
    {
        var caches = new[] { new CacheReport("half", "named cache", 5, 5, 1, 10, 0), new CacheReport("full", "named cache", 10, 0, 1, 10, 0) };

        var svg = XElement.Parse(SvgCharts.HitRateBars(caches));

        var bars = Bars(svg);
        Assert.Equal(2, bars.Count);
        Assert.Equal(Width(bars[1]) / 2, Width(bars[0]), 1.0);
    }

    [Fact]
    public void MemoryLine_Threshold_DrawsLeakLineAboveBaseline()
    {
        var samples = Enumerable.Range(0, 5).Select(i => new MemorySample(TimeSpan.FromSeconds(i), (10 + i) * 1048576L)).ToArray();

        var svg = XElement.Parse(SvgCharts.MemoryLine(samples, 10 * 1048576L, 15 * 1048576L));

        var leak = svg.Descendants(Svg("line")).Single(l => (string?)l.Attribute("class") == "leak-threshold");
        var baseline = svg.Descendants(Svg("line")).Single(l => (string?)l.Attribute("class") == "baseline");
        Assert.True(Y(leak) < Y(baseline), "a higher value is drawn higher (smaller y)");
        Assert.Equal(5, svg.Descendants(Svg("circle")).Count());
    }

    [Theory]
    [InlineData(9.5, 5, 10, 2)]
    [InlineData(1300, 8, 1400, 200)]
    [InlineData(0.7, 4, 0.8, 0.2)]
    public void NiceAxis_Max_RoundsUpToNiceSteps(double max, int ticks, double expectedMax, double expectedStep)
    {
        var (axisMax, step) = SvgCharts.NiceAxis(max, ticks);

        Assert.Equal(expectedMax, axisMax, 6);
        Assert.Equal(expectedStep, step, 6);
    }

    [Theory]
    [InlineData(0.25, "250 µs")]
    [InlineData(4.5, "4.5 ms")]
    [InlineData(120, "120 ms")]
    [InlineData(2500, "2.5 s")]
    public void FormatMs_Duration_PicksAUnit(double ms, string expected) => Assert.Equal(expected, SvgCharts.FormatMs(ms));

    private static XName Svg(string name) => XName.Get(name, "http://www.w3.org/2000/svg");

    private static List<XElement> Bars(XElement svg) => [.. svg.Descendants(Svg("rect")).Where(r => (string?)r.Attribute("class") == "bar")];

    private static double X(XElement e) => double.Parse((string)e.Attribute("x")!, CultureInfo.InvariantCulture);

    private static double Y(XElement line) => double.Parse((string)line.Attribute("y1")!, CultureInfo.InvariantCulture);

    private static double Width(XElement e) => double.Parse((string)e.Attribute("width")!, CultureInfo.InvariantCulture);
}
