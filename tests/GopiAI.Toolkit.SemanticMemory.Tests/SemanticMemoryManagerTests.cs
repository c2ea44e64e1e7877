using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

[Collection(ModelCollection.Name)]
public sealed class SemanticMemoryManagerTests(ModelFixture model) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly MemoryDocument[] Corpus =
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

    [Fact]
    public async Task SearchMemoryAsync_StoredDocuments_FindsTheRelevantOneFirst()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus);

        var results = await memory.SearchMemoryAsync("Where is the kitty napping?", limit: 3);

        Assert.Equal("pets", results[0].Id);
        Assert.Equal(Corpus[0].Content, results[0].Content);
        Assert.True(results[0].Similarity > 0.4f);
        Assert.Equal("memory:pets", results[0].Source);
    }

    [Fact]
    public async Task SearchMemoryAsync_RepeatedQuery_IsServedFromTheCacheUntilTheNextWrite()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus);

        var first = await memory.SearchMemoryAsync("winter tyres for the car", 3);
        var second = await memory.SearchMemoryAsync("winter tyres for the car", 3);
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "tyres", Content = "Winter tyres for the car are booked for Friday." }]);
        var third = await memory.SearchMemoryAsync("winter tyres for the car", 3);
        await memory.DeleteAsync("tyres");
        var fourth = await memory.SearchMemoryAsync("winter tyres for the car", 3);

        Assert.Same(first, second);
        Assert.Contains(third, r => r.Id == "tyres");
        Assert.DoesNotContain(fourth, r => r.Id == "tyres");
        Assert.Equal(first.Select(r => r.Id), fourth.Select(r => r.Id));
    }

    [Fact]
    public async Task SearchMemoryAsync_FiltersThatJoinToTheSameText_NeverShareACachedResult()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "piped", Content = "Deployment notes for the pipeline.", ConversationId = "a|b" }]);
        var keyword = new SearchOptions { Mode = SearchMode.Keyword };

        var matching = await memory.SearchMemoryAsync("deployment notes", 5, keyword with { ConversationId = "a|b" });

        // Joined into one string these filters read "a|b|" in both searches; the second must not get the first one's results.
        var other = await memory.SearchMemoryAsync("deployment notes", 5, keyword with { ConversationId = "a", Role = "b|" });
        var metadataA = await memory.SearchMemoryAsync("deployment notes", 5, keyword with { Metadata = new Dictionary<string, string> { ["k"] = "1;2:v=3" } });
        var metadataB = await memory.SearchMemoryAsync("deployment notes", 5, keyword with { Metadata = new Dictionary<string, string> { ["k"] = "1", ["2:v"] = "3" } });

        Assert.Equal("piped", Assert.Single(matching).Id);
        Assert.Empty(other);
        Assert.Empty(metadataA);
        Assert.Empty(metadataB);
    }

    [Fact]
    public async Task SearchMemoryAsync_ReopenedFile_ReturnsTheSameResults()
    {
        var path = _temp.File("m.db");
        IReadOnlyList<MemoryResult> before;
        await using (var memory = await Memory.OpenAsync(model, path))
        {
            await memory.StoreDocumentsAsync(Corpus);
            before = await memory.SearchMemoryAsync("car maintenance", limit: 5);
        }

        await using var reopened = await Memory.OpenAsync(model, path);
        var after = await reopened.SearchMemoryAsync("car maintenance", limit: 5);

        Assert.Equal(before.Select(r => r.Id), after.Select(r => r.Id));
        Assert.Equal("car", after[0].Id);
    }

    [Fact]
    public async Task SearchMemoryAsync_ExactIdentifierQuery_HybridRanksItAboveDense()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        var noise = Enumerable.Range(0, 30).Select(i => new MemoryDocument
        {
            Id = $"noise{i}",
            Content = $"Error code ERR_CONN_{4400 + (i * 3)} reported.",
        });
        await memory.StoreDocumentsAsync(Corpus.Concat(noise));

        var dense = await memory.SearchMemoryAsync("ERR_CONN_4471", limit: 10, new SearchOptions { Mode = SearchMode.Dense, SimilarityThreshold = -1 });
        var hybrid = await memory.SearchMemoryAsync("ERR_CONN_4471", limit: 10, new SearchOptions { Mode = SearchMode.Hybrid, SimilarityThreshold = -1 });

        var denseRank = dense.ToList().FindIndex(r => r.Id == "db");
        Assert.True(hybrid[0].Id == "db", "hybrid: " + string.Join(", ", hybrid.Select(r => $"{r.Id}={r.Score:F4}")) + " dense: " + string.Join(", ", dense.Select(r => $"{r.Id}={r.Score:F3}")));
        Assert.True(denseRank != 0, $"dense already ranked the identifier first (rank {denseRank}), so the test does not discriminate");
    }

    [Fact]
    public async Task SearchMemoryAsync_Paraphrase_DenseFindsWhatKeywordMisses()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus);

        const string query = "alpine holiday next fall";
        var dense = await memory.SearchMemoryAsync(query, limit: 3, new SearchOptions { Mode = SearchMode.Dense });
        var keyword = await memory.SearchMemoryAsync(query, limit: 3, new SearchOptions { Mode = SearchMode.Keyword });

        Assert.Equal("trip", dense[0].Id);
        Assert.DoesNotContain(keyword, r => r.Id == "trip");
    }

    [Fact]
    public async Task SearchMemoryAsync_Filters_ReturnOnlyMatchingDocuments()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"), c => c with { TimeProvider = time });
        await memory.StoreDocumentsAsync(
        [
            new() { Id = "a", Content = "The deployment failed on Monday.", ConversationId = "c1", Role = "user", Metadata = new Dictionary<string, string> { ["team"] = "ops" }, Timestamp = time.GetUtcNow() },
            new() { Id = "b", Content = "The deployment failed again on Tuesday.", ConversationId = "c2", Role = "assistant", Metadata = new Dictionary<string, string> { ["team"] = "dev" }, Timestamp = time.GetUtcNow().AddDays(1) },
            new() { Id = "c", Content = "The deployment failed a third time on Wednesday.", ConversationId = "c2", Role = "user", Metadata = new Dictionary<string, string> { ["team"] = "ops" }, Timestamp = time.GetUtcNow().AddDays(2) },
        ]);

        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Dense, SearchMode.Keyword })
        {
            async Task<string[]> Ids(SearchOptions o) => (await memory.SearchMemoryAsync("deployment failed", 10, o with { Mode = mode, SimilarityThreshold = -1 })).Select(r => r.Id).Order().ToArray();

            Assert.Equal(["b", "c"], await Ids(new SearchOptions { ConversationId = "c2" }));
            Assert.Equal(["a", "c"], await Ids(new SearchOptions { Role = "user" }));
            Assert.Equal(["b"], await Ids(new SearchOptions { From = time.GetUtcNow().AddHours(12), To = time.GetUtcNow().AddDays(1).AddHours(12) }));
            Assert.Equal(["a", "c"], await Ids(new SearchOptions { Metadata = new Dictionary<string, string> { ["team"] = "ops" } }));
            Assert.Equal(["c"], await Ids(new SearchOptions { ConversationId = "c2", Metadata = new Dictionary<string, string> { ["team"] = "ops" } }));
        }
    }

    [Fact]
    public async Task SearchMemoryAsync_RecencyWeighting_PrefersTheNewerOfTwoEqualMatches()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"), c => c with { TimeProvider = time });
        await memory.StoreDocumentsAsync(
        [
            new() { Id = "old", Content = "Remember to renew the passport.", ConversationId = "x", Timestamp = time.GetUtcNow().AddDays(-300) },
            new() { Id = "new", Content = "Remember to renew the passport.", ConversationId = "y", Timestamp = time.GetUtcNow().AddDays(-1) },
        ]);

        var plain = await memory.SearchMemoryAsync("passport renewal", 2, new SearchOptions { Mode = SearchMode.Dense });
        var recent = await memory.SearchMemoryAsync("passport renewal", 2, new SearchOptions { Mode = SearchMode.Dense, RecencyHalfLife = TimeSpan.FromDays(30) });

        Assert.Equal(plain[0].Score, plain[1].Score, 6);
        Assert.Equal("new", recent[0].Id);
        Assert.True(recent[0].Score > recent[1].Score);
    }

    [Fact]
    public async Task DeleteAsync_StoredDocument_NeverComesBackInAnyMode()
    {
        var path = _temp.File("m.db");
        await using var memory = await Memory.OpenAsync(model, path);
        await memory.StoreDocumentsAsync(Corpus);
        Assert.Contains(await memory.SearchMemoryAsync("lasagna ricotta", 5, new SearchOptions { Mode = SearchMode.Keyword }), r => r.Id == "recipe");

        Assert.True(await memory.DeleteAsync("recipe"));

        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Dense, SearchMode.Keyword })
        {
            var results = await memory.SearchMemoryAsync("lasagna ricotta", 10, new SearchOptions { Mode = mode, SimilarityThreshold = -1 });
            Assert.DoesNotContain(results, r => r.Content.Contains("lasagna", StringComparison.Ordinal));
        }

        await using var raw = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await raw.OpenAsync();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM fts WHERE fts MATCH 'lasagna') + (SELECT count(*) FROM documents WHERE content LIKE '%lasagna%') + (SELECT count(*) FROM vectors WHERE rowid NOT IN (SELECT rowid FROM documents));";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        Assert.False(await memory.DeleteAsync("recipe"));
    }

    [Fact]
    public async Task StoreConversationAsync_Turns_AreSearchableAndDeletableTogether()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus);
        var id = await memory.StoreConversationAsync(new Conversation
        {
            Turns = [new("user", "What's a good name for a golden retriever puppy?"), new("assistant", "How about Biscuit or Sunny?")],
            Metadata = new Dictionary<string, string> { ["channel"] = "chat" },
        });

        var results = await memory.SearchMemoryAsync("dog names", 2, new SearchOptions { ConversationId = id });
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal($"conversation:{id}", r.Source));
        Assert.All(results, r => Assert.Equal("chat", r.Metadata["channel"]));
        Assert.Equal(2, (await memory.GetStatsAsync()).DocumentCount - Corpus.Length);

        Assert.Equal(2, await memory.DeleteConversationAsync(id));
        Assert.Empty(await memory.SearchMemoryAsync("golden retriever puppy", 10, new SearchOptions { ConversationId = id, SimilarityThreshold = -1 }));
        Assert.Equal(Corpus.Length, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task StoreDocumentsAsync_SameContentTwiceWithoutIds_StoresItOnce()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        var first = await memory.StoreDocumentsAsync([new MemoryDocument { Id = "one", Content = "Duplicate me." }]);

        var second = await memory.StoreDocumentsAsync([new MemoryDocument { Content = "Duplicate me." }, new MemoryDocument { Content = "Duplicate me." }]);

        Assert.Equal(1, first.Stored);
        Assert.Equal(0, second.Stored);
        Assert.Equal(2, second.Duplicates);
        Assert.Equal(["one", "one"], second.Ids);
        Assert.Equal(1, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task StoreDocumentsAsync_ExplicitIdWithContentStoredUnderAnotherId_ReplacesThatIdsContent()
    {
        // The issue's case: add "old content of x" --id x; add "content of y" --id y; add "content of y" --id x.
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "x", Content = "old content of x" }]);
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "y", Content = "content of y" }]);

        var third = await memory.StoreDocumentsAsync([new MemoryDocument { Id = "x", Content = "content of y" }]);

        Assert.Equal(1, third.Stored);
        Assert.Equal(0, third.Duplicates);
        Assert.Equal(["x"], third.Ids);
        var hits = await memory.SearchMemoryAsync("content", 10, new SearchOptions { Mode = SearchMode.Keyword });
        Assert.Equal(["x", "y"], hits.Select(r => r.Id).Order());
        Assert.All(hits, r => Assert.Equal("content of y", r.Content));
        Assert.Empty(await memory.SearchMemoryAsync("old", 10, new SearchOptions { Mode = SearchMode.Keyword }));
    }

    [Fact]
    public async Task StoreDocumentsAsync_NewExplicitIdWithStoredContent_StoresItUnderThatId()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "one", Content = "Duplicate me." }]);

        var second = await memory.StoreDocumentsAsync([new MemoryDocument { Id = "two", Content = "Duplicate me." }]);
        var again = await memory.StoreDocumentsAsync([new MemoryDocument { Id = "two", Content = "Duplicate me." }]);

        Assert.Equal((1, 0), (second.Stored, second.Duplicates));
        Assert.Equal((0, 1), (again.Stored, again.Duplicates));
        Assert.Equal(["two"], again.Ids);
        Assert.True(await memory.DeleteAsync("two"));
        Assert.Equal(1, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task StoreDocumentsAsync_LongDocumentWhoseChunkIdIsTaken_ThrowsArgumentExceptionNamingBothAndStoresNothing()
    {
        // The issue's case: --id 'a#0' then --id a with a long text gave SQLite error 19 ("not a memory file").
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"), c => c with { ChunkTokens = 32, ChunkOverlapTokens = 8 });
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "a#0", Content = "A short note that happens to use a chunk-like id." }]);
        var longText = string.Join(' ', Enumerable.Range(0, 80).Select(i => $"word{i}"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => memory.StoreDocumentsAsync(
            [new MemoryDocument { Id = "ok", Content = "stored in the same batch" }, new MemoryDocument { Id = "a", Content = longText }]));

        Assert.Equal("documents", error.ParamName);
        Assert.Contains("'a#0'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await memory.GetStatsAsync()).DocumentCount);
        Assert.Equal("a#0", (await memory.SearchMemoryAsync("chunk-like id", 1, new SearchOptions { Mode = SearchMode.Keyword }))[0].Id);
    }

    [Fact]
    public async Task StoreDocumentsAsync_ExplicitIdOfAStoredChunk_ThrowsInsteadOfDeletingTheLongDocument()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"), c => c with { ChunkTokens = 32, ChunkOverlapTokens = 8 });
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "a", Content = string.Join(' ', Enumerable.Range(0, 80).Select(i => $"word{i}")) }]);
        var chunks = (await memory.GetStatsAsync()).ChunkCount;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Id = "a#1", Content = "replacement" }]));

        Assert.Contains("chunk", error.Message, StringComparison.Ordinal);
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
        var stats = await memory.GetStatsAsync();
        Assert.Equal((1, chunks), (stats.DocumentCount, stats.ChunkCount));
    }

    [Fact]
    public async Task StoreDocumentsAsync_ReimportOfStoredContent_DoesNotRunTheModelAgain()
    {
        using var counting = new CountingGenerator(model.Generator);
        await using var memory = await SemanticMemoryManager.OpenAsync(new MemoryConfig { IndexPath = _temp.File("m.db") }, counting);
        await memory.StoreDocumentsAsync(Corpus);
        var afterFirst = counting.Texts;

        var again = await memory.StoreDocumentsAsync(Corpus.Select(d => d with { Id = null }));

        Assert.Equal(Corpus.Length, afterFirst);
        Assert.Equal(afterFirst, counting.Texts);
        Assert.Equal(Corpus.Select(d => d.Id), again.Ids);
        Assert.Equal(Corpus.Length, again.Duplicates);
    }

    [Fact]
    public async Task StoreDocumentsAsync_ManyDocuments_CommitsInBatchesAndReportsProgress()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"), c => c with { BatchSize = 10 });
        var reports = new List<StoreProgress>();
        var progress = new InlineProgress(reports.Add);

        var result = await memory.StoreDocumentsAsync(Enumerable.Range(0, 25).Select(i => new MemoryDocument { Content = $"Note number {i} about topic {i * 7}." }).ToList(), progress);

        Assert.Equal(25, result.Stored);
        Assert.Equal([10, 20, 25], reports.Select(r => r.Stored));
        Assert.All(reports, r => Assert.Equal(25, r.Total));
        Assert.Equal(25, result.Ids.Distinct().Count());
    }

    [Fact]
    public async Task StoreDocumentsAsync_LongDocument_IsChunkedPointsAtItsParentAndIsDeletedWhole()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"), c => c with { ChunkTokens = 64, ChunkOverlapTokens = 16 });
        var sentences = Enumerable.Range(0, 40).Select(i => $"Sentence {i} talks about subject {i} in some detail.").ToList();
        sentences[33] = "The secret launch code is PINEAPPLE-42 and nobody may know it.";
        var content = string.Join(' ', sentences);

        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "long", Content = content, Source = "notes.txt" }]);
        var results = await memory.SearchMemoryAsync("PINEAPPLE-42 launch code", 3);
        var stats = await memory.GetStatsAsync();

        Assert.Equal(1, stats.DocumentCount);
        Assert.True(stats.ChunkCount > 3);
        Assert.Equal("long", results[0].ParentId);
        Assert.StartsWith("long#", results[0].Id, StringComparison.Ordinal);
        Assert.Contains("PINEAPPLE-42", results[0].Content, StringComparison.Ordinal);
        Assert.Equal("notes.txt", results[0].Source);

        Assert.True(await memory.DeleteAsync(results[0].Id));
        Assert.Equal(0, (await memory.GetStatsAsync()).ChunkCount);
        Assert.Equal(0, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task StoreDocumentsAsync_DocumentOfHundredsOfChunks_ReportsChunkProgressAndEmbedsInBoundedSlices()
    {
        using var counting = new CountingGenerator(model.Generator);
        await using var memory = await SemanticMemoryManager.OpenAsync(
            new MemoryConfig { IndexPath = _temp.File("m.db"), ChunkTokens = 16, ChunkOverlapTokens = 0 }, counting);
        var words = Enumerable.Range(0, 4_800).Select(i => $"w{i % 50}").ToList();
        words[4_000] = "PINEAPPLE";
        var reports = new List<StoreProgress>();

        var result = await memory.StoreDocumentsAsync([new MemoryDocument { Id = "big", Content = string.Join(' ', words) }], new InlineProgress(reports.Add));

        var stats = await memory.GetStatsAsync();
        var during = reports.Where(r => r.ChunksEmbedded is not null).ToList();
        Assert.Equal(1, result.Stored);
        Assert.True(stats.ChunkCount > 2 * SemanticMemoryManager.EmbedSlice, $"{stats.ChunkCount} chunks");
        Assert.Equal((int)stats.ChunkCount, during[^1].ChunksInBatch);
        Assert.Equal(Enumerable.Range(1, during.Count).Select(n => Math.Min(n * SemanticMemoryManager.EmbedSlice, (int)stats.ChunkCount)), during.Select(r => r.ChunksEmbedded!.Value));
        Assert.Equal(1, reports[^1].Stored);
        Assert.Null(reports[^1].ChunksEmbedded);
        Assert.InRange(counting.LargestCall, 1, SemanticMemoryManager.EmbedSlice);
        Assert.Equal("big", (await memory.SearchMemoryAsync("PINEAPPLE", 1, new SearchOptions { Mode = SearchMode.Keyword }))[0].ParentId);
    }

    [Fact]
    public async Task BackupAsync_ThenRestoreAsync_RestoresExactlyTheBackedUpContent()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"), c => c with { EnableCompression = false });
        await memory.StoreDocumentsAsync(Corpus);
        var before = await memory.SearchMemoryAsync("database problems", 8);
        var backup = _temp.File("backup/m.bak");
        await memory.BackupAsync(backup);

        await memory.DeleteAsync("db");
        await memory.StoreDocumentsAsync([new MemoryDocument { Content = "Something stored after the backup about database problems." }]);
        await memory.RestoreAsync(backup);

        var after = await memory.SearchMemoryAsync("database problems", 8);
        Assert.Equal(before.Select(r => (r.Id, r.Content, r.Score)), after.Select(r => (r.Id, r.Content, r.Score)));
        Assert.Equal(Corpus.Length, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task GetContextAsync_Budget_FitsAndCitesSources()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus.Select(d => d with { Source = $"file-{d.Id}.md" }));

        var context = await memory.GetContextAsync("database connection errors", maxTokens: 60);

        Assert.InRange(GopiAI.Toolkit.SemanticMemory.Context.ContextBuilder.DefaultTokenizer.CountTokens(context), 1, 60);
        Assert.Contains("(source: file-db", context, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetContextAsync_ConversationFilter_UsesOnlyThatConversation()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus);
        var id = await memory.StoreConversationAsync(new Conversation { Turns = [new("user", "The database password rotates every Monday.")] });

        var context = await memory.GetContextAsync("database", 500, new SearchOptions { ConversationId = id });

        Assert.Equal($"[1] The database password rotates every Monday.\n(source: conversation:{id})", context);
    }

    [Fact]
    public async Task OptimizeIndexAsync_AboveHnswThreshold_UsesHnswAndKeepsResults()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"), c => c with { HnswThreshold = 4, ResultCacheSize = 0 });
        await memory.StoreDocumentsAsync(Corpus);
        var exact = await memory.SearchMemoryAsync("kitty napping", 3, new SearchOptions { Mode = SearchMode.Dense });

        await memory.OptimizeIndexAsync();
        var stats = await memory.GetStatsAsync();
        var approximate = await memory.SearchMemoryAsync("kitty napping", 3, new SearchOptions { Mode = SearchMode.Dense });
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "kitten", Content = "The kitten naps in a sunny spot." }]);
        var afterWrite = await memory.SearchMemoryAsync("kitty napping", 3, new SearchOptions { Mode = SearchMode.Dense });

        Assert.True(stats.HnswActive);
        Assert.Equal(exact[0].Id, approximate[0].Id);
        Assert.Contains(afterWrite, r => r.Id == "kitten");
    }

    [Fact]
    public async Task SearchMemoryAsync_AnotherProcessWroteTheFile_SeesItsDocumentsInEveryMode()
    {
        var path = _temp.File("m.db");
        await using var memory = await Memory.OpenAsync(model, path);
        await memory.StoreDocumentsAsync(Corpus);
        Assert.Equal("pets", (await memory.SearchMemoryAsync("kitty napping", 1, new SearchOptions { Mode = SearchMode.Dense }))[0].Id);

        await using (var other = await Memory.OpenAsync(model, path))
        {
            await other.StoreDocumentsAsync([new MemoryDocument { Id = "ext", Content = "A sleepy kitten napping in the sun." }]);
            await other.DeleteAsync("pets");
        }

        // External commits are looked for at most every 250 ms.
        await Task.Delay(300);
        foreach (var mode in new[] { SearchMode.Dense, SearchMode.Hybrid, SearchMode.Keyword })
        {
            var results = await memory.SearchMemoryAsync("kitten napping", 3, new SearchOptions { Mode = mode });
            Assert.Equal("ext", results[0].Id);
            Assert.DoesNotContain(results, r => r.Id == "pets");
        }
    }

    [Theory]
    [InlineData("NEAR( a* OR -b")]
    [InlineData("\"unbalanced")]
    [InlineData("c++ AND title:foo ^bar")]
    [InlineData("?!")]
    public async Task SearchMemoryAsync_QueryWithFts5Syntax_IsTreatedAsPlainText(string query)
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus.Append(new MemoryDocument { Id = "cpp", Content = "I write c++ code for a living, mostly AND gates." }));

        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Dense, SearchMode.Keyword })
        {
            var results = await memory.SearchMemoryAsync(query, 5, new SearchOptions { Mode = mode });
            Assert.True(results.Count <= 5);
        }
    }

    [Fact]
    public async Task StoreDocumentsAsync_SameIdWithNewMetadata_ReplacesTheDocument()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "x", Content = "Same text.", Metadata = new Dictionary<string, string> { ["v"] = "1" } }]);

        var again = await memory.StoreDocumentsAsync([new MemoryDocument { Id = "x", Content = "Same text.", Metadata = new Dictionary<string, string> { ["v"] = "1" } }]);
        var changed = await memory.StoreDocumentsAsync([new MemoryDocument { Id = "x", Content = "Same text.", Metadata = new Dictionary<string, string> { ["v"] = "2" } }]);

        Assert.Equal(1, again.Duplicates);
        Assert.Equal(1, changed.Stored);
        var result = Assert.Single(await memory.SearchMemoryAsync("same text", 5, new SearchOptions { Mode = SearchMode.Keyword }));
        Assert.Equal("2", result.Metadata["v"]);
    }

    [Fact]
    public async Task StoreConversationAsync_SameConversationWithAnExtraTurn_AddsOnlyTheNewTurn()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        var turns = new List<ConversationTurn> { new("user", "Book a table for two."), new("assistant", "Done: 7 pm at Luigi's.") };
        await memory.StoreConversationAsync(new Conversation { Id = "c", Turns = turns });

        await memory.StoreConversationAsync(new Conversation { Id = "c", Turns = [.. turns, new("user", "Thanks!")] });

        Assert.Equal(3, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task SearchMemoryAsync_HugeLimit_ReturnsEverythingThatMatches()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Corpus);

        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Dense, SearchMode.Keyword })
        {
            var results = await memory.SearchMemoryAsync("the", int.MaxValue, new SearchOptions { Mode = mode, SimilarityThreshold = -1 });
            Assert.InRange(results.Count, 1, Corpus.Length);
        }
    }

    [Fact]
    public async Task SearchMemoryAsync_ReopenedStoreAboveHnswThreshold_BuildsHnswInTheBackground()
    {
        var path = _temp.File("m.db");
        await using (var first = await Memory.OpenAsync(model, path))
        {
            await first.StoreDocumentsAsync(Corpus);
        }

        await using var memory = await Memory.OpenAsync(model, path, c => c with { HnswThreshold = 4, ResultCacheSize = 0 });
        var exact = await memory.SearchMemoryAsync("kitty napping", 3, new SearchOptions { Mode = SearchMode.Dense });
        for (var i = 0; i < 200 && !(await memory.GetStatsAsync()).HnswActive; i++)
        {
            await Task.Delay(50);
        }

        var approximate = await memory.SearchMemoryAsync("kitty napping", 3, new SearchOptions { Mode = SearchMode.Dense });

        Assert.True((await memory.GetStatsAsync()).HnswActive);
        Assert.Equal(exact.Select(r => r.Id), approximate.Select(r => r.Id));
    }

    [Fact]
    public async Task SearchMemoryAsync_KeywordQueryWithAVeryCommonWord_MatchesOnTheRareWordOnly()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync(Enumerable.Range(0, 30).Select(i => new MemoryDocument { Id = $"c{i}", Content = $"Status report {i}: everything nominal." })
            .Append(new MemoryDocument { Id = "rare", Content = "Status report: the flux capacitor overheated." }));

        var both = await memory.SearchMemoryAsync("status capacitor", 50, new SearchOptions { Mode = SearchMode.Keyword });
        var commonOnly = await memory.SearchMemoryAsync("status report", 50, new SearchOptions { Mode = SearchMode.Keyword });

        Assert.Equal("rare", Assert.Single(both).Id);
        Assert.Equal(31, commonOnly.Count);
    }

    [Fact]
    public async Task OpenAsync_FileOfSchemaVersion1_IsMigratedInPlace()
    {
        var path = _temp.File("m.db");
        await using (var memory = await Memory.OpenAsync(model, path))
        {
            await memory.StoreDocumentsAsync(Corpus);
        }

        await using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await raw.OpenAsync();
            using var downgrade = raw.CreateCommand();
            downgrade.CommandText = OldSchema.Version1Sql;
            await downgrade.ExecuteNonQueryAsync();
        }

        await using var migrated = await Memory.OpenAsync(model, path);

        Assert.Equal(GopiAI.Toolkit.SemanticMemory.Storage.Sqlite.Schema.CurrentVersion, (await migrated.GetStatsAsync()).SchemaVersion);
        Assert.Equal("db", (await migrated.SearchMemoryAsync("ERR_CONN_4471 postgres pool", 1, new SearchOptions { Mode = SearchMode.Keyword }))[0].Id);
        await using var check = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await check.OpenAsync();
        using var command = check.CreateCommand();
        command.CommandText = "SELECT (SELECT user_version FROM pragma_user_version) || '/' || (SELECT count(*) FROM sqlite_master WHERE name = 'fts_vocab');";
        Assert.Equal($"{GopiAI.Toolkit.SemanticMemory.Storage.Sqlite.Schema.CurrentVersion}/1", await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task PublicMethods_BlankText_ThrowArgumentException(string? text)
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => memory.SearchMemoryAsync(text!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => memory.GetContextAsync(text!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Content = text! }]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => memory.StoreConversationAsync(new Conversation { Turns = [new ConversationTurn("user", text!)] }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => memory.DeleteAsync(text!));
        Assert.Equal(0, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task PublicMethods_NonPositiveLimit_ThrowArgumentOutOfRange(int value)
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => memory.SearchMemoryAsync("query", value));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => memory.GetContextAsync("query", value));
    }

    [Fact]
    public async Task OpenAsync_NotASqliteFile_ThrowsNamingTheFileAndLeavesItUntouched()
    {
        var path = _temp.File("notes.db");
        var bytes = "This is a text file, not a database. "u8.ToArray().Concat(Enumerable.Range(0, 5000).Select(i => (byte)(i * 31))).ToArray();
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => Memory.OpenAsync(model, path));

        Assert.Equal(MemoryStoreError.NotAMemoryFile, error.Error);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public async Task OpenAsync_CorruptMemoryFile_ThrowsNamingTheFileAndLeavesItUntouched()
    {
        var path = _temp.File("m.db");
        await using (var memory = await Memory.OpenAsync(model, path))
        {
            await memory.StoreDocumentsAsync(Corpus);
            await memory.OptimizeIndexAsync();
        }

        var bytes = await File.ReadAllBytesAsync(path);
        for (var i = 100; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(bytes[i] ^ 0x5A);
        }

        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => Memory.OpenAsync(model, path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task OpenAsync_ForeignSqliteDatabase_ThrowsAndLeavesItUntouched()
    {
        var path = _temp.File("other.db");
        await using (var other = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await other.OpenAsync();
            using var command = other.CreateCommand();
            command.CommandText = "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers(name) VALUES ('Ada');";
            await command.ExecuteNonQueryAsync();
        }

        var bytes = await File.ReadAllBytesAsync(path);

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => Memory.OpenAsync(model, path));

        Assert.Equal(MemoryStoreError.NotAMemoryFile, error.Error);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task OpenAsync_ReadOnlyLocation_ThrowsClearError()
    {
        var path = ReadOnlyLocation();

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => Memory.OpenAsync(model, path));

        Assert.Equal(MemoryStoreError.ReadOnly, error.Error);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("writable location", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreDocumentsAsync_AnotherConnectionHoldsTheWriteLock_FailsClearlyAfterTheTimeout()
    {
        var path = _temp.File("m.db");
        await using var memory = await Memory.OpenAsync(model, path, c => c with { BusyTimeout = TimeSpan.FromMilliseconds(300) });
        await memory.StoreDocumentsAsync(Corpus);
        await using var other = new SqliteConnection($"Data Source={path};Pooling=False");
        await other.OpenAsync();
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES ('other', 'writer');";
            await begin.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<MemoryStoreException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Content = "blocked write" }]));

        Assert.Equal(MemoryStoreError.Locked, error.Error);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        using (var rollback = other.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        var retry = await memory.StoreDocumentsAsync([new MemoryDocument { Content = "blocked write" }]);
        Assert.Equal(1, retry.Stored);
        Assert.Contains(await memory.SearchMemoryAsync("blocked write", 3), r => r.Content == "blocked write");
    }

    /// <summary>A path that cannot be created even by root: a folder under /proc (Linux) or a file posing as a folder elsewhere.</summary>
    private string ReadOnlyLocation()
    {
        if (OperatingSystem.IsLinux())
        {
            return $"/proc/gopiai-{Guid.NewGuid():N}/memory.db";
        }

        var file = _temp.File("plain-file");
        File.WriteAllText(file, "x");
        return Path.Combine(file, "memory.db");
    }

    private sealed class CountingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        private int _texts;

        private int _largestCall;

        public int Texts => Volatile.Read(ref _texts);

        public int LargestCall => Volatile.Read(ref _largestCall);

        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Interlocked.Add(ref _texts, list.Count);
            InterlockedMax(ref _largestCall, list.Count);
            return base.GenerateAsync(list, options, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            // The shared model belongs to the fixture.
        }

        private static void InterlockedMax(ref int target, int value)
        {
            for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
            {
                if (Interlocked.CompareExchange(ref target, value, current) == current)
                {
                    return;
                }
            }
        }
    }

    private sealed class InlineProgress(Action<StoreProgress> report) : IProgress<StoreProgress>
    {
        public void Report(StoreProgress value) => report(value);
    }
}
