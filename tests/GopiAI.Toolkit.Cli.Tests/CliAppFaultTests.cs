using System.Text;
using GopiAI.Toolkit.Cli.Tests.TestSupport;
using GopiAI.Toolkit.SemanticMemory.Faults;
using GopiAI.Toolkit.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.Cli.Tests;

/// <summary>The issue-9 scenarios as a user meets them on the command line: hostile files, locks, read-only media, full disks, bad input.</summary>
[Collection(ModelCollection.Name)]
public sealed class CliAppFaultTests(ModelFixture model) : IDisposable
{
    private const string Lighthouse = "The lighthouse keeper writes the tide tables into the logbook every morning at six.";
    private const string Revenue = "Quarterly revenue grew by twelve percent thanks to the new subscription plan.";

    private readonly CliRunner _cli = new(model.Generator);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task RunAsync_RestoreOfABackupWithRandomBytesInItsMiddle_ExitsNotAMemoryFileAndLeavesTheLiveFileUnchanged()
    {
        await _cli.RunAsync("memory", "add", Lighthouse);
        await _cli.RunAsync("memory", "add", Revenue);
        var lines = Enumerable.Range(0, 60).Select(i => $$"""{"content":"Backup line {{i}}: crane {{i % 9}} lifts container {{i * 13}} onto ship {{i % 5}}."}""");
        await File.WriteAllLinesAsync(_cli.PathOf("other.jsonl"), lines);
        Assert.Equal(ExitCode.Success, (await _cli.RunAsync("--db", "other.db", "memory", "import", "other.jsonl")).Code);
        Assert.Equal(ExitCode.Success, (await _cli.RunAsync("--db", "other.db", "memory", "backup", "damaged.db")).Code);
        var bytes = await File.ReadAllBytesAsync(_cli.PathOf("damaged.db"));
        new Random(16).NextBytes(bytes.AsSpan(bytes.Length / 2, Math.Min(16 * 1024, bytes.Length / 3)));
        await File.WriteAllBytesAsync(_cli.PathOf("damaged.db"), bytes);
        var live = await File.ReadAllBytesAsync(_cli.DefaultDatabase);

        var restore = await _cli.RunAsync("memory", "restore", "damaged.db");

        Assert.Equal(ExitCode.NotAMemoryFile, restore.Code);
        AssertOneErrorLine(restore);
        Assert.Contains("cannot be restored", restore.Error, StringComparison.Ordinal);
        Assert.Contains("was not changed", restore.Error, StringComparison.Ordinal);
        Assert.Equal(live, await File.ReadAllBytesAsync(_cli.DefaultDatabase));
        Assert.Contains("| Documents      | 2", (await _cli.RunAsync("memory", "stats")).Output, StringComparison.Ordinal);
        Assert.Contains("lighthouse", (await _cli.RunAsync("memory", "search", "lighthouse", "--mode", "keyword")).Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("-wal")]
    [InlineData("-shm")]
    [InlineData("")]
    public async Task RunAsync_BackupOntoTheMemoryFileOrItsCompanions_ExitsUsageNamingThePath(string suffix)
    {
        await _cli.RunAsync("memory", "add", Lighthouse);

        var backup = await _cli.RunAsync("memory", "backup", "gopiai-memory.db" + suffix);

        Assert.Equal(ExitCode.Usage, backup.Code);
        AssertOneErrorLine(backup);
        Assert.Contains("gopiai-memory.db" + suffix, backup.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Backed up", backup.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.DefaultDatabase + "-wal"));
    }

    [Fact]
    public async Task RunAsync_AddUnderAnExistingIdWithTextStoredUnderAnotherId_ReplacesTheId()
    {
        await _cli.RunAsync("memory", "add", "old content of x", "--id", "x");
        await _cli.RunAsync("memory", "add", "content of y", "--id", "y");

        var third = await _cli.RunAsync("memory", "add", "content of y", "--id", "x");

        Assert.Equal(ExitCode.Success, third.Code);
        Assert.Contains("Stored x.", third.Output, StringComparison.Ordinal);
        Assert.Contains("No matches.", (await _cli.RunAsync("memory", "search", "old", "--mode", "keyword")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReadsWhileAnotherConnectionHoldsTheWriteLock_SucceedAndWritesExitLocked()
    {
        await _cli.RunAsync("memory", "add", Lighthouse);
        await using var holder = new SqliteConnection($"Data Source={_cli.DefaultDatabase};Pooling=False");
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES ('holder', 'x');";
            await begin.ExecuteNonQueryAsync();
        }

        var search = await _cli.RunAsync("--busy-timeout", "0.3", "memory", "search", "lighthouse");
        var stats = await _cli.RunAsync("--busy-timeout", "0.3", "memory", "stats");
        var context = await _cli.RunAsync("--busy-timeout", "0.3", "memory", "context", "tide tables");
        var add = await _cli.RunAsync("--busy-timeout", "0.3", "memory", "add", Revenue);

        Assert.Equal((ExitCode.Success, string.Empty), (search.Code, search.Error));
        Assert.Equal(ExitCode.Success, stats.Code);
        Assert.Equal(ExitCode.Success, context.Code);
        Assert.Contains("tide tables", context.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Locked, add.Code);
    }

    [SkippableFact]
    public async Task RunAsync_ReadOnlyMemoryFile_ReadsSucceedAndWritesExitReadOnly()
    {
        await _cli.RunAsync("memory", "add", Lighthouse);
        using var readOnly = FileSystemFaults.ReadOnlyFile(_cli.DefaultDatabase, out var reason);
        Skip.If(readOnly is null, reason);

        var search = await _cli.RunAsync("memory", "search", "lighthouse");
        var stats = await _cli.RunAsync("memory", "stats");
        var add = await _cli.RunAsync("memory", "add", Revenue);
        var delete = await _cli.RunAsync("memory", "delete", "whatever");

        Assert.Equal(ExitCode.Success, search.Code);
        Assert.Contains("read-only", stats.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCode.ReadOnly, add.Code);
        Assert.Contains("read-only", add.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCode.ReadOnly, delete.Code);
    }

    [SkippableFact]
    public async Task RunAsync_ReadOnlyFolder_SearchSucceedsInsteadOfNotAMemoryFile()
    {
        await _cli.RunAsync("memory", "add", Lighthouse);
        var folder = Path.Combine(_cli.Directory, "store");
        Directory.CreateDirectory(folder);
        File.Move(_cli.DefaultDatabase, Path.Combine(folder, "m.db"));
        using var view = FileSystemFaults.ReadOnlyFolder(folder, out var reason);
        Skip.If(view is null, reason);
        var db = Path.Combine(view.Path, "m.db");

        var search = await _cli.RunAsync("--db", db, "memory", "search", "lighthouse");
        var add = await _cli.RunAsync("--db", db, "memory", "add", Revenue);

        Assert.Equal(ExitCode.Success, search.Code);
        Assert.Contains("lighthouse", search.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ExitCode.ReadOnly, add.Code);
    }

    [SkippableFact]
    public async Task RunAsync_DiskFullDuringImport_ExitsDiskFullAndKeepsWhatWasCommitted()
    {
        // Fast deterministic embeddings: the test fills a real 512 KiB tmpfs, hundreds of model runs would only cost time.
        using var cli = new CliRunner(new HashEmbeddingGenerator());
        using var disk = FileSystemFaults.SmallDisk(cli.Directory, 512 * 1024, out var reason);
        Skip.If(disk is null, reason);
        var db = Path.Combine(disk.Path, "m.db");
        Assert.Equal(ExitCode.Success, (await cli.RunAsync("--db", db, "memory", "add", Lighthouse)).Code);
        var filler = string.Join(' ', Enumerable.Repeat("tides harbour lighthouse keeper logbook morning", 30));
        await File.WriteAllLinesAsync(cli.PathOf("big.jsonl"), Enumerable.Range(0, 400).Select(i => $$"""{"content":"{{i}} {{filler}} {{i * 7}}"}"""));

        var import = await cli.RunAsync("--db", db, "memory", "import", "big.jsonl", "--batch-size", "50");

        Assert.Equal(ExitCode.DiskFull, import.Code);
        Assert.Contains("full", import.Error, StringComparison.Ordinal);
        await using (var check = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False"))
        {
            await check.OpenAsync();
            await using var command = check.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", await command.ExecuteScalarAsync());
            command.CommandText = "SELECT (count(*) - 1) % 50 FROM documents;";
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }

        Assert.Equal(ExitCode.Success, (await cli.RunAsync("--db", db, "memory", "search", "lighthouse")).Code);
    }

    [Fact]
    public async Task RunAsync_LongIdCollidingWithAStoredChunkLikeId_ExitsUsageNamingBothIds()
    {
        await _cli.RunAsync("memory", "add", "a short note", "--id", "a#0");
        var longText = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"word{i}"));

        var add = await _cli.RunAsync("memory", "add", longText, "--id", "a");

        Assert.Equal(ExitCode.Usage, add.Code);
        AssertOneErrorLine(add);
        Assert.Contains("'a#0'", add.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite", add.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"content\":\"fine\"}\n{\"content\":\"bad \\ud800 text\"}\n", "Line 2", "surrogate")]
    [InlineData("{\"content\":\"x\",\"metadata\":{\"k\":\"\\udc00\"}}\n", "Line 1", "surrogate")]
    [InlineData("{\"content\":\"x\",\"\\ud800\":\"y\"}\n", "Line 1", "surrogate")]
    public async Task RunAsync_ImportWithALoneSurrogateEscape_ExitsBadInputNamingTheLine(string content, string line, string reason)
    {
        await File.WriteAllTextAsync(_cli.PathOf("bad.jsonl"), content);

        var import = await _cli.RunAsync("memory", "import", "bad.jsonl");

        Assert.Equal(ExitCode.BadInput, import.Code);
        AssertOneErrorLine(import);
        Assert.Contains(line, import.Error, StringComparison.Ordinal);
        Assert.Contains(reason, import.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.DefaultDatabase));
    }

    [Fact]
    public async Task RunAsync_ImportWithInvalidUtf8Bytes_ExitsBadInputNamingTheLine()
    {
        await File.WriteAllBytesAsync(_cli.PathOf("latin1.jsonl"), [.. "{\"content\":\"ok\"}\n{\"content\":\"caf"u8, 0xE9, .. "\"}\n"u8]);

        var import = await _cli.RunAsync("memory", "import", "latin1.jsonl");

        Assert.Equal(ExitCode.BadInput, import.Code);
        Assert.Contains("Line 2", import.Error, StringComparison.Ordinal);
        Assert.Contains("UTF-8", import.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReadCommandOnAZeroByteFile_ExitsNotAMemoryFileAndLeavesItEmpty()
    {
        await File.WriteAllBytesAsync(_cli.PathOf("empty.db"), []);

        foreach (var args in new[] { new[] { "memory", "search", "x" }, ["memory", "stats"], ["memory", "context", "x"] })
        {
            var result = await _cli.RunAsync([.. args, "--db", "empty.db"]);

            Assert.Equal(ExitCode.NotAMemoryFile, result.Code);
            Assert.Contains("empty", result.Error, StringComparison.Ordinal);
            Assert.Equal(0, new FileInfo(_cli.PathOf("empty.db")).Length);
        }
    }

    [Fact]
    public async Task RunAsync_AddOfAFileThatDoesNotExist_ExitsMissingFileInsteadOfStoringTheName()
    {
        var add = await _cli.RunAsync("memory", "add", "nosuchfile.txt");
        var literal = await _cli.RunAsync("memory", "add", "nosuchfile.txt", "--text");

        Assert.Equal(ExitCode.MissingFile, add.Code);
        Assert.Contains("nosuchfile.txt", add.Error, StringComparison.Ordinal);
        Assert.Contains("--text", add.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Success, literal.Code);
    }

    [Theory]
    [InlineData("import")]
    [InlineData("restore")]
    [InlineData("add")]
    public async Task RunAsync_FolderWhereAFileIsExpected_ExitsMissingFileSayingItIsAFolder(string command)
    {
        Directory.CreateDirectory(_cli.PathOf("somewhere"));

        var result = await _cli.RunAsync("memory", command, "somewhere");

        Assert.Equal(ExitCode.MissingFile, result.Code);
        AssertOneErrorLine(result);
        Assert.Contains("is a folder", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MetadataThatIsNotJsonInTheFile_SearchSkipsTheRowAndStatsReportIt()
    {
        await _cli.RunAsync("memory", "add", Lighthouse, "--id", "l");
        await _cli.RunAsync("memory", "add", Revenue, "--id", "r");
        await using (var raw = new SqliteConnection($"Data Source={_cli.DefaultDatabase};Pooling=False"))
        {
            await raw.OpenAsync();
            await using var command = raw.CreateCommand();
            command.CommandText = "UPDATE documents SET metadata = 'not json' WHERE id = 'l';";
            await command.ExecuteNonQueryAsync();
        }

        var search = await _cli.RunAsync("memory", "search", "lighthouse revenue");
        var stats = await _cli.RunAsync("memory", "stats");

        Assert.Equal(ExitCode.Success, search.Code);
        Assert.DoesNotContain("Unexpected", search.Error, StringComparison.Ordinal);
        Assert.Contains("id 'l'", stats.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AddOfAVeryLongFile_PrintsChunkProgressWhileEmbedding()
    {
        // A fast deterministic generator: this test is about the progress the tool prints, not about embeddings.
        using var cli = new CliRunner(new HashEmbeddingGenerator());
        var random = new Random(5);
        var text = new StringBuilder();
        while (text.Length < 300_000)
        {
            text.Append("word").Append(random.Next(100_000)).Append(' ');
        }

        await File.WriteAllTextAsync(cli.PathOf("book.txt"), text.ToString());

        var add = await cli.RunAsync("memory", "add", "book.txt");

        Assert.Equal(ExitCode.Success, add.Code);
        var progress = add.Output.Split('\n').Where(l => l.StartsWith("Embedded ", StringComparison.Ordinal)).ToList();
        Assert.True(progress.Count >= 2, add.Output);
        Assert.StartsWith("Embedded 256/", progress[0], StringComparison.Ordinal);
        Assert.Contains("Stored ", add.Output, StringComparison.Ordinal);
    }

    private static void AssertOneErrorLine(CliResult result)
    {
        Assert.NotEqual(0, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
