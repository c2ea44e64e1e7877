using System.Text.RegularExpressions;
using GopiAI.Toolkit.Samples.Assistant.Reporting;
using GopiAI.Toolkit.Samples.Tests.Reporting;

namespace GopiAI.Toolkit.Samples.Tests.Assistant;

/// <summary>Runs the built assistant sample (<c>dotnet GopiAI.Toolkit.Samples.Assistant.dll</c>) on a temporary database, as the README does.</summary>
public sealed class AssistantRunFixture : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "gopi-assistant-e2e-" + Guid.NewGuid().ToString("N"));

    public string Database => Path.Combine(Folder, "assistant-memory.db");

    public string ReportPath => Path.Combine(Folder, "report.html");

    public ProcessResult FirstRun { get; private set; } = new(-1, string.Empty);

    public static Task<ProcessResult> RunAsync(string folder, params string[] arguments) =>
        ProcessRunner.RunDotnetAsync([SamplePaths.AssistantDll, .. arguments], folder, TimeSpan.FromMinutes(3));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        FirstRun = await RunAsync(Folder, "--db", Database, "--no-interactive", "--report", ReportPath);
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}

public sealed partial class AssistantEndToEndTests(AssistantRunFixture run) : IClassFixture<AssistantRunFixture>
{
    private const int Questions = 12;

    [Fact]
    public void FirstRun_FreshDatabase_IngestsTheBundledConversations()
    {
        Assert.True(run.FirstRun.ExitCode == 0, run.FirstRun.ToString());
        Assert.Contains("ingesting conversations 100% (414/414)", run.FirstRun.Output, StringComparison.Ordinal);
        Assert.Contains("ingested 414 turns", run.FirstRun.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(run.Database));
    }

    [Fact]
    public void FirstRun_ScriptedSession_FindsResultsForEveryQuestionWithinBudget()
    {
        var output = run.FirstRun.Output;
        Assert.True(run.FirstRun.ExitCode == 0, run.FirstRun.ToString());

        for (var i = 1; i <= Questions; i++)
        {
            Assert.Contains($"Question {i}/{Questions}:", output, StringComparison.Ordinal);
        }

        var results = ResultsRegex().Matches(output);
        Assert.Equal(Questions, results.Count);
        Assert.All(results, m => Assert.True(int.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, m.Value));

        var contexts = ContextRegex().Matches(output);
        Assert.Equal(Questions, contexts.Count);
        Assert.All(contexts, m =>
        {
            var used = int.Parse(m.Groups["used"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var budget = int.Parse(m.Groups["budget"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(used, 1, budget);
        });

        Assert.Contains($"{Questions}/{Questions} questions found the conversation holding their answer in the top 3", output, StringComparison.Ordinal);
        Assert.Contains($"{Questions}/{Questions} contexts within the 300-token budget", output, StringComparison.Ordinal);
        // Conversation-aware context (issue 13): the turns around each hit bring every scripted answer into its context.
        Assert.Contains($"{Questions}/{Questions} contexts hold the answer.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void FirstRun_Summary_HasEverySection()
    {
        Assert.True(run.FirstRun.ExitCode == 0, run.FirstRun.ToString());
        var summary = run.FirstRun.Output[run.FirstRun.Output.IndexOf("Performance summary", StringComparison.Ordinal)..];

        Assert.All(ConsoleSummary.SectionTitles, title => Assert.Contains(title, summary, StringComparison.Ordinal));
        Assert.Contains("EmbeddingModelHost", summary, StringComparison.Ordinal);
        Assert.Contains("KnowledgeBase.SearchAsync", summary, StringComparison.Ordinal);
        Assert.Contains("PromptScratchBuffer", summary, StringComparison.Ordinal);
        Assert.Contains("AssistantService.AskAsync", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstRun_Report_IsWrittenWithEveryChart()
    {
        Assert.True(run.FirstRun.ExitCode == 0, run.FirstRun.ToString());

        var html = await File.ReadAllTextAsync(run.ReportPath);

        var document = ReportValidator.AssertValid(html, expectData: true);
        Assert.True(ReportValidator.Charts(document, "latency-histogram").Count >= 5, "one histogram per monitored endpoint");
    }

    [Fact]
    public async Task SecondRun_SimulatedPressureAndLowSlowThreshold_ReusesTheDatabaseAndRaisesBothAlerts()
    {
        Assert.True(run.FirstRun.ExitCode == 0, run.FirstRun.ToString());
        var before = File.GetLastWriteTimeUtc(run.Database);

        var second = await AssistantRunFixture.RunAsync(run.Folder, "--db", run.Database, "--no-interactive", "--simulate-pressure", "--slow-endpoint-ms", "1");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("reusing assistant-memory.db: 414 documents", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ingesting conversations", second.Output, StringComparison.Ordinal);
        Assert.Matches(ReactedRegex(), second.Output);
        var summary = second.Output[second.Output.IndexOf("Performance summary", StringComparison.Ordinal)..];
        Assert.Contains("Memory usage alert", summary, StringComparison.Ordinal);
        Assert.Contains("Slow endpoint alert: KnowledgeBase.Search", summary, StringComparison.Ordinal);
        Assert.Contains("exceeds the 1 ms threshold", summary, StringComparison.Ordinal);
        Assert.Contains("AlertRaised event: MemoryGrowth on managed heap", second.Output, StringComparison.Ordinal);
        Assert.Contains("the leak detection reacted: Memory growth beyond the leak threshold", second.Output, StringComparison.Ordinal);
        var unusual = summary[summary.IndexOf("Unusual resource usage", StringComparison.Ordinal)..];
        Assert.Contains("Memory growth beyond the leak threshold", unusual, StringComparison.Ordinal);
        Assert.True(File.GetLastWriteTimeUtc(run.Database) >= before);
    }

    [Fact]
    public async Task Run_MissingDataFileOnFreshDatabase_ExitsOneWithAnErrorNamingTheFile()
    {
        var missing = Path.Combine(run.Folder, "no-such-file.jsonl");

        var result = await AssistantRunFixture.RunAsync(run.Folder, "--db", Path.Combine(run.Folder, "other.db"), "--data", missing, "--no-interactive");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error:", result.Output, StringComparison.Ordinal);
        Assert.Contains("no-such-file.jsonl", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(run.Folder, "other.db")), "no empty database is left behind");
    }

    [GeneratedRegex(@"results: (?<count>\d+), best score")]
    private static partial Regex ResultsRegex();

    [GeneratedRegex(@"context: (?<used>\d+)/(?<budget>\d+) tokens \(within budget\)")]
    private static partial Regex ContextRegex();

    [GeneratedRegex(@"the monitor reacted after \d+ blocks \(\d+ MB\): trimmed \d+ cache entries")]
    private static partial Regex ReactedRegex();
}
