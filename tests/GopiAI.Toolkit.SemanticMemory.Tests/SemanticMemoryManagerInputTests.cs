using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>Bad and hostile input: a clear exception naming the argument, never a crash deep inside a dependency.</summary>
[Collection(ModelCollection.Name)]
public sealed class SemanticMemoryManagerInputTests(ModelFixture model) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(@"abc\ud800def", 3)]
    [InlineData(@"\udc00 leading low surrogate", 0)]
    [InlineData(@"ends with a high surrogate \ud83d", 27)]
    public async Task StoreDocumentsAsync_LoneSurrogateInContent_ThrowsArgumentExceptionNamingDocumentAndIndex(string escaped, int index)
    {
        // Escaped in the attribute: attribute strings are stored as UTF-8, which cannot hold a lone surrogate.
        var content = System.Text.RegularExpressions.Regex.Unescape(escaped);
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));

        // Before the fix: ArgumentException for a parameter named 'strInput', from string.Normalize inside the tokenizer.
        var error = await Assert.ThrowsAsync<ArgumentException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Content = "fine 😀" }, new MemoryDocument { Content = content }]));

        Assert.Equal("documents", error.ParamName);
        Assert.Contains("Document 1", error.Message, StringComparison.Ordinal);
        Assert.Contains($"index {index}", error.Message, StringComparison.Ordinal);
        Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task StoreDocumentsAsync_LoneSurrogateInMetadataOrId_ThrowsArgumentExceptionNamingTheField()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));

        var metadata = await Assert.ThrowsAsync<ArgumentException>(() => memory.StoreDocumentsAsync(
            [new MemoryDocument { Content = "ok", Metadata = new Dictionary<string, string> { ["k"] = "v\ud800" } }]));
        var id = await Assert.ThrowsAsync<ArgumentException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Id = "\udfff", Content = "ok" }]));

        Assert.Contains("metadata 'k'", metadata.Message, StringComparison.Ordinal);
        Assert.Contains("id", id.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreDocumentsAsync_MetadataBeyondItsLimits_ThrowsArgumentExceptionSayingTheLimitAndStoresNothing()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        var many = Enumerable.Range(0, SemanticMemoryManager.MaxMetadataEntries + 1).ToDictionary(i => "k" + i, i => "v");
        var long_ = new Dictionary<string, string> { ["k"] = new string('x', SemanticMemoryManager.MaxMetadataLength) };

        var entries = await Assert.ThrowsAsync<ArgumentException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Content = "ok", Metadata = many }]));
        var length = await Assert.ThrowsAsync<ArgumentException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Content = "ok", Metadata = long_ }]));

        Assert.Contains("MaxMetadataEntries", entries.Message, StringComparison.Ordinal);
        Assert.Contains("MaxMetadataLength", length.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task StoreDocumentsAsync_ContentLongerThanTheLimit_ThrowsArgumentExceptionSayingTheLimit()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => memory.StoreDocumentsAsync(
            [new MemoryDocument { Content = new string('a', SemanticMemoryManager.MaxDocumentLength + 1) }]));

        Assert.Contains("MaxDocumentLength", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task SearchMemoryAsync_MoreFilterKeysThanTheLimit_ThrowsArgumentExceptionSayingTheLimit()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        var filter = Enumerable.Range(0, SemanticMemoryManager.MaxFilterKeys + 1).ToDictionary(i => "k" + i, i => "v");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => memory.SearchMemoryAsync("car", 3, new SearchOptions { Metadata = filter }));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("MaxFilterKeys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchMemoryAsync_LoneSurrogateInQuery_ThrowsArgumentExceptionForTheQuery()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus.Documents);

        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Dense, SearchMode.Keyword })
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => memory.SearchMemoryAsync("kitty \ud800", 3, new SearchOptions { Mode = mode }));
            Assert.Equal("query", error.ParamName);
        }

        Assert.Equal("query", (await Assert.ThrowsAsync<ArgumentException>(() => memory.GetContextAsync("kitty \udc01"))).ParamName);
    }

    [Fact]
    public async Task SearchMemoryAsync_NullMetadataFilterValue_ThrowsArgumentExceptionNamingTheKey()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus.Documents);

        // Before the fix: NullReferenceException while building the result-cache key.
        var error = await Assert.ThrowsAsync<ArgumentException>(() => memory.SearchMemoryAsync("car", 3, new SearchOptions { Metadata = new Dictionary<string, string> { ["team"] = null! } }));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("'team'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(1.5f)]
    public async Task SearchMemoryAsync_SimilarityThresholdNotANumberInRange_ThrowsArgumentException(float threshold)
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));

        // Before the fix NaN was accepted and every comparison with it was false: the search returned nothing.
        var error = await Assert.ThrowsAsync<ArgumentException>(() => memory.SearchMemoryAsync("car", 3, new SearchOptions { SimilarityThreshold = threshold }));

        Assert.Contains("SimilarityThreshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_SimilarityThresholdNaN_ThrowsArgumentOutOfRangeNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Memory.OpenAsync(model, _temp.File("m.db"), c => c with { SimilarityThreshold = float.NaN }));

        Assert.Equal("config.SimilarityThreshold", error.ParamName);
    }

    [Fact]
    public void MemoryConfig_Default_ProviderIsSqliteWithoutConnectionString()
    {
        var config = new MemoryConfig();

        Assert.Equal(MemoryProvider.Sqlite, config.Provider);
        Assert.Null(config.ConnectionString);
    }

    [Fact]
    public async Task OpenAsync_PostgresWithoutConnectionString_ThrowsArgumentExceptionNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Memory.OpenAsync(model, _temp.File("m.db"), c => c with { Provider = MemoryProvider.Postgres }));

        Assert.Equal("config.ConnectionString", error.ParamName);
    }

    [Fact]
    public async Task OpenAsync_UnknownProvider_ThrowsArgumentExceptionNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Memory.OpenAsync(model, _temp.File("m.db"), c => c with { Provider = (MemoryProvider)7 }));

        Assert.Equal("config.Provider", error.ParamName);
    }

    [Theory]
    [InlineData(-1, 2, "config.ContextTurnsBefore")]
    [InlineData(int.MaxValue, 2, "config.ContextTurnsBefore")]
    [InlineData(2, MemoryConfig.MaxContextTurns + 1, "config.ContextTurnsAfter")]
    public async Task OpenAsync_ContextWindowOutOfRange_ThrowsArgumentOutOfRangeNamingTheLimit(int before, int after, string parameter)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Memory.OpenAsync(model, _temp.File("m.db"), c => c with { ContextTurnsBefore = before, ContextTurnsAfter = after }));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains("MemoryConfig.MaxContextTurns", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(MemoryConfig.MaxBatchSize + 1)]
    public async Task OpenAsync_BatchSizeAboveTheMaximum_ThrowsArgumentOutOfRangeNamingTheLimit(int batchSize)
    {
        // Before the fix this was accepted and the first store threw OutOfMemoryException (a list of int.MaxValue capacity).
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Memory.OpenAsync(model, _temp.File("m.db"), c => c with { BatchSize = batchSize }));

        Assert.Equal("config.BatchSize", error.ParamName);
        Assert.Contains(MemoryConfig.MaxBatchSize.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchMemoryAsync_QueryLongerThanTheLimit_ThrowsArgumentExceptionSayingTheLimit()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        var query = new string('x', SemanticMemoryManager.MaxQueryLength + 1);

        var search = await Assert.ThrowsAsync<ArgumentException>(() => memory.SearchMemoryAsync(query));
        var context = await Assert.ThrowsAsync<ArgumentException>(() => memory.GetContextAsync(query));

        Assert.Equal("query", search.ParamName);
        Assert.Contains(SemanticMemoryManager.MaxQueryLength.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), search.Message, StringComparison.Ordinal);
        Assert.Equal("query", context.ParamName);
    }

    [Fact]
    public async Task SearchMemoryAsync_QueryOfManyDistinctWordsAtTheLimit_UsesABoundedSetOfTermsAndStillFindsTheRareOne()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus.Documents.Concat(Enumerable.Range(0, 40).Select(i => new MemoryDocument { Content = $"Filler note {i} about common things and words." })));
        var words = new List<string>();
        for (var i = 0; string.Join(' ', words).Length < SemanticMemoryManager.MaxQueryLength - 40; i++)
        {
            words.Add($"w{i:x}");
        }

        words.Insert(words.Count / 2, "Dolomites");
        var query = string.Join(' ', words);
        Assert.InRange(query.Length, SemanticMemoryManager.MaxQueryLength - 100, SemanticMemoryManager.MaxQueryLength);

        var keyword = await memory.SearchMemoryAsync(query, 5, new SearchOptions { Mode = SearchMode.Keyword });
        var hybrid = await memory.SearchMemoryAsync(query, 5);
        var context = await memory.GetContextAsync(query, 100);

        Assert.Equal("trip", Assert.Single(keyword).Id);
        Assert.True(hybrid.Any(r => r.Id == "trip"), "hybrid: " + string.Join(", ", hybrid.Select(r => $"{r.Id}={r.Score:F3} (cosine {r.Similarity:F3})")) + "; keyword: " + string.Join(", ", keyword.Select(r => $"{r.Id}={r.Score:F3}")));
        Assert.Contains("Dolomites", context, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x'); DROP TABLE documents; --")]
    [InlineData("\" OR 1=1 --")]
    [InlineData("a' OR '1'='1")]
    [InlineData("NEAR(a b) OR c* AND -d ^e title:f")]
    public async Task EveryInput_SqlAndFts5Syntax_IsStoredAndMatchedAsPlainText(string hostile)
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus.Documents);
        var document = new MemoryDocument
        {
            Id = hostile,
            Content = $"Hostile text {hostile} about the harbour.",
            ConversationId = hostile,
            Role = hostile,
            Source = hostile,
            Metadata = new Dictionary<string, string> { [hostile] = hostile },
        };

        await memory.StoreDocumentsAsync([document]);

        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Dense, SearchMode.Keyword })
        {
            var filtered = await memory.SearchMemoryAsync(hostile + " harbour", 10, new SearchOptions
            {
                Mode = mode,
                SimilarityThreshold = -1,
                ConversationId = hostile,
                Role = hostile,
                Metadata = new Dictionary<string, string> { [hostile] = hostile },
            });
            Assert.Equal(hostile, Assert.Single(filtered).Id);
            var other = await memory.SearchMemoryAsync(hostile, 10, new SearchOptions { Mode = mode, SimilarityThreshold = -1, ConversationId = hostile + "x" });
            Assert.Empty(other);
        }

        Assert.Equal(Corpus.Documents.Length + 1, (await memory.GetStatsAsync()).DocumentCount);
        Assert.True(await memory.DeleteAsync(hostile));
        Assert.Equal(Corpus.Documents.Length, (await memory.GetStatsAsync()).DocumentCount);
    }
}
