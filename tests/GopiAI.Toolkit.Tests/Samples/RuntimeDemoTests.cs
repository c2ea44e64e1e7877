using System.Text.RegularExpressions;
using GopiAI.Toolkit.Samples.RuntimeDemo;

namespace GopiAI.Toolkit.Tests.Samples;

public sealed partial class RuntimeDemoTests
{
    [Fact]
    public async Task RunAsync_PrintsEverySectionWithRealStatistics()
    {
        using var output = new StringWriter();

        var exitCode = await RuntimeDemo.RunAsync(output);
        var text = output.ToString();

        Assert.Equal(0, exitCode);
        var positions = RuntimeDemo.Sections.Select(s => text.IndexOf($"== {s} ==", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);

        Assert.Contains("[5/5] Succeeded", text, StringComparison.Ordinal);
        Assert.Contains("Startup task 'connect-vector-store' failed: connection refused Skipped because of it: 'index-documents'.", text, StringComparison.Ordinal);

        var knowledge = KnowledgeRow().Match(text);
        Assert.True(knowledge.Success, text);
        var hits = int.Parse(knowledge.Groups["hits"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var misses = int.Parse(knowledge.Groups["misses"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(400, hits + misses);
        Assert.InRange(hits, 1, 399);
        Assert.Equal("64", knowledge.Groups["size"].Value);

        Assert.Matches(@"prompt-builders\s+\d+\s+500\s+500\s+0", text);
        Assert.Contains("after 3 attempts", text, StringComparison.Ordinal);
        Assert.Contains("rejected fast by the open circuit breaker", text, StringComparison.Ordinal);
        Assert.Contains("5 calls admitted, 5 rejected", text, StringComparison.Ordinal);
        Assert.Contains("bottleneck tools.calendar (HighErrorRate)", text, StringComparison.Ordinal);
        Assert.Contains("suggestion for llm.complete: Cache the results", text, StringComparison.Ordinal);
        Assert.Contains("suspected leaks: 0", text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"knowledge\s+(?<hits>\d+)\s+(?<misses>\d+)\s+[\d.]+ %\s+(?<size>\d+)\s+64")]
    private static partial Regex KnowledgeRow();
}
