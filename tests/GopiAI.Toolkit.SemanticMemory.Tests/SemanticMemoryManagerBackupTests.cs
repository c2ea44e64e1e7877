using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using GopiAI.Toolkit.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>Backups and restores: a bad backup never touches the live memory, and a backup never lands where SQLite deletes it.</summary>
[Collection(ModelCollection.Name)]
public sealed class SemanticMemoryManagerBackupTests(ModelFixture model) : IDisposable
{
    private static readonly MemoryDocument[] Other = Enumerable.Range(0, 60).Select(i => new MemoryDocument
    {
        Id = $"other{i}",
        Content = $"Backup document {i}: the harbour crane {i % 9} lifts container {i * 13} onto ship {i % 5}.",
        Metadata = new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    }).ToArray();

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string> DamagedBackups => new()
    {
        // The issue's case: 16 KiB of random bytes in the middle of a valid backup, header intact.
        { "random-middle", "integrity check" },
        { "UPDATE vectors SET format = 99 WHERE rowid = (SELECT min(rowid) FROM vectors)", "unknown vector format 99" },
        { "UPDATE vectors SET data = zeroblob(7) WHERE rowid = (SELECT max(rowid) FROM vectors)", "holds 7 bytes" },
        { "DELETE FROM vectors WHERE rowid = (SELECT min(rowid) FROM vectors)", "without a vector" },
        { "DELETE FROM fts WHERE rowid = (SELECT min(rowid) FROM documents)", "keyword index" },
        { "UPDATE documents SET kind = 7 WHERE id = 'other3'", "unknown row kind 7" },
        { "UPDATE documents SET metadata = '[1,2]' WHERE id = 'other4'", "metadata" },
        { "UPDATE meta SET value = 'some/other-model' WHERE key = 'model'", "some/other-model" },
        { "UPDATE meta SET value = '768' WHERE key = 'dimensions'", "768" },
        { "DELETE FROM meta WHERE key = 'model'", "model" },
        { "ALTER TABLE documents DROP COLUMN source", "source" },
        { "DROP TABLE vectors", "vectors" },
        { "PRAGMA user_version = 0", "schema version 0" },
        { "UPDATE counters SET value = value - 3 WHERE name = 'documents'", "counters disagree" },
        { "DELETE FROM counters WHERE name = 'searchable'", "counters disagree" },
        { "DROP TRIGGER documents_counted_insert", "'documents_counted_insert' is missing" },
        { "PRAGMA application_id = 7", "not a GopiAI semantic memory" },
    };

    [Theory]
    [MemberData(nameof(DamagedBackups))]
    public async Task RestoreAsync_DamagedBackup_IsRefusedBeforeTheLiveFileIsTouched(string damage, string reason)
    {
        var live = _temp.File("live.db");
        var backup = await CreateBackupAsync(damage);
        await using (var memory = await Memory.OpenAsync(model, live))
        {
            await memory.StoreDocumentsAsync(Corpus.Documents);
        }

        var liveBytes = await File.ReadAllBytesAsync(live);
        await using (var memory = await Memory.OpenAsync(model, live))
        {
            var error = await Assert.ThrowsAsync<MemoryStoreException>(() => memory.RestoreAsync(backup));

            Assert.Contains(backup, error.Message, StringComparison.Ordinal);
            Assert.True(error.Message.Contains(reason, StringComparison.Ordinal), error.Message);
            Assert.Contains("was not changed", error.Message, StringComparison.Ordinal);
            Assert.Equal(backup, error.FilePath);

            // The live memory keeps working: searches, stats and writes.
            Assert.Equal("pets", (await memory.SearchMemoryAsync("kitty napping", 1))[0].Id);
            Assert.Equal(Corpus.Documents.Length, (await memory.GetStatsAsync()).DocumentCount);
        }

        Assert.Equal(liveBytes, await File.ReadAllBytesAsync(live));
        Assert.Equal("ok", await Corpus.ScalarAsync(live, "PRAGMA integrity_check;"));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*restore*"));
    }

    [Fact]
    public async Task RestoreAsync_HealthyBackupOfAnotherMemory_ReplacesTheContentAndPassesEveryCheck()
    {
        var live = _temp.File("live.db");
        var backup = await CreateBackupAsync(damage: null);
        await using var memory = await Memory.OpenAsync(model, live);
        await memory.StoreDocumentsAsync(Corpus.Documents);

        await memory.RestoreAsync(backup);

        var stats = await memory.GetStatsAsync();
        Assert.Equal(Other.Length, stats.DocumentCount);
        Assert.Equal(0, stats.InvalidRows);
        Assert.Equal("other7", (await memory.SearchMemoryAsync("container 91 crane", 1, new SearchOptions { Mode = SearchMode.Keyword }))[0].Id);
        Assert.Empty(await memory.SearchMemoryAsync("kitty napping windowsill", 5, new SearchOptions { Mode = SearchMode.Keyword }));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*restore*"));
    }

    [SkippableFact]
    public async Task RestoreAsync_FromAnotherMemoryFileInAReadOnlyFolder_ReadsItAndRestores()
    {
        // A memory file (WAL mode, unlike a backup) in a folder where SQLite cannot create its WAL index: read as immutable.
        var folder = Path.Combine(_temp.Path, "other");
        Directory.CreateDirectory(folder);
        await using (var other = await Memory.OpenAsync(model, Path.Combine(folder, "other.db")))
        {
            await other.StoreDocumentsAsync(Other.Take(5));
        }

        using var view = FileSystemFaults.ReadOnlyFolder(folder, out var reason);
        Skip.If(view is null, reason);
        await using var memory = await Memory.OpenAsync(model, _temp.File("live.db"));
        await memory.StoreDocumentsAsync(Corpus.Documents);

        await memory.RestoreAsync(Path.Combine(view.Path, "other.db"));

        Assert.Equal(5, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-wal")]
    [InlineData("-shm")]
    [InlineData("-journal")]
    public async Task BackupAsync_TargetIsTheMemoryFileOrOneOfItsCompanions_IsRefusedNamingIt(string suffix)
    {
        var path = _temp.File("m.db");
        await using var memory = await Memory.OpenAsync(model, path);
        await memory.StoreDocumentsAsync(Corpus.Documents);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => memory.BackupAsync(path + suffix));

        Assert.Equal("path", error.ParamName);
        Assert.Contains(path + suffix, error.Message, StringComparison.Ordinal);
        Assert.Equal(Corpus.Documents.Length, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task BackupAsync_TargetIsASymbolicLinkToTheMemoryFile_IsRefused()
    {
        var path = _temp.File("m.db");
        await using var memory = await Memory.OpenAsync(model, path);
        await memory.StoreDocumentsAsync(Corpus.Documents);
        var link = _temp.File("alias.db");
        File.CreateSymbolicLink(link, path);

        await Assert.ThrowsAsync<ArgumentException>(() => memory.BackupAsync(link));

        Assert.Equal(Corpus.Documents.Length, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task BackupAsync_WalTargetOfTheIssue_DoesNotReportSuccessForAFileThatVanishes()
    {
        var path = _temp.File("m.db");
        await using (var memory = await Memory.OpenAsync(model, path))
        {
            await memory.StoreDocumentsAsync(Corpus.Documents);
            await Assert.ThrowsAsync<ArgumentException>(() => memory.BackupAsync(path + "-wal"));
        }

        Assert.False(File.Exists(path + "-wal"));
        await using var reopened = await Memory.OpenAsync(model, path);
        Assert.Equal(Corpus.Documents.Length, (await reopened.GetStatsAsync()).DocumentCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-wal")]
    [InlineData("-shm")]
    [InlineData("-journal")]
    public async Task RestoreAsync_SourceIsTheMemoryFileOrOneOfItsCompanions_IsRefusedNamingIt(string suffix)
    {
        var path = _temp.File("m.db");
        await using var memory = await Memory.OpenAsync(model, path);
        await memory.StoreDocumentsAsync(Corpus.Documents);
        if (!File.Exists(path + suffix))
        {
            await File.WriteAllBytesAsync(path + suffix, []);
        }

        var error = await Assert.ThrowsAsync<ArgumentException>(() => memory.RestoreAsync(path + suffix));

        Assert.Equal("path", error.ParamName);
        Assert.Contains(path + suffix, error.Message, StringComparison.Ordinal);
        Assert.Equal(Corpus.Documents.Length, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task BackupAsync_And_RestoreAsync_FolderPaths_AreRefusedNamingTheFolder()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus.Documents);

        var backup = await Assert.ThrowsAsync<ArgumentException>(() => memory.BackupAsync(_temp.Path));
        var restore = await Assert.ThrowsAsync<ArgumentException>(() => memory.RestoreAsync(_temp.Path));

        Assert.Contains("folder", backup.Message, StringComparison.Ordinal);
        Assert.Contains("folder", restore.Message, StringComparison.Ordinal);
    }

    /// <summary>A backup of a memory holding <see cref="Other"/>, then damaged as described (null: left healthy).</summary>
    private async Task<string> CreateBackupAsync(string? damage)
    {
        var source = _temp.File("source.db");
        var backup = _temp.File($"backup-{Guid.NewGuid():N}.db");
        await using (var memory = await Memory.OpenAsync(model, source))
        {
            await memory.StoreDocumentsAsync(Other);
            await memory.BackupAsync(backup);
        }

        File.Delete(source);
        if (damage == "random-middle")
        {
            var bytes = await File.ReadAllBytesAsync(backup);
            Assert.True(bytes.Length > 64 * 1024, $"the backup is {bytes.Length} bytes; the damage needs a larger one");
            new Random(9).NextBytes(bytes.AsSpan(bytes.Length / 2, 16 * 1024));
            await File.WriteAllBytesAsync(backup, bytes);
        }
        else if (damage is not null)
        {
            await using var connection = new SqliteConnection($"Data Source={backup};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = damage;
            await command.ExecuteNonQueryAsync();
        }

        return backup;
    }
}
