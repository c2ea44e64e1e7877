using GopiAI.Toolkit.Samples.Assistant.Reporting;

namespace GopiAI.Toolkit.Samples.Tests.Reporting;

public sealed class HtmlReportRendererTests
{
    [Fact]
    public void Render_FullReport_IsWellFormedSelfContainedAndDrawsEveryChart()
    {
        var html = HtmlReportRenderer.Render(SampleReports.Full());

        ReportValidator.AssertValid(html, expectData: true);
    }

    [Fact]
    public void Render_FullReport_DrawsOneHistogramPerEndpoint()
    {
        var report = SampleReports.Full();

        var document = ReportValidator.Parse(HtmlReportRenderer.Render(report));

        var series = ReportValidator.Charts(document, "latency-histogram").Select(c => (string?)c.Attribute("data-series"));
        Assert.Equal(report.Endpoints.Select(e => e.Endpoint), series);
    }

    [Fact]
    public void Render_TextWithMarkup_IsEscaped()
    {
        var report = SampleReports.Full() with { Suggestions = ["<script>alert('x')</script> & more"], Title = "a < b" };

        var html = HtmlReportRenderer.Render(report);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more", html, StringComparison.Ordinal);
        ReportValidator.Parse(html);
    }

    [Fact]
    public void Render_EmptyReport_StillWellFormedWithPlaceholderCharts()
    {
        var html = HtmlReportRenderer.Render(new PerformanceReport());

        var document = ReportValidator.AssertValid(html, expectData: false);
        Assert.All(ReportValidator.Charts(document, "memory-usage"), chart => Assert.Equal("0", (string?)chart.Attribute("data-items")));
        Assert.Contains("No memory samples were recorded.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Report_ListsAlertsBottlenecksAndSuggestions()
    {
        var report = SampleReports.Full();

        var html = HtmlReportRenderer.Render(report);

        Assert.All(report.Alerts.Concat(report.Bottlenecks).Concat(report.Suggestions).Concat(report.LeakWarnings).Concat(report.UnusualUsage), text => Assert.Contains(System.Net.WebUtility.HtmlEncode(text), html, StringComparison.Ordinal));
        Assert.Contains("<section id=\"unusual-usage\">", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(report.UnusualUsageThresholds), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_NewFolder_CreatesTheFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gopi-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(folder, "nested", "report.html");

            await HtmlReportRenderer.WriteAsync(SampleReports.Full(), path, CancellationToken.None);

            ReportValidator.AssertValid(await File.ReadAllTextAsync(path, CancellationToken.None), expectData: true);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task WriteAsync_BlankPath_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => HtmlReportRenderer.WriteAsync(SampleReports.Full(), " ", CancellationToken.None));
    }

    [Fact]
    public void Render_MeanAboveP95_StatesThePercentileMethodAndExplainsTheRow()
    {
        var report = SampleReports.Full() with
        {
            Endpoints = [new("PromptAssembler.Assemble", 24, 0.73, 0.4, 0, [.. Enumerable.Repeat(0.4, 23), 8.0], P50Ms: 0.4, P99Ms: 8, MaxMs: 8)],
        };

        var html = HtmlReportRenderer.Render(report);

        Assert.Contains("<th>p50</th><th>p95</th><th>p99</th><th>Max</th>", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{System.Net.WebUtility.HtmlEncode("730 µs *")}</td>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"percentile-method\">Percentiles: nearest-rank", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(ReportText.MeanAboveP95), html, StringComparison.Ordinal);
        ReportValidator.Parse(html);
    }

    [Fact]
    public void Render_MeanBelowP95_NoExplanationNeeded()
    {
        var html = HtmlReportRenderer.Render(SampleReports.Full());

        Assert.Contains("id=\"percentile-method\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"mean-above-p95\"", html, StringComparison.Ordinal);
    }
}
