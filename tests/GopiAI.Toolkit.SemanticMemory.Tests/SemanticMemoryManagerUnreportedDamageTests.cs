using GopiAI.Toolkit.Security;
using GopiAI.Toolkit.SemanticMemory.Faults;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>
/// Damage that SQLite does not report: schema text that still parses but means something else, a document counter
/// that is missing or not a number, a text column holding bytes or a number. Found by the bit-flip trials (a flipped bit turned "rowid INTEGER PRIMARY KEY" of the vectors
/// table into an ordinary column, every vector then read a NULL id and dense search threw InvalidOperationException).
/// </summary>
public sealed class SemanticMemoryManagerUnreportedDamageTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string, string> SchemaDamage => new()
    {
        // The bit-flip trial's file: 'M' (0x4D) flipped to '\r' (0x0D).
        { "vectors", "rowid INTEGER PRIMARY KEY", "rowid INTEGER PRI\rARY KEY" },
        { "documents", "timestamp INTEGER NOT NULL", "timestamp INTEGER      NULL" },
        { "documents_counted_insert", "value = value + 1 WHERE name = 'documents'", "value = value + 3 WHERE name = 'documents'" },
        { "ix_documents_hash", "WHERE kind <> 2", "WHERE kind <> 3" },
    };

    [Theory]
    [MemberData(nameof(SchemaDamage))]
    public async Task OpenAsync_SchemaDamagedButStillParsable_RefusedNamingTheObjectAndFileUntouched(string name, string sound, string damaged)
    {
        var path = _temp.File("m.db");
        await StoreAsync(path);
        await ReplaceSchemaTextAsync(path, name, sound, damaged);
        var before = await File.ReadAllBytesAsync(path);

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => FaultTrials.OpenAsync(path));

        Assert.Equal(MemoryStoreError.NotAMemoryFile, error.Error);
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Theory]
    [MemberData(nameof(SchemaDamage))]
    public async Task RestoreAsync_BackupWithSchemaDamagedButStillParsable_RefusedAndMemoryKept(string name, string sound, string damaged)
    {
        var path = _temp.File("m.db");
        var backup = _temp.File("m.bak");
        await using var memory = await FaultTrials.OpenAsync(path);
        await memory.StoreDocumentsAsync(FaultTrials.Documents(20));
        await memory.BackupAsync(backup);
        await ReplaceSchemaTextAsync(backup, name, sound, damaged);
        await memory.StoreDocumentsAsync(FaultTrials.Documents(1, "later"));

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => memory.RestoreAsync(backup));

        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(21, (await memory.GetStatsAsync()).DocumentCount);
    }

    public static TheoryData<string, bool> CounterDamage => new()
    {
        // Before: a missing counter read as 0 (MaxDocuments silently off); text in it threw a bare FormatException.
        { "DELETE FROM counters WHERE name = 'documents'", true },
        { "UPDATE counters SET value = 'many' WHERE name = 'searchable'", false },
        { "DELETE FROM counters WHERE name = 'searchable'", false },
    };

    [Theory]
    [MemberData(nameof(CounterDamage))]
    public async Task Operations_DamagedDocumentCounter_ThrowDamagedMemoryStoreExceptionAndRestoreRecovers(string damage, bool onWrite)
    {
        var path = _temp.File("m.db");
        var backup = _temp.File("m.bak");
        await using (var memory = await FaultTrials.OpenAsync(path))
        {
            await memory.StoreDocumentsAsync(FaultTrials.Documents(20));
            await memory.BackupAsync(backup);
        }

        await Corpus.ExecAsync(path, damage);

        await using var damaged = await FaultTrials.OpenAsync(path);
        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => onWrite
            ? damaged.StoreDocumentsAsync([new MemoryDocument { Content = "written into a damaged file" }])
            : damaged.SearchMemoryAsync("harbour crane container", 5, new SearchOptions { Mode = SearchMode.Keyword }));
        Assert.Equal(MemoryStoreError.NotAMemoryFile, error.Error);
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.Contains("counter", error.Message, StringComparison.Ordinal);

        // Damage marks the file: writes are refused until a verified backup is restored.
        await Assert.ThrowsAsync<MemoryStoreException>(() => damaged.StoreDocumentsAsync([new MemoryDocument { Content = "written into a damaged file" }]));
        await damaged.RestoreAsync(backup);
        await damaged.StoreDocumentsAsync([new MemoryDocument { Content = "written after the restore" }]);
        Assert.Equal(21, (await damaged.GetStatsAsync()).DocumentCount);
        Assert.NotEmpty(await damaged.SearchMemoryAsync("harbour crane container", 5, new SearchOptions { Mode = SearchMode.Keyword }));
    }

    [Fact]
    public async Task SearchMemoryAsync_TextColumnHoldingBytes_RowLeftOutAndReportedByStats()
    {
        // Found by the bit-flip trials (seed 202401): a record whose content read back as a number made search throw
        // InvalidCastException. Bytes stand in for it here (a TEXT column converts a number written by SQL to text).
        var path = _temp.File("m.db");
        await StoreAsync(path);
        await Corpus.ExecAsync(path, "UPDATE documents SET content = x'00ff' WHERE id = 'doc-000003';");

        await using var memory = await FaultTrials.OpenAsync(path);
        var keyword = await memory.SearchMemoryAsync("harbour crane container", 20, new SearchOptions { Mode = SearchMode.Keyword });
        var hybrid = await memory.SearchMemoryAsync("harbour crane container 39", 20);
        var context = await memory.GetContextAsync("harbour crane container 39", 2_000);
        var stats = await memory.GetStatsAsync();

        Assert.Equal(19, keyword.Count);
        Assert.DoesNotContain(keyword, r => r.Id == "doc-000003");
        Assert.DoesNotContain(hybrid, r => r.Id == "doc-000003");
        Assert.DoesNotContain("document 3:", context, StringComparison.Ordinal);
        Assert.Equal(1, stats.InvalidRows);
        var detail = Assert.Single(stats.InvalidRowDetails);
        Assert.Contains("doc-000003", detail, StringComparison.Ordinal);
        Assert.Contains("not text", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreDocumentsAsync_EncryptedRowWhoseMetadataHoldsText_IsReplacedByTheSameDocument()
    {
        // Storing a document again under its id compares the sealed metadata after opening it; a value of another type
        // threw InvalidCastException there. Like a value that does not authenticate, it is not this document: replaced.
        using var key = MemoryEncryptionKey.Generate();
        var path = _temp.File("m.db");
        var config = FaultTrials.Config(path) with { EncryptionKey = key };
        var documents = FaultTrials.Documents(20).ToArray();
        await using (var memory = await SemanticMemoryManager.OpenAsync(config, new HashEmbeddingGenerator()))
        {
            await memory.StoreDocumentsAsync(documents);
        }

        await Corpus.ExecAsync(path, "UPDATE documents SET metadata = 'not sealed' WHERE id = 'doc-000003';");

        await using var reopened = await SemanticMemoryManager.OpenAsync(config, new HashEmbeddingGenerator());
        Assert.Equal(1, (await reopened.GetStatsAsync()).InvalidRows);
        await reopened.StoreDocumentsAsync([documents[3]]);

        var stats = await reopened.GetStatsAsync();
        Assert.Equal(0, stats.InvalidRows);
        Assert.Equal(20, stats.DocumentCount);
        Assert.Contains(await reopened.SearchMemoryAsync("harbour crane container 39", 5, new SearchOptions { Mode = SearchMode.Keyword }), r => r.Id == "doc-000003");
    }

    private static async Task StoreAsync(string path)
    {
        await using var memory = await FaultTrials.OpenAsync(path);
        await memory.StoreDocumentsAsync(FaultTrials.Documents(20));
    }

    /// <summary>Edits the stored CREATE text of one schema object, as a flipped bit in the schema page would.</summary>
    private static async Task ReplaceSchemaTextAsync(string path, string name, string sound, string damaged)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_master SET sql = replace(sql, $sound, $damaged) WHERE name = $name AND instr(sql, $sound) > 0;
            SELECT changes();
            """;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$sound", sound);
        command.Parameters.AddWithValue("$damaged", damaged);
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }
}
