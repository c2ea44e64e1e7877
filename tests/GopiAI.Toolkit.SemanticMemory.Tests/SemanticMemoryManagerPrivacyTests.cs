using GopiAI.Toolkit.SemanticMemory.Faults;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>
/// Deleted means gone, forget requests and owner-only files, checked the way an attacker holding the files would look:
/// raw bytes of the memory file, its -wal and -shm, and a backup made after the delete.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SemanticMemoryManagerPrivacyTests : IDisposable
{
    private const string SecretText = "The vault passphrase is Zanzibarquux Velociraptor 7731, keep it offline.";
    private static readonly string[] SecretWords = ["zanzibarquux", "velociraptor", "Ottoline-Fenwick", "conv-secret-9f"];
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task DeleteAsync_ThenDispose_NoByteOfContentMetadataOrVectorInFileSideFilesOrLaterBackup()
    {
        var path = _temp.File("memory.db");
        var backup = _temp.File("after-delete.bak");
        byte[] vector;
        await using (var memory = await FaultTrials.OpenAsync(path))
        {
            await memory.StoreDocumentsAsync(FaultTrials.Documents(150));
            await memory.StoreDocumentsAsync([Secret("secret-doc")]);
            await memory.StoreDocumentsAsync(FaultTrials.Documents(150, "late"));
            vector = await StoredVectorAsync(path, "secret-doc");
            Assert.Single(FileScan.FilesContaining(FileScan.MemoryFiles(path), "zanzibarquux").Take(1));

            Assert.True(await memory.DeleteAsync("secret-doc"));
            await memory.BackupAsync(backup);
        }

        AssertGone(path, vector, backup);
    }

    [Fact]
    public async Task DeleteConversationAsync_ThenDispose_NothingOfTheConversationIsLeft()
    {
        var path = _temp.File("conversation.db");
        var backup = _temp.File("conversation.bak");
        byte[] vector;
        await using (var memory = await FaultTrials.OpenAsync(path))
        {
            await memory.StoreDocumentsAsync(FaultTrials.Documents(200));
            await memory.StoreConversationAsync(new Conversation
            {
                Id = "conv-secret-9f",
                Metadata = new Dictionary<string, string> { ["patient"] = "Ottoline-Fenwick" },
                Turns = [new ConversationTurn("user", SecretText), new ConversationTurn("assistant", "Noted: Velociraptor stays offline.")],
            });
            vector = await StoredVectorAsync(path, null, "conv-secret-9f");

            Assert.Equal(2, await memory.DeleteConversationAsync("conv-secret-9f"));
            await memory.BackupAsync(backup);
        }

        AssertGone(path, vector, backup);
    }

    [Fact]
    public async Task ForgetAsync_ByMetadata_RemovesTheDocumentsAndLeavesNoTrace()
    {
        var path = _temp.File("forget.db");
        var backup = _temp.File("forget.bak");
        byte[] vector;
        await using (var memory = await FaultTrials.OpenAsync(path))
        {
            await memory.StoreDocumentsAsync(FaultTrials.Documents(100));
            await memory.StoreDocumentsAsync([Secret("secret-a"), Secret("secret-b") with { Content = "Second note about Zanzibarquux Velociraptor 7731 and the vault." }]);
            vector = await StoredVectorAsync(path, "secret-a");

            var result = await memory.ForgetAsync(ForgetRequest.WithMetadata("patient", "Ottoline-Fenwick"));

            Assert.Equal(new ForgetResult(2, 0, 1), result);
            Assert.Equal(100, (await memory.GetStatsAsync()).DocumentCount);
            Assert.Empty(await memory.SearchMemoryAsync("Zanzibarquux Velociraptor", 5, new SearchOptions { Mode = SearchMode.Keyword }));
            await memory.BackupAsync(backup);
        }

        AssertGone(path, vector, backup);
    }

    [Fact]
    public async Task ForgetAsync_EachCriterionAndTheirConjunction_RemovesExactlyTheMatchingDocuments()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var path = _temp.File("criteria.db");
        await using var memory = await SemanticMemoryManager.OpenAsync(FaultTrials.Config(path) with { TimeProvider = clock }, new HashEmbeddingGenerator());
        var day = TimeSpan.FromDays(1);
        MemoryDocument Doc(string id, string conversation, int dayOffset, string user) => new()
        {
            Id = id,
            Content = $"Note {id} about the harbour crane and container {id}.",
            ConversationId = conversation,
            Timestamp = clock.GetUtcNow() + dayOffset * day,
            Metadata = new Dictionary<string, string> { ["user"] = user },
        };
        await memory.StoreDocumentsAsync(
        [
            Doc("a1", "A", 0, "alice"), Doc("a2", "A", 5, "bob"), Doc("b1", "B", 1, "alice"), Doc("b2", "B", 6, "bob"),
            Doc("c1", "C", 2, "carol"), Doc("c2", "C", 7, "alice"),
        ]);

        Assert.Equal(new ForgetResult(2, 0, 1), await memory.ForgetAsync(ForgetRequest.ForConversation("A")));
        Assert.Equal(new ForgetResult(1, 0, 1), await memory.ForgetAsync(new ForgetRequest { Before = clock.GetUtcNow() + 2 * day, Metadata = new Dictionary<string, string> { ["user"] = "alice" } }));
        Assert.Equal(new ForgetResult(1, 0, 1), await memory.ForgetAsync(ForgetRequest.BeforeDate(clock.GetUtcNow() + 3 * day)));
        Assert.Equal(new ForgetResult(0, 0, 0), await memory.ForgetAsync(ForgetRequest.WithMetadata("user", "nobody")));

        var left = (await memory.SearchMemoryAsync("harbour crane container", 10, new SearchOptions { Mode = SearchMode.Keyword })).Select(r => r.Id).Order();
        Assert.Equal(["b2", "c2"], left);
    }

    [Fact]
    public async Task ForgetAsync_ChunkedDocument_RemovesItWithItsChunks()
    {
        var path = _temp.File("chunked.db");
        await using var memory = await SemanticMemoryManager.OpenAsync(FaultTrials.Config(path) with { ChunkTokens = 20, ChunkOverlapTokens = 4 }, new HashEmbeddingGenerator());
        var longText = string.Join(' ', Enumerable.Range(0, 120).Select(i => $"word{i}"));
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "long", Content = longText, Metadata = new Dictionary<string, string> { ["kind"] = "manual" } }]);
        var chunks = (await memory.GetStatsAsync()).ChunkCount;

        var result = await memory.ForgetAsync(ForgetRequest.WithMetadata("kind", "manual"));

        Assert.Equal(1, result.Documents);
        Assert.Equal(chunks, result.Chunks);
        Assert.True(chunks > 1);
        Assert.Equal(0, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task ForgetAsync_NoCriterion_ThrowsAndRemovesNothing()
    {
        await using var memory = await FaultTrials.OpenAsync(_temp.File("empty-request.db"));
        await memory.StoreDocumentsAsync(FaultTrials.Documents(3));

        await Assert.ThrowsAsync<ArgumentException>(() => memory.ForgetAsync(new ForgetRequest()));
        await Assert.ThrowsAsync<ArgumentException>(() => memory.ForgetAsync(new ForgetRequest { ConversationId = " " }));

        Assert.Equal(3, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task OptimizeIndexAsync_AfterDeletingMostDocuments_TheFileShrinks()
    {
        var path = _temp.File("shrink.db");
        await using var memory = await FaultTrials.OpenAsync(path);
        await memory.StoreDocumentsAsync(FaultTrials.Documents(400).Select(d => d with { Content = d.Content + " " + new string('x', 600) + d.Id }));
        await memory.OptimizeIndexAsync();
        var full = new FileInfo(path).Length;
        for (var i = 0; i < 350; i++)
        {
            await memory.DeleteAsync($"doc-{i:D6}");
        }

        await memory.OptimizeIndexAsync();

        var after = new FileInfo(path).Length;
        Assert.True(after < full / 3, $"{full} bytes before, {after} after deleting 350 of 400 documents and optimizing");
        Assert.Equal(0, File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
        Assert.Equal(50, (await memory.GetStatsAsync()).DocumentCount);
    }

    [SkippableFact]
    public async Task OpenAsync_PermissiveUmask_MemoryFileSideFilesAndBackupsAreOwnerOnly()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        var path = _temp.File("modes.db");
        var backup = _temp.File("modes.bak");
        var control = _temp.File("control.txt");
        using (new PermissiveUmask())
        {
            await File.WriteAllTextAsync(control, "x");
            await using var memory = await FaultTrials.OpenAsync(path);
            await memory.StoreDocumentsAsync(FaultTrials.Documents(5));
            await memory.BackupAsync(backup);

            foreach (var file in new[] { path, path + "-wal", path + "-shm", backup })
            {
                Assert.True(File.Exists(file), file);
                Assert.True(File.GetUnixFileMode(file) == OwnerOnlyFiles.Mode, $"{Path.GetFileName(file)}: {File.GetUnixFileMode(file)}");
            }
        }

        Assert.True((File.GetUnixFileMode(control) & UnixFileMode.OtherRead) != 0, "the umask was not permissive");
    }

    private static MemoryDocument Secret(string id) => new()
    {
        Id = id,
        Content = SecretText,
        ConversationId = "conv-secret-9f",
        Metadata = new Dictionary<string, string> { ["patient"] = "Ottoline-Fenwick" },
    };

    private static void AssertGone(string path, byte[] vector, string backup)
    {
        var files = FileScan.MemoryFiles(path, backup).ToList();
        Assert.True(File.Exists(backup));
        foreach (var word in SecretWords)
        {
            Assert.True(FileScan.FilesContaining(files, word) is [], $"'{word}' is still in {string.Join(", ", FileScan.FilesContaining(files, word))}");
        }

        Assert.True(FileScan.FilesContaining(files, vector) is [], "the deleted vector's bytes are still in " + string.Join(", ", FileScan.FilesContaining(files, vector)));
        Assert.True(FileScan.FilesContaining(files, "harbour crane").Count > 0, "the scan found nothing at all (the other documents are there)");
    }

    /// <summary>The first 64 stored bytes of the vector of a document (by id) or of a conversation's first turn.</summary>
    private static async Task<byte[]> StoredVectorAsync(string path, string? id, string? conversationId = null)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT v.data FROM vectors v JOIN documents d ON d.rowid = v.rowid WHERE d.id = $id OR d.conversation_id = $c ORDER BY d.rowid LIMIT 1;";
        command.Parameters.AddWithValue("$id", (object?)id ?? DBNull.Value);
        command.Parameters.AddWithValue("$c", (object?)conversationId ?? DBNull.Value);
        var data = (byte[])(await command.ExecuteScalarAsync())!;
        return data[..64];
    }
}
