using GopiAI.Toolkit.Cli.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.ML.Tokenizers;

namespace GopiAI.Toolkit.Cli.Tests;

[Collection(ModelCollection.Name)]
public sealed class CliAppTests(ModelFixture model) : IDisposable
{
    private const string Lighthouse = "The lighthouse keeper writes the tide tables into the logbook every morning at six.";
    private const string Revenue = "Quarterly revenue grew by twelve percent thanks to the new subscription plan.";
    private const string Recipe = "Knead the sourdough for ten minutes, then let it rest overnight in the fridge.";

    private readonly CliRunner _cli = new(model.Generator);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task RunAsync_EveryCommandRoundTrip_BehavesLikeTheMemory()
    {
        var lighthouse = await _cli.RunAsync("memory", "add", Lighthouse, "--conversation", "c1", "--role", "user");
        Assert.Equal(ExitCode.Success, lighthouse.Code);
        Assert.Equal(string.Empty, lighthouse.Error);
        var lighthouseId = lighthouse.StoredId();
        var revenueId = (await _cli.RunAsync("memory", "add", Revenue, "-c", "c2", "-r", "assistant")).StoredId();
        Assert.Equal(ExitCode.Success, (await _cli.RunAsync("memory", "add", Recipe)).Code);

        var dense = await _cli.RunAsync("memory", "search", "who records the ocean tides at dawn?", "--mode", "dense", "--limit", "1");
        Assert.Equal(ExitCode.Success, dense.Code);
        Assert.Contains(lighthouseId, dense.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(revenueId, dense.Output, StringComparison.Ordinal);
        Assert.Contains("Score", dense.Output, StringComparison.Ordinal);

        var hybrid = await _cli.RunAsync("memory", "search", "lighthouse logbook");
        Assert.Equal(ExitCode.Success, hybrid.Code);
        Assert.Contains(lighthouseId, FirstResultRow(hybrid.Output), StringComparison.Ordinal);

        var context = await _cli.RunAsync("memory", "context", "tide tables lighthouse", "--max-tokens", "40");
        Assert.Equal(ExitCode.Success, context.Code);
        Assert.Contains("tide tables", context.Output, StringComparison.Ordinal);
        var tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");
        Assert.InRange(tokenizer.CountTokens(context.Output.TrimEnd('\r', '\n')), 1, 40);

        var backup = await _cli.RunAsync("memory", "backup", "before-delete.db");
        Assert.Equal(ExitCode.Success, backup.Code);
        Assert.True(File.Exists(_cli.PathOf("before-delete.db")));

        var delete = await _cli.RunAsync("memory", "delete", lighthouseId);
        Assert.Equal(ExitCode.Success, delete.Code);
        Assert.Contains($"Deleted {lighthouseId}.", delete.Output, StringComparison.Ordinal);
        foreach (var mode in new[] { "keyword", "dense", "hybrid" })
        {
            var after = await _cli.RunAsync("memory", "search", "lighthouse keeper tide tables", "--mode", mode);
            Assert.Equal(ExitCode.Success, after.Code);
            Assert.DoesNotContain(lighthouseId, after.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("lighthouse", after.Output, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(ExitCode.Success, (await _cli.RunAsync("memory", "delete", "--conversation", "c2")).Code);
        Assert.Equal("1", StatValue((await _cli.RunAsync("memory", "stats")).Output, "Documents"));

        var restore = await _cli.RunAsync("memory", "restore", "before-delete.db");
        Assert.Equal(ExitCode.Success, restore.Code);
        Assert.Contains("Restored 3 documents", restore.Output, StringComparison.Ordinal);
        var restored = await _cli.RunAsync("memory", "search", "lighthouse", "--mode", "keyword");
        Assert.Contains(lighthouseId, restored.Output, StringComparison.Ordinal);

        var stats = await _cli.RunAsync("memory", "stats");
        Assert.Equal(ExitCode.Success, stats.Code);
        Assert.Equal("3", StatValue(stats.Output, "Documents"));
        Assert.Equal("2", StatValue(stats.Output, "Conversations"));
        Assert.Contains("sentence-transformers/all-MiniLM-L6-v2", stats.Output, StringComparison.Ordinal);

        var optimize = await _cli.RunAsync("memory", "optimize");
        Assert.Equal(ExitCode.Success, optimize.Code);
        Assert.Contains("3 vectors", optimize.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RedirectedOutput_IsPlainAsciiWithoutEscapeCodes()
    {
        await _cli.RunAsync("memory", "add", Recipe);

        var search = await _cli.RunAsync("memory", "search", "bread dough");

        Assert.Equal(ExitCode.Success, search.Code);
        Assert.DoesNotContain('\u001b', search.Output);
        Assert.All(search.Output, c => Assert.True(c < 128, $"non-ASCII character U+{(int)c:X4} in redirected output"));
        Assert.Contains("| 1 |", search.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ImportJsonl_ReportsProgressPerBatchAndStoresEveryLine()
    {
        var lines = new[]
        {
            """{"id":"n1","content":"Mount Everest is the highest mountain above sea level.","role":"user","conversationId":"geo"}""",
            """{"content":"The Nile is one of the longest rivers in the world.","metadata":{"topic":"rivers","rank":2}}""",
            "",
            """{"content":"Photosynthesis turns light into chemical energy.","timestamp":"2024-05-01T10:00:00Z"}""",
            """{"content":"The Pacific is the largest ocean on Earth.","source":"atlas.pdf"}""",
            """{"content":"Jupiter has the shortest day of all the planets."}""",
        };
        await File.WriteAllLinesAsync(_cli.PathOf("facts.jsonl"), lines);

        var import = await _cli.RunAsync("memory", "import", "facts.jsonl", "--batch-size", "2");

        Assert.Equal(ExitCode.Success, import.Code);
        Assert.Equal(string.Empty, import.Error);
        Assert.Contains("Imported 2/5", import.Output, StringComparison.Ordinal);
        Assert.Contains("Imported 4/5", import.Output, StringComparison.Ordinal);
        Assert.Contains("Imported 5/5", import.Output, StringComparison.Ordinal);
        Assert.Contains("Imported 5 documents from facts.jsonl: 5 stored, 0 duplicates.", import.Output, StringComparison.Ordinal);
        var search = await _cli.RunAsync("memory", "search", "tallest peak on the planet", "--mode", "dense", "-n", "1");
        Assert.Contains("n1", search.Output, StringComparison.Ordinal);
        Assert.Contains("user", search.Output, StringComparison.Ordinal);
        var filtered = await _cli.RunAsync("memory", "search", "mountain", "--conversation", "geo", "--mode", "keyword");
        Assert.Contains("Everest", filtered.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ImportInteractive_DrawsAProgressBarAndStoresEveryLine()
    {
        await File.WriteAllLinesAsync(_cli.PathOf("few.jsonl"), ["""{"content":"alpha centauri"}""", """{"content":"beta pictoris"}"""]);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var settings = new CliSettings
        {
            Output = output,
            Error = error,
            Interactive = true,
            WorkingDirectory = _cli.Directory,
            EmbeddingGenerator = model.Generator,
        };

        var code = await CliApp.RunAsync(["memory", "import", "few.jsonl", "--batch-size", "1"], settings);

        Assert.Equal(ExitCode.Success, (ExitCode)code);
        Assert.Equal(string.Empty, error.ToString());
        Assert.Contains("Embedding and storing", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("100%", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("2 stored", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AddFromStandardInput_StoresThePipedText()
    {
        var add = await _cli.RunWithInputAsync("Piped notes about the Eiffel Tower in Paris.\n", "memory", "add", "-");

        Assert.Equal(ExitCode.Success, add.Code);
        var search = await _cli.RunAsync("memory", "search", "Eiffel", "--mode", "keyword");
        Assert.Contains(add.StoredId(), search.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AddExistingFile_StoresItsContentWithTheFileNameAsSource()
    {
        await File.WriteAllTextAsync(_cli.PathOf("notes.txt"), "The staging server restarts every Sunday at midnight.");

        var add = await _cli.RunAsync("memory", "add", "notes.txt");

        Assert.Equal(ExitCode.Success, add.Code);
        var context = await _cli.RunAsync("memory", "context", "when does staging restart?");
        Assert.Contains("every Sunday at midnight", context.Output, StringComparison.Ordinal);
        Assert.Contains("notes.txt", context.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AddSameTextTwice_ReportsTheDuplicate()
    {
        var first = await _cli.RunAsync("memory", "add", Revenue);

        var second = await _cli.RunAsync("memory", "add", Revenue);

        Assert.Equal(ExitCode.Success, second.Code);
        Assert.Contains($"Already stored as {first.StoredId()}", second.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("memory", "add", "   ")]
    [InlineData("memory", "add")]
    [InlineData("memory", "search", "tides", "--limit", "0")]
    [InlineData("memory", "search", "tides", "--limit", "-3")]
    [InlineData("memory", "search", "tides", "--limit", "many")]
    [InlineData("memory", "search", "tides", "--mode", "fuzzy")]
    [InlineData("memory", "search", " ")]
    [InlineData("memory", "context", "tides", "--max-tokens", "0")]
    [InlineData("memory", "delete")]
    [InlineData("memory", "delete", "some-id", "--conversation", "c1")]
    [InlineData("memory", "add", "text", "--meta", "novalue")]
    [InlineData("memory", "frobnicate")]
    [InlineData("memory")]
    [InlineData("--busy-timeout", "-1", "memory", "stats")]
    [InlineData("--busy-timeout", "soon", "memory", "stats")]
    [InlineData("memory", "import", "x.jsonl", "--batch-size", "0")]
    [InlineData("memory", "import", "x.jsonl", "--batch-size", "2147483647")]
    [InlineData("memory", "add", "text", "--retention", "sometimes")]
    [InlineData("memory", "add", "text", "--max-documents", "0")]
    [InlineData("--max-documents", "many", "memory", "add", "text")]
    public async Task RunAsync_BadCommandLine_ExitsWithUsageAndOneErrorLine(params string[] args)
    {
        await _cli.RunAsync("memory", "add", Lighthouse);

        var result = await _cli.RunAsync(args);

        Assert.Equal(ExitCode.Usage, result.Code);
        AssertOneErrorLine(result);
    }

    [Fact]
    public async Task RunAsync_ReadCommandWithoutMemoryFile_ExitsMissingFileAndCreatesNothing()
    {
        foreach (var command in new[] { "search", "context", "stats", "optimize", "delete" })
        {
            string[] args = command switch
            {
                "search" or "context" => ["memory", command, "anything"],
                "delete" => ["memory", command, "some-id"],
                _ => ["memory", command],
            };

            var result = await _cli.RunAsync(args);

            Assert.Equal(ExitCode.MissingFile, result.Code);
            AssertOneErrorLine(result);
            Assert.False(File.Exists(_cli.DefaultDatabase));
        }
    }

    [Theory]
    [InlineData("import", "missing.jsonl")]
    [InlineData("restore", "missing-backup.db")]
    public async Task RunAsync_MissingInputFile_ExitsMissingFile(string command, string file)
    {
        var result = await _cli.RunAsync("memory", command, file);

        Assert.Equal(ExitCode.MissingFile, result.Code);
        Assert.Contains(file, result.Error, StringComparison.Ordinal);
        AssertOneErrorLine(result);
    }

    [Theory]
    [InlineData("{\"content\":\"fine\"}\n{not json}\n", "Line 2")]
    [InlineData("{\"content\":\"fine\"}\n{\"id\":\"x\"}\n", "Line 2")]
    [InlineData("[1,2]\n", "Line 1")]
    [InlineData("{\"content\":\"x\",\"timestamp\":\"yesterday\"}\n", "Line 1")]
    [InlineData("{\"content\":\"x\",\"metadata\":[1]}\n", "Line 1")]
    [InlineData("\n\n", "no documents")]
    public async Task RunAsync_ImportMalformedJsonl_ExitsBadInputAndStoresNothing(string content, string expected)
    {
        await File.WriteAllTextAsync(_cli.PathOf("bad.jsonl"), content);

        var result = await _cli.RunAsync("memory", "import", "bad.jsonl");

        Assert.Equal(ExitCode.BadInput, result.Code);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        AssertOneErrorLine(result);
        Assert.False(File.Exists(_cli.DefaultDatabase));
    }

    [Fact]
    public async Task RunAsync_DbIsNotAMemoryFile_ExitsNotAMemoryFileAndLeavesItUntouched()
    {
        const string Text = "just some notes, not a database\n";
        await File.WriteAllTextAsync(_cli.PathOf("notes.txt"), Text);

        var add = await _cli.RunAsync("--db", "notes.txt", "memory", "add", Lighthouse);
        var search = await _cli.RunAsync("memory", "search", "tides", "--db", "notes.txt");

        Assert.Equal(ExitCode.NotAMemoryFile, add.Code);
        Assert.Equal(ExitCode.NotAMemoryFile, search.Code);
        Assert.Contains("notes.txt", add.Error, StringComparison.Ordinal);
        AssertOneErrorLine(add);
        Assert.Equal(Text, await File.ReadAllTextAsync(_cli.PathOf("notes.txt")));
    }

    [Fact]
    public async Task RunAsync_RestoreFromNonMemoryFile_ExitsNotAMemoryFileAndKeepsTheMemory()
    {
        await _cli.RunAsync("memory", "add", Lighthouse);
        await File.WriteAllTextAsync(_cli.PathOf("fake.db"), "not a backup");

        var restore = await _cli.RunAsync("memory", "restore", "fake.db");

        Assert.Equal(ExitCode.NotAMemoryFile, restore.Code);
        AssertOneErrorLine(restore);
        Assert.Contains("lighthouse", (await _cli.RunAsync("memory", "search", "lighthouse", "--mode", "keyword")).Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RunAsync_DatabaseLockedByAnotherWriter_ExitsLockedAfterTheBusyTimeout()
    {
        await _cli.RunAsync("memory", "add", Lighthouse);
        await using (var holder = new SqliteConnection($"Data Source={_cli.DefaultDatabase};Pooling=False"))
        {
            await holder.OpenAsync();
            await using var command = holder.CreateCommand();
            command.CommandText = "BEGIN EXCLUSIVE;";
            await command.ExecuteNonQueryAsync();

            var add = await _cli.RunAsync("--busy-timeout", "0.5", "memory", "add", Revenue);

            Assert.Equal(ExitCode.Locked, add.Code);
            AssertOneErrorLine(add);
            command.CommandText = "ROLLBACK;";
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(ExitCode.Success, (await _cli.RunAsync("memory", "add", Revenue)).Code);
    }

    [Fact]
    public async Task RunAsync_DeleteUnknownIdOrConversation_ExitsNotFound()
    {
        await _cli.RunAsync("memory", "add", Lighthouse);

        var byId = await _cli.RunAsync("memory", "delete", "no-such-id");
        var byConversation = await _cli.RunAsync("memory", "delete", "--conversation", "no-such-conversation");

        Assert.Equal(ExitCode.NotFound, byId.Code);
        Assert.Equal(ExitCode.NotFound, byConversation.Code);
        AssertOneErrorLine(byId);
        AssertOneErrorLine(byConversation);
    }

    [Fact]
    public async Task RunAsync_ModelFolderMissing_ExitsModelMissing()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var settings = new CliSettings { Output = output, Error = error, Interactive = false, WorkingDirectory = _cli.Directory };

        var code = await CliApp.RunAsync(["--model", "no-model-here", "memory", "add", Lighthouse], settings);

        Assert.Equal(ExitCode.ModelMissing, (ExitCode)code);
        Assert.Contains("no-model-here", error.ToString(), StringComparison.Ordinal);
        AssertOneErrorLine(new CliResult(code, output.ToString(), error.ToString()));
    }

    [Fact]
    public async Task RunAsync_Help_PrintsCommandsToOutput()
    {
        var help = await _cli.RunAsync("memory", "--help");

        Assert.Equal(ExitCode.Success, help.Code);
        foreach (var command in new[] { "add", "import", "search", "context", "delete", "stats", "optimize", "backup", "restore" })
        {
            Assert.Contains(command, help.Output, StringComparison.Ordinal);
        }
    }

    private static string StatValue(string table, string property) =>
        table.Split('\n').Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Single(cells => cells.Length > 2 && cells[1] == property)[2];

    private static string FirstResultRow(string table) =>
        table.Split('\n').First(line => line.StartsWith("| 1 ", StringComparison.Ordinal));

    private static void AssertOneErrorLine(CliResult result)
    {
        Assert.NotEqual(0, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
