using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>Files edited by hand or damaged: every row read from disk is checked before search uses it.</summary>
[Collection(ModelCollection.Name)]
public sealed class SemanticMemoryManagerHostileFileTests(ModelFixture model) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SearchMemoryAsync_TimestampOutsideDateTimeRange_RowIsSkippedAndReportedByStats()
    {
        // Found by the bit-flip trials: a flipped timestamp made every search that ranked the row throw ArgumentOutOfRangeException.
        var path = _temp.File("m.db");
        await using (var memory = await Memory.OpenAsync(model, path))
        {
            await memory.StoreDocumentsAsync(Corpus.Documents);
        }

        await Corpus.ExecAsync(path, "UPDATE documents SET timestamp = -130952404652042 WHERE id = 'car'");

        await using var reopened = await Memory.OpenAsync(model, path);
        var results = await reopened.SearchMemoryAsync("new tyres for winter driving", 10, new SearchOptions { SimilarityThreshold = -1 });
        var stats = await reopened.GetStatsAsync();

        Assert.NotEmpty(results);
        Assert.DoesNotContain(results, r => r.Id == "car");
        Assert.Equal(1, stats.InvalidRows);
        Assert.Contains(stats.InvalidRowDetails, d => d.Contains("'car'", StringComparison.Ordinal) && d.Contains("timestamp", StringComparison.Ordinal));
        Assert.NotNull(stats.Oldest);
    }

    public static TheoryData<bool, string, string> TamperedVectors => new()
    {
        // The case: an unknown format made the row score 1.7e37 and rank first for every dense query.
        { true, "UPDATE vectors SET format = 99 WHERE rowid = {row}", "unknown vector format 99" },
        { true, "UPDATE vectors SET data = zeroblob(10) WHERE rowid = {row}", "holds 10 bytes" },
        { true, "UPDATE vectors SET scale = 1e30 WHERE rowid = {row}", "vector length" },
        { true, "UPDATE vectors SET scale = 'large' WHERE rowid = {row}", "vector scale" },
        { true, "UPDATE vectors SET data = 'text' WHERE rowid = {row}", "not a blob" },
        { false, "UPDATE vectors SET data = unhex(replace(hex(zeroblob(384)), '00', '0000C07F')) WHERE rowid = {row}", "not a finite number" },
        { false, "UPDATE vectors SET data = unhex(replace(hex(zeroblob(384)), '00', '00002042')) WHERE rowid = {row}", "vector length" },
    };

    [Theory]
    [MemberData(nameof(TamperedVectors))]
    public async Task SearchMemoryAsync_TamperedVectorRow_IsSkippedNeverScoresAboveOneAndIsReportedByStats(bool compressed, string tamper, string reason)
    {
        var path = _temp.File("m.db");
        await using (var memory = await Memory.OpenAsync(model, path, c => c with { EnableCompression = compressed }))
        {
            await memory.StoreDocumentsAsync(Corpus.Documents);
        }

        await Corpus.ExecAsync(path, tamper.Replace("{row}", "(SELECT rowid FROM documents WHERE id = 'car')", StringComparison.Ordinal));

        await using var reopened = await Memory.OpenAsync(model, path, c => c with { EnableCompression = compressed });
        foreach (var query in new[] { "kitty napping", "database connection errors", "new tyres for winter driving" })
        {
            var results = await reopened.SearchMemoryAsync(query, 8, new SearchOptions { Mode = SearchMode.Dense, SimilarityThreshold = -1 });
            Assert.All(results, r => Assert.InRange(r.Score, -1.0, 1.0));
            Assert.DoesNotContain(results, r => r.Id == "car");
            Assert.Equal(Corpus.Documents.Length - 1, results.Count);
        }

        Assert.Equal("pets", (await reopened.SearchMemoryAsync("kitty napping", 1, new SearchOptions { Mode = SearchMode.Dense }))[0].Id);
        var stats = await reopened.GetStatsAsync();
        Assert.Equal(1, stats.InvalidRows);
        var detail = Assert.Single(stats.InvalidRowDetails);
        Assert.Contains("id 'car'", detail, StringComparison.Ordinal);
        Assert.Contains(reason, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchMemoryAsync_MetadataThatIsNotJson_SkipsTheRowInsteadOfThrowingAndStatsReportIt()
    {
        var path = _temp.File("m.db");
        await using (var memory = await Memory.OpenAsync(model, path))
        {
            await memory.StoreDocumentsAsync(Corpus.Documents);
        }

        await Corpus.ExecAsync(path, "UPDATE documents SET metadata = 'not json {' WHERE id = 'car';");

        await using var reopened = await Memory.OpenAsync(model, path);
        var keyword = await reopened.SearchMemoryAsync("winter tyres car", 5, new SearchOptions { Mode = SearchMode.Keyword });
        var hybrid = await reopened.SearchMemoryAsync("winter tyres car", 5);
        var filtered = await reopened.SearchMemoryAsync("winter tyres car", 5, new SearchOptions { Metadata = new Dictionary<string, string> { ["k"] = "v" } });
        var stats = await reopened.GetStatsAsync();

        Assert.DoesNotContain(keyword, r => r.Id == "car");
        Assert.DoesNotContain(hybrid, r => r.Id == "car");
        Assert.Empty(filtered);
        Assert.Equal(1, stats.InvalidRows);
        Assert.Contains("id 'car'", Assert.Single(stats.InvalidRowDetails), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatsAsync_HealthyFile_ReportsNoInvalidRows()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"), c => c with { ChunkTokens = 32, ChunkOverlapTokens = 8 });
        await memory.StoreDocumentsAsync(Corpus.Documents.Append(new MemoryDocument { Id = "long", Content = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"sentence {i} about chunking.")) }));

        var stats = await memory.GetStatsAsync();

        Assert.True(stats.ChunkCount > stats.DocumentCount);
        Assert.Equal(0, stats.InvalidRows);
        Assert.Empty(stats.InvalidRowDetails);
    }
}

/// <summary>A small corpus and raw SQL access for tests that damage files on purpose.</summary>
internal static class Corpus
{
    public static readonly MemoryDocument[] Documents =
    [
        new() { Id = "pets", Content = "My cat Luna sleeps on the windowsill every afternoon." },
        new() { Id = "db", Content = "The billing service failed with error ERR_CONN_4471 when the Postgres pool was exhausted." },
        new() { Id = "trip", Content = "We are planning a hiking trip to the Dolomites in September." },
        new() { Id = "recipe", Content = "Grandma's lasagna needs ricotta, spinach and a slow oven." },
        new() { Id = "car", Content = "The car needs new winter tyres before November." },
        new() { Id = "db2", Content = "Database connections time out when too many clients connect at once." },
        new() { Id = "meeting", Content = "Quarterly planning meeting moved to Thursday at 3 pm with Priya Raman." },
        new() { Id = "bug", Content = "Users report that the app crashes when uploading large photos." },
    ];

    public static async Task ExecAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
