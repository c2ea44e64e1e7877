using GopiAI.Toolkit.Cli.Tests.TestSupport;
using GopiAI.Toolkit.SemanticMemory.Faults;

namespace GopiAI.Toolkit.Cli.Tests;

/// <summary><c>--max-documents</c> and <c>--retention</c>: the limit of the memory a command opens, and what a change past it does.</summary>
public sealed class CliLimitTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private readonly CliRunner _cli;

    public CliLimitTests() => _cli = new CliRunner(new HashEmbeddingGenerator()) { TimeProvider = _clock };

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Add_PastMaxDocumentsByDefault_ExitsFullNamingTheOptionsAndStoresNothing()
    {
        await AddAsync("alpha notes about the harbour", "--max-documents", "2");
        await AddAsync("beta notes about the lighthouse", "--max-documents", "2");

        var third = await _cli.RunAsync("memory", "add", "gamma notes about the ferry", "--max-documents", "2");

        Assert.Equal(ExitCode.Full, third.Code);
        Assert.Contains("--max-documents (2)", third.Error, StringComparison.Ordinal);
        Assert.Contains("--retention", third.Error, StringComparison.Ordinal);
        Assert.Equal(["alpha", "beta"], await StoredAsync());
    }

    [Fact]
    public async Task Add_PastMaxDocumentsEvictingOldest_KeepsTheNewest()
    {
        foreach (var word in new[] { "alpha", "beta", "gamma" })
        {
            await AddAsync($"{word} notes", "--max-documents", "2", "--retention", "evict-oldest");
        }

        Assert.Equal(["beta", "gamma"], await StoredAsync());
    }

    [Fact]
    public async Task Import_PastMaxDocumentsEvictingLeastRecentlyRetrieved_KeepsWhatSearchReturned()
    {
        await File.WriteAllTextAsync(_cli.PathOf("first.jsonl"), "{\"content\": \"alpha notes\"}\n{\"content\": \"beta notes\"}\n");
        await File.WriteAllTextAsync(_cli.PathOf("second.jsonl"), "{\"content\": \"gamma notes\"}\n");
        string[] limits = ["--max-documents", "2", "--retention", "evict-least-recently-retrieved"];
        Assert.Equal(ExitCode.Success, (await _cli.RunAsync(["memory", "import", "first.jsonl", .. limits])).Code);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var search = await _cli.RunAsync(["memory", "search", "alpha", "--mode", "keyword", .. limits]);
        Assert.Equal(ExitCode.Success, search.Code);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var import = await _cli.RunAsync(["memory", "import", "second.jsonl", .. limits]);

        Assert.Equal(ExitCode.Success, import.Code);
        Assert.Equal(["alpha", "gamma"], await StoredAsync()); // beta was stored after alpha, but alpha was retrieved since
    }

    [Fact]
    public async Task Help_OfAWritingCommand_ListsTheLimitOptionsAndTheRetentionValues()
    {
        var help = await _cli.RunAsync("memory", "add", "--help");

        Assert.Equal(ExitCode.Success, help.Code);
        foreach (var expected in new[] { "--max-documents", "--retention", "reject", "evict-oldest", "evict-least-recently-retrieved" })
        {
            Assert.Contains(expected, help.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Add_UnknownRetention_ExitsUsageListingTheValuesAndCreatesNothing()
    {
        var result = await _cli.RunAsync("memory", "add", "alpha", "--retention", "evict-newest");

        Assert.Equal(ExitCode.Usage, result.Code);
        Assert.Contains("evict-newest", result.Error, StringComparison.Ordinal);
        Assert.Contains("evict-least-recently-retrieved", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.DefaultDatabase));
    }

    private async Task AddAsync(string text, params string[] options)
    {
        _clock.Advance(TimeSpan.FromMinutes(1));
        var result = await _cli.RunAsync(["memory", "add", text, .. options]);
        Assert.True(result.Code == ExitCode.Success, result.Error);
    }

    /// <summary>The first word of every stored document, in order.</summary>
    private async Task<string[]> StoredAsync()
    {
        var export = await _cli.RunAsync("memory", "export", "all.jsonl");
        Assert.True(export.Code == ExitCode.Success, export.Error);
        return [.. (await File.ReadAllLinesAsync(_cli.PathOf("all.jsonl")))
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .Where(e => e.TryGetProperty("content", out _))
            .Select(e => e.GetProperty("content").GetString()!.Split(' ')[0])
            .Order(StringComparer.Ordinal)];
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
