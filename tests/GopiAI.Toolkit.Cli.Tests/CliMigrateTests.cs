using GopiAI.Toolkit.Cli.Tests.TestSupport;
using GopiAI.Toolkit.Testing;

namespace GopiAI.Toolkit.Cli.Tests;

/// <summary>
/// <c>gopiai memory migrate</c>, <c>export</c> and exports through <c>import</c>, between a SQLite file and PostgreSQL
/// (PGlite over the wire protocol, one server for the class).
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class CliMigrateTests(ModelFixture model) : IAsyncLifetime
{
    private const string Lighthouse = "The lighthouse keeper writes the tide tables into the logbook every morning at six.";
    private const string Revenue = "Quarterly revenue grew by twelve percent thanks to the new subscription plan.";
    private const string Recipe = "Knead the sourdough for ten minutes, then let it rest overnight in the fridge.";

    private readonly CliRunner _cli = new(model.Generator);
    private PGliteServer? _server;

    public async Task InitializeAsync() => _server = await PGliteServer.StartAsync();

    public async Task DisposeAsync()
    {
        _cli.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Migrate_SqliteToPostgresAndBack_CopiesEverythingResumablyWithProgress()
    {
        var postgres = _server!.ConnectionString();
        var lighthouse = (await _cli.RunAsync("memory", "add", Lighthouse, "--conversation", "c1", "--role", "user")).StoredId();
        await _cli.RunAsync("memory", "add", Revenue, "--meta", "team=finance");
        await _cli.RunAsync("memory", "add", Recipe);

        var first = await _cli.RunAsync("memory", "migrate", "--from", "gopiai-memory.db", "--to", postgres);
        var again = await _cli.RunAsync("memory", "migrate", "--from", "gopiai-memory.db", "--to", postgres);
        var search = await _cli.RunAsync("memory", "search", "who records the ocean tides at dawn?", "--db", postgres, "--mode", "dense", "--limit", "1");
        var back = await _cli.RunAsync("memory", "migrate", "--from", postgres, "--to", "back.db");
        var backSearch = await _cli.RunAsync("memory", "search", "lighthouse logbook", "--db", "back.db", "--conversation", "c1");

        Assert.Equal(ExitCode.Success, first.Code);
        Assert.Equal(string.Empty, first.Error);
        Assert.Contains("Copied 3/3 (3 stored, 0 already there)", first.Output, StringComparison.Ordinal);
        Assert.Contains("Migrated 3 documents", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", first.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("0 stored, 3 already there", again.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Success, search.Code);
        Assert.Contains(lighthouse, search.Output, StringComparison.Ordinal);
        Assert.Contains("3 stored, 0 already there", back.Output, StringComparison.Ordinal);
        Assert.Contains(lighthouse, backSearch.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_ToPostgresPastMaxDocuments_RejectsByDefaultAndEvictsTheOldestWhenAsked()
    {
        string[] memory = ["--db", _server!.ConnectionString(), "--pg-schema", "cli_limits"];
        string[] limit = [.. memory, "--max-documents", "2"];
        Assert.Equal(ExitCode.Success, (await _cli.RunAsync(["memory", "add", Lighthouse, .. limit])).Code);
        Assert.Equal(ExitCode.Success, (await _cli.RunAsync(["memory", "add", Revenue, .. limit])).Code);

        var rejected = await _cli.RunAsync(["memory", "add", Recipe, .. limit]);
        var evicting = await _cli.RunAsync(["memory", "add", Recipe, .. limit, "--retention", "evict-oldest"]);

        Assert.Equal(ExitCode.Full, rejected.Code);
        Assert.Contains("--max-documents (2)", rejected.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Success, evicting.Code);
        Assert.DoesNotContain("lighthouse", (await _cli.RunAsync(["memory", "search", "lighthouse logbook", "--mode", "keyword", .. memory])).Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("sourdough", (await _cli.RunAsync(["memory", "search", "sourdough", "--mode", "keyword", .. memory])).Output, StringComparison.Ordinal);
        Assert.Contains("revenue", (await _cli.RunAsync(["memory", "search", "revenue", "--mode", "keyword", .. memory])).Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ExportThenImport_PostgresToSqlite_MovesTheMemoryWithoutTheModelAndRejectsATruncatedFile()
    {
        var postgres = _server!.ConnectionString();
        await _cli.RunAsync("memory", "add", Lighthouse, "--db", postgres, "--pg-schema", "exported");
        await _cli.RunAsync("memory", "add", Recipe, "--db", postgres, "--pg-schema", "exported");

        var export = await _cli.RunAsync("memory", "export", "memory.jsonl", "--db", postgres, "--pg-schema", "exported");
        var import = await _cli.RunAsync("memory", "import", "memory.jsonl", "--db", "copy.db");
        var lines = await File.ReadAllLinesAsync(_cli.PathOf("memory.jsonl"));
        await File.WriteAllLinesAsync(_cli.PathOf("truncated.jsonl"), lines[..^1]);
        var truncated = await _cli.RunAsync("memory", "import", "truncated.jsonl", "--db", "other.db");

        Assert.Equal(ExitCode.Success, export.Code);
        Assert.Contains("Exported 2 documents", export.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Success, import.Code);
        Assert.Contains("2 stored, 0 already there", import.Output, StringComparison.Ordinal);
        Assert.Contains("sourdough", (await _cli.RunAsync("memory", "search", "bread dough", "--db", "copy.db")).Output, StringComparison.Ordinal);
        Assert.Equal(ExitCode.BadInput, truncated.Code);
        Assert.Contains("truncated", truncated.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_ServerNotListening_FailsWithUnavailableAndNoPassword()
    {
        await _cli.RunAsync("memory", "add", Recipe);
        var nowhere = $"Host=127.0.0.1;Port={LoopbackService.FreePort()};Username=u;Password=hunter2;Timeout=3";

        var result = await _cli.RunAsync("memory", "migrate", "--from", "gopiai-memory.db", "--to", nowhere);

        Assert.Equal(ExitCode.Unavailable, result.Code);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
    }
}
