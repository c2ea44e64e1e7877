using System.Text.RegularExpressions;
using GopiAI.Toolkit.Security;
using GopiAI.Toolkit.SemanticMemory.Faults;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>
/// Encryption at rest with the real model: the file holds none of the stored text, search answers as on a plain file of
/// the same documents, and a wrong or missing key is refused before anything is read or written.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed partial class SemanticMemoryManagerEncryptionTests(ModelFixture model) : IDisposable
{
    private static readonly MemoryDocument[] Documents = Corpus.Documents.Select((d, i) => d with
    {
        ConversationId = i % 2 == 0 ? "even" : "odd",
        Source = $"Field notes of the Aldergrove expedition, volume {i}",
        Metadata = new Dictionary<string, string> { ["topic"] = d.Id!, ["owner"] = i % 3 == 0 ? "Wilhelmina" : "Bartholomew" },
    }).ToArray();

    private static readonly string[] Queries =
    [
        "database connection pool exhausted", "ERR_CONN_4471", "pet sleeping by the window", "hiking in the mountains",
        "what do I need for the lasagna", "app crash when uploading pictures", "winter tyres", "meeting with Priya",
    ];

    private readonly TempDirectory _temp = new();
    private readonly SecretBuffer _key = MemoryEncryptionKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task StoreDocumentsAsync_WithAKey_FileHoldsNoneOfTheStoredText()
    {
        var encrypted = _temp.File("encrypted.db");
        var plain = _temp.File("plain.db");
        var empty = _temp.File("empty.db");
        await using (var memory = await Memory.OpenAsync(model, encrypted, c => c with { EncryptionKey = _key }))
        {
            await memory.StoreDocumentsAsync(Documents);
            Assert.True(memory.IsEncrypted);
        }

        await using (var memory = await Memory.OpenAsync(model, plain))
        {
            await memory.StoreDocumentsAsync(Documents);
            Assert.False(memory.IsEncrypted);
        }

        await using (await Memory.OpenAsync(model, empty, c => c with { EncryptionKey = _key }))
        {
        }

        // Every word of the stored texts, metadata values and sources, less those any memory file holds anyway (schema
        // SQL) and the document ids, which stay in the clear by design (docs/security.md, threat model).
        var ids = Documents.Select(d => d.Id!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var words = Documents.SelectMany(d => new[] { d.Content, d.Source!, d.Metadata!["owner"] })
            .SelectMany(text => Word().Matches(text).Select(m => m.Value.ToLowerInvariant())).Distinct()
            .Where(w => !ids.Contains(w) && FileScan.FilesContaining([empty], w) is []).ToList();
        Assert.True(words.Count > 40, $"only {words.Count} words to look for");
        Assert.All(words, w => Assert.True(FileScan.FilesContaining([plain], w) is [_], $"the plain file should hold '{w}' (the scan is blind otherwise)"));

        var found = words.Where(w => FileScan.FilesContaining(FileScan.MemoryFiles(encrypted), w) is not []).ToList();

        Assert.True(found.Count == 0, "found in the encrypted file: " + string.Join(", ", found));
    }

    [Fact]
    public async Task SearchMemoryAsync_EncryptedFile_ReturnsTheSameTopResultsAsAPlainFileInEveryMode()
    {
        await using var plain = await Memory.OpenAsync(model, _temp.File("plain.db"));
        await using var encrypted = await Memory.OpenAsync(model, _temp.File("encrypted.db"), c => c with { EncryptionKey = _key });
        await plain.StoreDocumentsAsync(Documents);
        await encrypted.StoreDocumentsAsync(Documents);
        var filters = new SearchOptions?[] { null, new() { Metadata = new Dictionary<string, string> { ["owner"] = "Bartholomew" } }, new() { ConversationId = "even" } };

        foreach (var mode in new[] { SearchMode.Dense, SearchMode.Keyword, SearchMode.Hybrid })
        {
            foreach (var filter in filters)
            {
                foreach (var query in Queries)
                {
                    var options = (filter ?? new SearchOptions()) with { Mode = mode };
                    var expected = await plain.SearchMemoryAsync(query, 5, options);
                    var actual = await encrypted.SearchMemoryAsync(query, 5, options);

                    var context = $"{mode} '{query}' {filter?.ConversationId}{filter?.Metadata?.Count}";
                    Assert.True(expected.Select(r => r.Id).SequenceEqual(actual.Select(r => r.Id)),
                        $"{context}: plain {string.Join(",", expected.Select(r => r.Id))} vs encrypted {string.Join(",", actual.Select(r => r.Id))}");
                    Assert.Equal(expected.Select(r => r.Content), actual.Select(r => r.Content));
                    Assert.Equal(expected.Select(r => Math.Round(r.Score, 5)), actual.Select(r => Math.Round(r.Score, 5)));
                }
            }
        }

        var keyword = await encrypted.SearchMemoryAsync("ERR_CONN_4471", 3, new SearchOptions { Mode = SearchMode.Keyword });
        Assert.Equal("db", keyword[0].Id);
        Assert.Equal("Bartholomew", keyword[0].Metadata["owner"]);
        Assert.Equal("Field notes of the Aldergrove expedition, volume 1", keyword[0].Source);
    }

    [Fact]
    public async Task OpenAsync_WrongKey_ThrowsBeforeAnythingIsReadOrWritten()
    {
        var path = await CreateEncryptedAsync("wrong.db");
        var bytes = await File.ReadAllBytesAsync(path);
        using var wrong = MemoryEncryptionKey.Generate();

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => Memory.OpenAsync(model, path, c => c with { EncryptionKey = wrong }));

        Assert.Equal(MemoryStoreError.EncryptionKey, error.Error);
        Assert.Contains("not the key", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task OpenAsync_EncryptedFileWithoutAKey_ThrowsNamingTheSetting()
    {
        var path = await CreateEncryptedAsync("missing.db");
        var bytes = await File.ReadAllBytesAsync(path);

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => Memory.OpenAsync(model, path));

        Assert.Equal(MemoryStoreError.EncryptionKey, error.Error);
        Assert.Contains("MemoryConfig.EncryptionKey", error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task OpenAsync_KeyForAPlainFileWithDocuments_ThrowsAndPointsToRekey()
    {
        var path = _temp.File("plain-with-rows.db");
        await using (var memory = await Memory.OpenAsync(model, path))
        {
            await memory.StoreDocumentsAsync(Documents.Take(2));
        }

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => Memory.OpenAsync(model, path, c => c with { EncryptionKey = _key }));

        Assert.Equal(MemoryStoreError.EncryptionKey, error.Error);
        Assert.Contains("rekey", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OpenAsync_CallerDisposesTheKeyAfterOpening_MemoryKeepsWorking()
    {
        var path = _temp.File("disposed-key.db");
        var key = MemoryEncryptionKey.Generate();
        await using var memory = await Memory.OpenAsync(model, path, c => c with { EncryptionKey = key });
        key.Dispose();

        await memory.StoreDocumentsAsync(Documents.Take(3));

        Assert.Equal("pets", (await memory.SearchMemoryAsync("cat on the windowsill", 1))[0].Id);
    }

    [Fact]
    public async Task RekeyAsync_ToANewKey_OnlyTheNewKeyOpensAndSearchStillAnswers()
    {
        var path = await CreateEncryptedAsync("rekey.db");
        using var next = MemoryEncryptionKey.Generate();

        var result = await SemanticMemoryManager.RekeyAsync(new MemoryConfig { IndexPath = path, EncryptionKey = _key }, next);

        Assert.Equal(new RekeyResult(Documents.Length, true), result);
        await Assert.ThrowsAsync<MemoryStoreException>(() => Memory.OpenAsync(model, path, c => c with { EncryptionKey = _key }));
        await using var memory = await Memory.OpenAsync(model, path, c => c with { EncryptionKey = next });
        Assert.Equal("db", (await memory.SearchMemoryAsync("ERR_CONN_4471", 1, new SearchOptions { Mode = SearchMode.Keyword }))[0].Id);
        Assert.Equal("trip", (await memory.SearchMemoryAsync("hiking in the mountains", 1, new SearchOptions { Mode = SearchMode.Dense }))[0].Id);
        Assert.Equal(0, (await memory.GetStatsAsync()).InvalidRows);
    }

    [Fact]
    public async Task RestoreAsync_BackupOfAnEncryptedMemory_RestoresUnderTheSameKeyAndRefusesAPlainBackup()
    {
        var path = await CreateEncryptedAsync("restore.db");
        var backup = _temp.File("encrypted.bak");
        var plainBackup = _temp.File("plain.bak");
        await using (var plain = await Memory.OpenAsync(model, _temp.File("plain-source.db")))
        {
            await plain.StoreDocumentsAsync(Documents.Take(2));
            await plain.BackupAsync(plainBackup);
        }

        await using var memory = await Memory.OpenAsync(model, path, c => c with { EncryptionKey = _key });
        await memory.BackupAsync(backup);
        Assert.Empty(FileScan.FilesContaining([backup], "lasagna"));
        await memory.DeleteAsync("recipe");

        await memory.RestoreAsync(backup);

        Assert.Equal("recipe", (await memory.SearchMemoryAsync("lasagna", 1))[0].Id);
        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => memory.RestoreAsync(plainBackup));
        Assert.Contains("unencrypted", error.Message, StringComparison.Ordinal);
        Assert.Equal(Documents.Length, (await memory.GetStatsAsync()).DocumentCount);
    }

    private async Task<string> CreateEncryptedAsync(string name)
    {
        var path = _temp.File(name);
        await using var memory = await Memory.OpenAsync(model, path, c => c with { EncryptionKey = _key });
        await memory.StoreDocumentsAsync(Documents);
        return path;
    }

    [GeneratedRegex(@"[\p{L}\p{N}_]{4,}")]
    private static partial Regex Word();
}
