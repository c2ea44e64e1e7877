using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using GopiAI.Toolkit.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>Reading never needs the write lock or write access: a locked or read-only memory can still be searched.</summary>
[Collection(ModelCollection.Name)]
public sealed class SemanticMemoryManagerAccessTests(ModelFixture model) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task OpenAsync_AnotherWriterHoldsTheLock_SearchesContextAndStatsWorkAndWritesFailLocked()
    {
        var path = _temp.File("m.db");
        await CreateAsync(path);
        await using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES ('holder', 'x');";
            await begin.ExecuteNonQueryAsync();
        }

        // Before the fix opening took the write lock (migration check) and failed with Locked after the busy timeout.
        await using var memory = await Memory.OpenAsync(model, path, c => c with { BusyTimeout = TimeSpan.FromMilliseconds(300) });

        Assert.False(memory.IsReadOnly);
        await AssertReadsWorkAsync(memory);
        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Content = "blocked" }]));
        Assert.Equal(MemoryStoreError.Locked, error.Error);
    }

    [SkippableFact]
    public async Task OpenAsync_ReadOnlyFile_SearchesContextStatsAndBackupWorkAndWritesFailReadOnly()
    {
        var path = _temp.File("m.db");
        await CreateAsync(path);
        using var readOnly = FileSystemFaults.ReadOnlyFile(path, out var reason);
        Skip.If(readOnly is null, reason);

        await using var memory = await Memory.OpenAsync(model, path);

        Assert.True(memory.IsReadOnly);
        await AssertReadsWorkAsync(memory);
        await memory.BackupAsync(_temp.File("copy.db"));
        await AssertWritesFailReadOnlyAsync(memory, path);
    }

    [SkippableFact]
    public async Task OpenAsync_ReadOnlyFolder_SearchesAndIsNotMisreportedAsNotAMemoryFile()
    {
        var folder = Path.Combine(_temp.Path, "store");
        Directory.CreateDirectory(folder);
        await CreateAsync(Path.Combine(folder, "m.db"));
        var before = await File.ReadAllBytesAsync(Path.Combine(folder, "m.db"));
        using var view = FileSystemFaults.ReadOnlyFolder(folder, out var reason);
        Skip.If(view is null, reason);
        var path = Path.Combine(view.Path, "m.db");

        await using (var memory = await Memory.OpenAsync(model, path))
        {
            Assert.True(memory.IsReadOnly);
            await AssertReadsWorkAsync(memory);
            await AssertWritesFailReadOnlyAsync(memory, path);
        }

        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(folder, "m.db")));
    }

    [SkippableFact]
    public async Task OpenAsync_NewFileInReadOnlyFolder_FailsReadOnlyNamingTheFile()
    {
        var folder = Path.Combine(_temp.Path, "empty");
        Directory.CreateDirectory(folder);
        using var view = FileSystemFaults.ReadOnlyFolder(folder, out var reason);
        Skip.If(view is null, reason);
        var path = Path.Combine(view.Path, "new.db");

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => Memory.OpenAsync(model, path));

        Assert.Equal(MemoryStoreError.ReadOnly, error.Error);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private async Task CreateAsync(string path)
    {
        await using var memory = await Memory.OpenAsync(model, path);
        await memory.StoreDocumentsAsync(Corpus.Documents);
    }

    private static async Task AssertReadsWorkAsync(SemanticMemoryManager memory)
    {
        Assert.Equal("pets", (await memory.SearchMemoryAsync("kitty napping", 1))[0].Id);
        Assert.Equal("db", (await memory.SearchMemoryAsync("ERR_CONN_4471", 1, new SearchOptions { Mode = SearchMode.Keyword }))[0].Id);
        Assert.Contains("Dolomites", await memory.GetContextAsync("mountain holiday plans", 200), StringComparison.Ordinal);
        var stats = await memory.GetStatsAsync();
        Assert.Equal(Corpus.Documents.Length, stats.DocumentCount);
        Assert.Equal(0, stats.InvalidRows);
    }

    private static async Task AssertWritesFailReadOnlyAsync(SemanticMemoryManager memory, string path)
    {
        var writes = new Func<Task>[]
        {
            () => memory.StoreDocumentsAsync([new MemoryDocument { Content = "a new note" }]),
            () => memory.StoreConversationAsync(new Conversation { Turns = [new ConversationTurn("user", "hello")] }),
            () => memory.DeleteAsync("pets"),
            () => memory.DeleteConversationAsync("c"),
            () => memory.OptimizeIndexAsync(),
        };
        foreach (var write in writes)
        {
            var error = await Assert.ThrowsAsync<MemoryStoreException>(write);
            Assert.Equal(MemoryStoreError.ReadOnly, error.Error);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(Corpus.Documents.Length, (await memory.GetStatsAsync()).DocumentCount);
    }
}
