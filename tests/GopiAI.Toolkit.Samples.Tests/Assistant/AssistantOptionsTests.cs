using GopiAI.Toolkit.Samples.Assistant;

namespace GopiAI.Toolkit.Samples.Tests.Assistant;

public sealed class AssistantOptionsTests
{
    [Fact]
    public void Parse_NoArguments_UsesDefaults()
    {
        var options = AssistantOptions.Parse([]);

        Assert.Equal("assistant-memory.db", options.DatabasePath);
        Assert.True(options.Interactive);
        Assert.Null(options.ReportPath);
        Assert.False(options.SimulatePressure);
        Assert.Equal(300, options.TokenBudget);
        Assert.EndsWith(Path.Combine("Data", "conversations.jsonl"), options.DataPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EveryOption_SetsIt()
    {
        var options = AssistantOptions.Parse(
            ["--db", "x.db", "--no-interactive", "--report", "r.html", "--simulate-pressure", "--token-budget", "128", "--top", "5", "--memory-alert-mb", "64", "--slow-endpoint-ms", "40", "--data", "d.jsonl", "--questions", "q.json"]);

        Assert.Equal("x.db", options.DatabasePath);
        Assert.False(options.Interactive);
        Assert.Equal("r.html", options.ReportPath);
        Assert.True(options.SimulatePressure);
        Assert.Equal(128, options.TokenBudget);
        Assert.Equal(5, options.TopResults);
        Assert.Equal(64L * 1024 * 1024, options.Alerts.MemoryAlertBytes);
        Assert.True(options.Alerts.MemoryAlertExplicit);
        Assert.Equal(TimeSpan.FromMilliseconds(40), options.Alerts.SlowEndpointThreshold);
        Assert.Equal("d.jsonl", options.DataPath);
        Assert.Equal("q.json", options.QuestionsPath);
    }

    [Fact]
    public void Parse_UnknownArgument_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => AssistantOptions.Parse(["--verbose"]));

        Assert.Contains("--verbose", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--db")]
    [InlineData("--report")]
    public void Parse_MissingValue_ThrowsSayingItNeedsOne(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => AssistantOptions.Parse([name]));

        Assert.Contains($"'{name}' needs a value", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--token-budget", "0")]
    [InlineData("--top", "-1")]
    [InlineData("--memory-alert-mb", "lots")]
    public void Parse_InvalidNumber_ThrowsWithTheValue(string name, string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => AssistantOptions.Parse([name, value]));

        Assert.Contains(value, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    [InlineData("http://localhost:0", "http://localhost:0/")]
    [InlineData("http://[::1]:5080/", "http://[::1]:5080/")]
    public void Parse_Dashboard_KeepsTheAddress(string url, string expected)
    {
        var options = AssistantOptions.Parse(["--dashboard", url]);

        Assert.Equal(expected, options.DashboardUrl?.ToString());
        Assert.Null(AssistantOptions.Parse([]).DashboardUrl);
    }

    [Theory]
    [InlineData("https://127.0.0.1:5080")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("http://127.0.0.1:5080/gopiai")]
    [InlineData("http://127.0.0.1:5080/?x=1")]
    [InlineData("ftp://127.0.0.1")]
    public void Parse_DashboardNotAPlainHttpAddress_ThrowsWithAnExample(string url)
    {
        var ex = Assert.Throws<ArgumentException>(() => AssistantOptions.Parse(["--dashboard", url]));

        Assert.Contains("http://127.0.0.1:5080", ex.Message, StringComparison.Ordinal);
    }
}
