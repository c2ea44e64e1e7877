using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Conformance;

/// <summary>
/// What the engine promises whatever stores it (SQLite file or PostgreSQL + pgvector), through the public API only:
/// bad input gets a clear error and stores nothing, deletes stick, upserts are idempotent by id and by content hash,
/// filters hold in every search mode, the context fits its token budget, statistics count what is stored. Each
/// provider runs the same tests through a subclass that says how to open a fresh memory; corpora stay small, so the
/// suite is quick on PGlite too.
/// </summary>
public abstract partial class MemoryConformanceTests(ModelFixture model)
{
    private static readonly SearchMode[] Modes = [SearchMode.Hybrid, SearchMode.Dense, SearchMode.Keyword];

    /// <summary>The embedding model every provider is tested with.</summary>
    protected ModelFixture Model { get; } = model;

    /// <summary>
    /// A fresh, empty location (file or schema) on every call. The first one is this test's memory (opening it again
    /// reopens the same memory); later ones are for tests that move content between two memories.
    /// </summary>
    protected abstract MemoryConfig NewConfig();

    private MemoryConfig? _config;

    private MemoryConfig Config => _config ??= NewConfig();

    /// <summary>Opens this test's memory (again), optionally with changed settings.</summary>
    protected Task<SemanticMemoryManager> OpenAsync(Func<MemoryConfig, MemoryConfig>? configure = null) =>
        SemanticMemoryManager.OpenAsync(configure?.Invoke(Config) ?? Config, Model.Generator);

    [Fact]
    public async Task SearchMemoryAsync_EveryMode_FindsWhatThatModeShouldFind()
    {
        await using var memory = await OpenAsync();
        await memory.StoreDocumentsAsync(Corpus.Documents);

        var hybrid = await memory.SearchMemoryAsync("Where is the kitty napping?", 3);
        var paraphraseDense = await memory.SearchMemoryAsync("alpine holiday next fall", 3, new SearchOptions { Mode = SearchMode.Dense });
        var paraphraseKeyword = await memory.SearchMemoryAsync("alpine holiday next fall", 3, new SearchOptions { Mode = SearchMode.Keyword });
        var identifierKeyword = await memory.SearchMemoryAsync("ERR_CONN_4471", 3, new SearchOptions { Mode = SearchMode.Keyword });
        var identifierHybrid = await memory.SearchMemoryAsync("what does ERR_CONN_4471 mean", 3, new SearchOptions { Mode = SearchMode.Hybrid });

        Assert.Equal("pets", hybrid[0].Id);
        Assert.Equal("My cat Luna sleeps on the windowsill every afternoon.", hybrid[0].Content);
        Assert.True(hybrid[0].Similarity > 0.4f);
        Assert.Equal("memory:pets", hybrid[0].Source);
        Assert.Equal("trip", paraphraseDense[0].Id);
        Assert.True(paraphraseDense[0].Score >= paraphraseDense[^1].Score);
        Assert.DoesNotContain(paraphraseKeyword, r => r.Id == "trip");
        Assert.Equal("db", Assert.Single(identifierKeyword).Id);
        Assert.Equal("db", identifierHybrid[0].Id);
    }

    [Fact]
    public async Task SearchMemoryAsync_Filters_HoldInEveryMode()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var memory = await OpenAsync(c => c with { TimeProvider = time });
        await memory.StoreDocumentsAsync(
        [
            new() { Id = "a", Content = "The deployment failed on Monday.", ConversationId = "c1", Role = "user", Metadata = new Dictionary<string, string> { ["team"] = "ops", ["tier"] = "1" }, Timestamp = time.GetUtcNow() },
            new() { Id = "b", Content = "The deployment failed again on Tuesday.", ConversationId = "c2", Role = "assistant", Metadata = new Dictionary<string, string> { ["team"] = "dev" }, Timestamp = time.GetUtcNow().AddDays(1) },
            new() { Id = "c", Content = "The deployment failed a third time on Wednesday.", ConversationId = "c2", Role = "user", Metadata = new Dictionary<string, string> { ["team"] = "ops", ["tier"] = "2" }, Timestamp = time.GetUtcNow().AddDays(2) },
        ]);

        foreach (var mode in Modes)
        {
            async Task<string[]> Ids(SearchOptions o) => (await memory.SearchMemoryAsync("deployment failed", 10, o with { Mode = mode, SimilarityThreshold = -1 })).Select(r => r.Id).Order().ToArray();

            Assert.Equal(["a", "b", "c"], await Ids(new SearchOptions()));
            Assert.Equal(["b", "c"], await Ids(new SearchOptions { ConversationId = "c2" }));
            Assert.Equal(["a", "c"], await Ids(new SearchOptions { Role = "user" }));
            Assert.Equal(["b"], await Ids(new SearchOptions { From = time.GetUtcNow().AddHours(12), To = time.GetUtcNow().AddDays(1).AddHours(12) }));
            Assert.Equal(["a"], await Ids(new SearchOptions { To = time.GetUtcNow().AddDays(1) }));
            Assert.Equal(["a", "c"], await Ids(new SearchOptions { Metadata = new Dictionary<string, string> { ["team"] = "ops" } }));
            Assert.Equal(["c"], await Ids(new SearchOptions { Metadata = new Dictionary<string, string> { ["team"] = "ops", ["tier"] = "2" } }));
            Assert.Equal(["c"], await Ids(new SearchOptions { ConversationId = "c2", Metadata = new Dictionary<string, string> { ["team"] = "ops" } }));
            Assert.Empty(await Ids(new SearchOptions { Metadata = new Dictionary<string, string> { ["team"] = "nobody" } }));
        }
    }

    [Fact]
    public async Task SearchMemoryAsync_RecencyWeighting_PrefersTheNewerOfTwoEqualMatches()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        await using var memory = await OpenAsync(c => c with { TimeProvider = time });
        await memory.StoreDocumentsAsync(
        [
            new() { Id = "old", Content = "Remember to renew the passport.", ConversationId = "x", Timestamp = time.GetUtcNow().AddDays(-300) },
            new() { Id = "new", Content = "Remember to renew the passport.", ConversationId = "y", Timestamp = time.GetUtcNow().AddDays(-1) },
        ]);

        var plain = await memory.SearchMemoryAsync("passport renewal", 2, new SearchOptions { Mode = SearchMode.Dense });
        var recent = await memory.SearchMemoryAsync("passport renewal", 2, new SearchOptions { Mode = SearchMode.Dense, RecencyHalfLife = TimeSpan.FromDays(30) });

        Assert.Equal(plain[0].Score, plain[1].Score, 5);
        Assert.Equal("new", recent[0].Id);
        Assert.True(recent[0].Score > recent[1].Score);
    }

    [Fact]
    public async Task SearchMemoryAsync_RepeatedQuery_SeesEveryWriteOfThisInstance()
    {
        await using var memory = await OpenAsync();
        await memory.StoreDocumentsAsync(Corpus.Documents);

        var first = await memory.SearchMemoryAsync("winter tyres for the car", 3);
        var second = await memory.SearchMemoryAsync("winter tyres for the car", 3);
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "tyres", Content = "Winter tyres for the car are booked for Friday." }]);
        var third = await memory.SearchMemoryAsync("winter tyres for the car", 3);
        await memory.DeleteAsync("tyres");
        var fourth = await memory.SearchMemoryAsync("winter tyres for the car", 3);

        Assert.Equal(first.Select(r => r.Id), second.Select(r => r.Id));
        Assert.Contains(third, r => r.Id == "tyres");
        Assert.DoesNotContain(fourth, r => r.Id == "tyres");
        Assert.Equal(first.Select(r => r.Id), fourth.Select(r => r.Id));
    }

    [Fact]
    public async Task SearchMemoryAsync_KeywordQueryWithAVeryCommonWord_MatchesOnTheRareWordOnly()
    {
        await using var memory = await OpenAsync();
        await memory.StoreDocumentsAsync(Enumerable.Range(0, 30).Select(i => new MemoryDocument { Id = $"c{i}", Content = $"Status report {i}: everything nominal." })
            .Append(new MemoryDocument { Id = "rare", Content = "Status report: the flux capacitor overheated." }));

        var both = await memory.SearchMemoryAsync("status capacitor", 50, new SearchOptions { Mode = SearchMode.Keyword });
        var commonOnly = await memory.SearchMemoryAsync("status report", 50, new SearchOptions { Mode = SearchMode.Keyword });

        Assert.Equal("rare", Assert.Single(both).Id);
        Assert.Equal(31, commonOnly.Count);
    }

    [Fact]
    public async Task SearchMemoryAsync_ReopenedMemory_ReturnsTheSameResults()
    {
        IReadOnlyList<MemoryResult> before;
        await using (var memory = await OpenAsync())
        {
            await memory.StoreDocumentsAsync(Corpus.Documents);
            before = await memory.SearchMemoryAsync("database problems", 8);
        }

        await using var reopened = await OpenAsync();
        var after = await reopened.SearchMemoryAsync("database problems", 8);

        Assert.Equal(before.Select(r => (r.Id, r.Content)), after.Select(r => (r.Id, r.Content)));
        Assert.Equal(before.Select(r => r.Score), after.Select(r => r.Score), new ToleranceComparer(1e-5));
        Assert.Equal(Corpus.Documents.Length, (await reopened.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task DeleteAsync_StoredDocument_NeverComesBackInAnyModeNorAfterReopening()
    {
        await using (var memory = await OpenAsync())
        {
            await memory.StoreDocumentsAsync(Corpus.Documents);
            Assert.Contains(await memory.SearchMemoryAsync("lasagna ricotta", 5, new SearchOptions { Mode = SearchMode.Keyword }), r => r.Id == "recipe");

            Assert.True(await memory.DeleteAsync("recipe"));
            Assert.False(await memory.DeleteAsync("recipe"));
            Assert.False(await memory.DeleteAsync("never-stored"));
        }

        await using var reopened = await OpenAsync();
        foreach (var mode in Modes)
        {
            var results = await reopened.SearchMemoryAsync("lasagna ricotta", 100, new SearchOptions { Mode = mode, SimilarityThreshold = -1 });
            Assert.DoesNotContain(results, r => r.Id == "recipe" || r.Content.Contains("lasagna", StringComparison.Ordinal));
        }

        Assert.Equal(Corpus.Documents.Length - 1, (await reopened.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task StoreConversationAsync_Turns_AreSearchableDeletableTogetherAndAddedOnlyOnce()
    {
        await using var memory = await OpenAsync();
        await memory.StoreDocumentsAsync(Corpus.Documents);
        var turns = new List<ConversationTurn> { new("user", "What's a good name for a golden retriever puppy?"), new("assistant", "How about Biscuit or Sunny?") };
        var id = await memory.StoreConversationAsync(new Conversation { Turns = turns, Metadata = new Dictionary<string, string> { ["channel"] = "chat" } });
        await memory.StoreConversationAsync(new Conversation { Id = id, Turns = [.. turns, new("user", "Biscuit it is!")] });

        var results = await memory.SearchMemoryAsync("dog names", 10, new SearchOptions { ConversationId = id, SimilarityThreshold = -1 });
        var stats = await memory.GetStatsAsync();

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.Equal($"conversation:{id}", r.Source));
        Assert.All(results, r => Assert.Equal(id, r.ConversationId));
        Assert.Equal(2, results.Count(r => r.Role == "user"));
        Assert.Equal(Corpus.Documents.Length + 3, stats.DocumentCount);
        Assert.Equal(1, stats.ConversationCount);

        Assert.Equal(3, await memory.DeleteConversationAsync(id));
        Assert.Empty(await memory.SearchMemoryAsync("golden retriever puppy", 10, new SearchOptions { ConversationId = id, SimilarityThreshold = -1 }));
        Assert.Equal(Corpus.Documents.Length, (await memory.GetStatsAsync()).DocumentCount);
        Assert.Equal(0, await memory.DeleteConversationAsync(id));
    }

    [Fact]
    public async Task StoreDocumentsAsync_SameContentWithoutIds_IsStoredOnceUnderTheFirstId()
    {
        await using var memory = await OpenAsync();
        var first = await memory.StoreDocumentsAsync([new MemoryDocument { Id = "one", Content = "Duplicate me." }]);

        var second = await memory.StoreDocumentsAsync([new MemoryDocument { Content = "Duplicate me." }, new MemoryDocument { Content = "Duplicate me." }]);
        var otherConversation = await memory.StoreDocumentsAsync([new MemoryDocument { Content = "Duplicate me.", ConversationId = "elsewhere" }]);

        Assert.Equal((1, 0), (first.Stored, first.Duplicates));
        Assert.Equal((0, 2), (second.Stored, second.Duplicates));
        Assert.Equal(["one", "one"], second.Ids);
        Assert.Equal(1, otherConversation.Stored);
        Assert.Equal(2, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task StoreDocumentsAsync_SameIdAgain_IsIdempotentAndAChangeReplacesTheDocument()
    {
        await using var memory = await OpenAsync();
        var document = new MemoryDocument { Id = "x", Content = "Same text.", Metadata = new Dictionary<string, string> { ["v"] = "1" } };
        await memory.StoreDocumentsAsync([document]);

        var again = await memory.StoreDocumentsAsync([document]);
        var changed = await memory.StoreDocumentsAsync([document with { Metadata = new Dictionary<string, string> { ["v"] = "2" } }]);
        var moved = await memory.StoreDocumentsAsync([new MemoryDocument { Id = "x", Content = "Other words entirely." }]);

        Assert.Equal((0, 1), (again.Stored, again.Duplicates));
        Assert.Equal((1, 0), (changed.Stored, changed.Duplicates));
        Assert.Equal(1, moved.Stored);
        var result = Assert.Single(await memory.SearchMemoryAsync("other words", 5, new SearchOptions { Mode = SearchMode.Keyword }));
        Assert.Equal(("x", "Other words entirely."), (result.Id, result.Content));
        Assert.Empty(await memory.SearchMemoryAsync("same text", 5, new SearchOptions { Mode = SearchMode.Keyword }));
        Assert.Equal(1, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task StoreDocumentsAsync_ExplicitIdWithContentStoredUnderAnotherId_StoresBoth()
    {
        await using var memory = await OpenAsync();
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "x", Content = "old content of x" }, new MemoryDocument { Id = "y", Content = "content of y" }]);

        var third = await memory.StoreDocumentsAsync([new MemoryDocument { Id = "x", Content = "content of y" }]);

        Assert.Equal((1, 0), (third.Stored, third.Duplicates));
        var hits = await memory.SearchMemoryAsync("content", 10, new SearchOptions { Mode = SearchMode.Keyword });
        Assert.Equal(["x", "y"], hits.Select(r => r.Id).Order());
        Assert.All(hits, r => Assert.Equal("content of y", r.Content));
        Assert.Empty(await memory.SearchMemoryAsync("old", 10, new SearchOptions { Mode = SearchMode.Keyword }));
    }

    [Fact]
    public async Task StoreDocumentsAsync_LongDocument_IsChunkedPointsAtItsParentAndIsDeletedWholeByAChunkId()
    {
        await using var memory = await OpenAsync(c => c with { ChunkTokens = 64, ChunkOverlapTokens = 16 });
        var sentences = Enumerable.Range(0, 40).Select(i => $"Sentence {i} talks about subject {i} in some detail.").ToList();
        sentences[33] = "The secret launch code is PINEAPPLE-42 and nobody may know it.";
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "long", Content = string.Join(' ', sentences), Source = "notes.txt" }]);

        var results = await memory.SearchMemoryAsync("PINEAPPLE-42 launch code", 3);
        var stats = await memory.GetStatsAsync();

        Assert.Equal(1, stats.DocumentCount);
        Assert.True(stats.ChunkCount > 3);
        Assert.Equal("long", results[0].ParentId);
        Assert.StartsWith("long#", results[0].Id, StringComparison.Ordinal);
        Assert.Contains("PINEAPPLE-42", results[0].Content, StringComparison.Ordinal);
        Assert.Equal("notes.txt", results[0].Source);

        var replacement = await Assert.ThrowsAsync<ArgumentException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Id = "long#1", Content = "replacement" }]));
        Assert.Contains("'long'", replacement.Message, StringComparison.Ordinal);

        Assert.True(await memory.DeleteAsync(results[0].Id));
        var after = await memory.GetStatsAsync();
        Assert.Equal((0, 0), (after.DocumentCount, after.ChunkCount));
        Assert.Empty(await memory.SearchMemoryAsync("PINEAPPLE-42", 10, new SearchOptions { Mode = SearchMode.Keyword }));
    }

    [Fact]
    public async Task StoreDocumentsAsync_BeyondMaxDocuments_ThrowsAndStoresNothingOfThatBatch()
    {
        await using var memory = await OpenAsync(c => c with { MaxDocuments = 5 });
        await memory.StoreDocumentsAsync(Corpus.Documents.Take(4));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => memory.StoreDocumentsAsync(Corpus.Documents.Skip(4).Take(2)));

        Assert.Contains("MaxDocuments", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, (await memory.GetStatsAsync()).DocumentCount);
        Assert.Empty(await memory.SearchMemoryAsync("winter tyres", 10, new SearchOptions { Mode = SearchMode.Keyword }));
    }

    [Fact]
    public async Task PublicMethods_BadInput_ThrowArgumentExceptionsAndStoreNothing()
    {
        await using var memory = await OpenAsync();

        foreach (var blank in new[] { null, string.Empty, "   " })
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => memory.SearchMemoryAsync(blank!));
            await Assert.ThrowsAnyAsync<ArgumentException>(() => memory.GetContextAsync(blank!));
            await Assert.ThrowsAnyAsync<ArgumentException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Content = blank! }]));
            await Assert.ThrowsAnyAsync<ArgumentException>(() => memory.StoreConversationAsync(new Conversation { Turns = [new ConversationTurn("user", blank!)] }));
            await Assert.ThrowsAnyAsync<ArgumentException>(() => memory.DeleteAsync(blank!));
            await Assert.ThrowsAnyAsync<ArgumentException>(() => memory.DeleteConversationAsync(blank!));
        }

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => memory.SearchMemoryAsync("query", 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => memory.GetContextAsync("query", -5));
        var surrogate = await Assert.ThrowsAsync<ArgumentException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Content = "fine" }, new MemoryDocument { Content = "abc\ud800def" }]));
        Assert.Contains("Document 1", surrogate.Message, StringComparison.Ordinal);
        var filter = await Assert.ThrowsAsync<ArgumentException>(() => memory.SearchMemoryAsync("car", 3, new SearchOptions { Metadata = new Dictionary<string, string> { ["team"] = null! } }));
        Assert.Equal("options", filter.ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => memory.SearchMemoryAsync(new string('a', SemanticMemoryManager.MaxQueryLength + 1)));

        Assert.Equal(0, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Theory]
    [InlineData("x'); DROP TABLE documents; --")]
    [InlineData("\" OR 1=1 --")]
    [InlineData("a' OR '1'='1 $1 :name @p")]
    [InlineData("NEAR(a b) OR c* AND -d ^e title:f & | ! <-> :*")]
    public async Task EveryInput_SqlAndQuerySyntax_IsStoredAndMatchedAsPlainText(string hostile)
    {
        await using var memory = await OpenAsync();
        await memory.StoreDocumentsAsync(Corpus.Documents);
        await memory.StoreDocumentsAsync(
        [
            new MemoryDocument
            {
                Id = hostile,
                Content = $"Hostile text {hostile} about the harbour.",
                ConversationId = hostile,
                Role = hostile,
                Source = hostile,
                Metadata = new Dictionary<string, string> { [hostile] = hostile },
            },
        ]);

        foreach (var mode in Modes)
        {
            var filtered = await memory.SearchMemoryAsync(hostile + " harbour", 10, new SearchOptions
            {
                Mode = mode,
                SimilarityThreshold = -1,
                ConversationId = hostile,
                Role = hostile,
                Metadata = new Dictionary<string, string> { [hostile] = hostile },
            });
            var hit = Assert.Single(filtered);
            Assert.Equal((hostile, hostile, hostile), (hit.Id, hit.Source, hit.Metadata[hostile]));
            Assert.Empty(await memory.SearchMemoryAsync(hostile, 10, new SearchOptions { Mode = mode, SimilarityThreshold = -1, ConversationId = hostile + "x" }));
        }

        Assert.Equal(Corpus.Documents.Length + 1, (await memory.GetStatsAsync()).DocumentCount);
        Assert.True(await memory.DeleteAsync(hostile));
        Assert.Equal(Corpus.Documents.Length, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task GetContextAsync_Budget_FitsCitesSourcesAndHonoursFilters()
    {
        await using var memory = await OpenAsync();
        await memory.StoreDocumentsAsync(Corpus.Documents.Select(d => d with { Source = $"file-{d.Id}.md" }));
        var id = await memory.StoreConversationAsync(new Conversation { Turns = [new("user", "The database password rotates every Monday.")] });

        var context = await memory.GetContextAsync("database connection errors", maxTokens: 60);
        var filtered = await memory.GetContextAsync("database", 500, new SearchOptions { ConversationId = id });

        Assert.InRange(GopiAI.Toolkit.SemanticMemory.Context.ContextBuilder.DefaultTokenizer.CountTokens(context), 1, 60);
        Assert.Contains("(source: file-db", context, StringComparison.Ordinal);
        Assert.Equal($"[1] The database password rotates every Monday.\n(source: conversation:{id})", filtered);
    }

    [Fact]
    public async Task GetContextAsync_HitOnAContextFreeTurn_BringsTheTurnsAroundItAsOneCitedBlock()
    {
        await using var memory = await OpenAsync();
        await memory.StoreDocumentsAsync(Corpus.Documents);
        var id = await memory.StoreConversationAsync(new Conversation
        {
            Id = "milk",
            Turns =
            [
                new("user", "I left a carton of milk in the car over the hot weekend."),
                new("assistant", "Open it carefully. How does it look and smell now?"),
                new("user", "It smells bad."),
                new("assistant", "Then pour it away: milk kept that warm for two days grows bacteria, even if it was unopened."),
                new("user", "Thanks, will do."),
                new("assistant", "You're welcome."),
            ],
        });
        await using var noWindows = await OpenAsync(c => c with { ContextTurnsBefore = 0, ContextTurnsAfter = 0 });

        var context = await memory.GetContextAsync("It smells bad", 300);
        var alone = await noWindows.GetContextAsync("It smells bad", 300);
        var users = await memory.GetContextAsync("It smells bad", 300, new SearchOptions { Role = "user" });

        Assert.StartsWith("[1] user: I left a carton of milk in the car over the hot weekend.\nassistant: Open it carefully. How does it look and smell now?\nuser: It smells bad.\nassistant: Then pour it away:", context, StringComparison.Ordinal);
        Assert.Contains($"\n(source: conversation:{id} turns 1–5)", context, StringComparison.Ordinal);
        Assert.DoesNotContain("You're welcome.", context, StringComparison.Ordinal);
        Assert.StartsWith($"[1] It smells bad.\n(source: conversation:{id})", alone, StringComparison.Ordinal);
        Assert.DoesNotContain("user: I left a carton", alone, StringComparison.Ordinal); // no turn joins the hit's block (the dense leg may still rank that turn lower, on its own)
        Assert.StartsWith("[1] user: I left a carton of milk in the car over the hot weekend.\n…\nuser: It smells bad.\n…\nuser: Thanks, will do.\n(source: conversation:milk turns 1, 3, 5)", users, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatsAsync_StoredMemory_CountsDocumentsChunksConversationsAndTimes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var memory = await OpenAsync(c => c with { TimeProvider = time, ChunkTokens = 32, ChunkOverlapTokens = 8 });
        var empty = await memory.GetStatsAsync();
        await memory.StoreDocumentsAsync(
        [
            new() { Id = "early", Content = "An early note.", ConversationId = "c1", Timestamp = time.GetUtcNow().AddDays(-3) },
            new() { Id = "late", Content = "A late note.", ConversationId = "c2", Timestamp = time.GetUtcNow().AddDays(-1) },
            new() { Id = "long", Content = string.Join(' ', Enumerable.Range(0, 80).Select(i => $"word{i}")), Timestamp = time.GetUtcNow().AddDays(-2) },
        ]);

        var stats = await memory.GetStatsAsync();

        Assert.Equal((0, 0, 0), (empty.DocumentCount, empty.ChunkCount, empty.ConversationCount));
        Assert.Equal(3, stats.DocumentCount);
        Assert.True(stats.ChunkCount > 3, $"{stats.ChunkCount} searchable rows");
        Assert.Equal(2, stats.ConversationCount);
        Assert.Equal(time.GetUtcNow().AddDays(-3), stats.Oldest);
        Assert.Equal(time.GetUtcNow().AddDays(-1), stats.Newest);
        Assert.Equal(Model.Generator.Dimensions, stats.Dimensions);
        Assert.False(string.IsNullOrEmpty(stats.EmbeddingModel));
        Assert.True(stats.SchemaVersion > 0);
        Assert.Equal(0, stats.InvalidRows);
    }

    [Fact]
    public async Task ExportAsync_ThenImportAsync_IntoAnotherMemory_RoundTripsWithoutTheModelAndIsIdempotent()
    {
        await using var memory = await OpenAsync(c => c with { ChunkTokens = 32, ChunkOverlapTokens = 8 });
        var time = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        await memory.StoreDocumentsAsync(Corpus.Documents.Select((d, i) => d with
        {
            ConversationId = i % 2 == 0 ? "even" : null,
            Role = i % 3 == 0 ? "user" : null,
            Source = $"src-{i}",
            Timestamp = time.AddHours(i),
            Metadata = new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture), ["ünïcode"] = "✓" },
        }).Append(new MemoryDocument { Id = "long", Content = string.Join(' ', Enumerable.Range(0, 80).Select(i => $"word{i}")) }));
        using var export = new MemoryStream();
        var exported = await memory.ExportAsync(export);

        using var counting = new CountingGenerator(Model.Generator);
        await using var copy = await SemanticMemoryManager.OpenAsync(NewConfig(), counting);
        var before = counting.Texts;
        export.Position = 0;
        var first = await copy.ImportAsync(export);
        export.Position = 0;
        var again = await copy.ImportAsync(export);

        Assert.Equal(Corpus.Documents.Length + 1, exported);
        Assert.Equal((Corpus.Documents.Length + 1, 0), (first.Stored, first.Duplicates));
        Assert.Equal((0, Corpus.Documents.Length + 1), (again.Stored, again.Duplicates));
        Assert.Equal(before, counting.Texts);
        var (original, imported) = (await memory.GetStatsAsync(), await copy.GetStatsAsync());
        Assert.Equal((original.DocumentCount, original.ChunkCount, original.ConversationCount, original.Oldest, original.Newest),
            (imported.DocumentCount, imported.ChunkCount, imported.ConversationCount, imported.Oldest, imported.Newest));
        foreach (var mode in Modes)
        {
            var options = new SearchOptions { Mode = mode, ConversationId = "even", Metadata = new Dictionary<string, string> { ["ünïcode"] = "✓" } };
            var a = await memory.SearchMemoryAsync("database connection trouble", 5, options);
            var b = await copy.SearchMemoryAsync("database connection trouble", 5, options);
            Assert.Equal(a.Select(r => (r.Id, r.Content, r.Role, r.Source, r.Timestamp)), b.Select(r => (r.Id, r.Content, r.Role, r.Source, r.Timestamp)));
        }
    }

    [Fact]
    public async Task ImportAsync_TruncatedOrForeignExport_ThrowsNamingTheProblemAndStoresNothing()
    {
        await using var memory = await OpenAsync();
        await memory.StoreDocumentsAsync(Corpus.Documents);
        using var export = new MemoryStream();
        await memory.ExportAsync(export);
        var lines = System.Text.Encoding.UTF8.GetString(export.ToArray()).TrimEnd('\n').Split('\n');
        await using var target = await SemanticMemoryManager.OpenAsync(NewConfig(), Model.Generator);

        var truncated = await Assert.ThrowsAsync<InvalidDataException>(() => target.ImportAsync(Utf8(string.Join('\n', lines[..^1]))));
        var flipped = await Assert.ThrowsAsync<InvalidDataException>(() => target.ImportAsync(Utf8(string.Join('\n', lines).Replace("\"vector\":\"", "\"vector\":\"AAAA", StringComparison.Ordinal))));
        var foreign = await Assert.ThrowsAsync<MemoryStoreException>(() => target.ImportAsync(Utf8(lines[0].Replace("\"dimensions\":384", "\"dimensions\":768", StringComparison.Ordinal))));
        var notAnExport = await Assert.ThrowsAsync<InvalidDataException>(() => target.ImportAsync(Utf8("{\"content\": \"just a document\"}")));

        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", flipped.Message, StringComparison.Ordinal);
        Assert.Equal(MemoryStoreError.Incompatible, foreign.Error);
        Assert.Contains("not a GopiAI memory export", notAnExport.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await target.GetStatsAsync()).DocumentCount);

        static MemoryStream Utf8(string text) => new(System.Text.Encoding.UTF8.GetBytes(text + "\n"));
    }

    [Fact]
    public async Task BackupAsync_ThenRestoreAsync_BringsBackExactlyTheBackedUpContent()
    {
        var backup = Path.Combine(Path.GetTempPath(), "gopiai-memory-tests", $"backup-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.GetDirectoryName(backup)!);
        try
        {
            await using var memory = await OpenAsync();
            await memory.StoreDocumentsAsync(Corpus.Documents);
            var before = await memory.SearchMemoryAsync("database problems", 8);
            await memory.BackupAsync(backup);
            await memory.DeleteAsync("db");
            await memory.StoreDocumentsAsync([new MemoryDocument { Id = "later", Content = "Written after the backup about databases." }]);

            await memory.RestoreAsync(backup);

            var after = await memory.SearchMemoryAsync("database problems", 8);
            Assert.Equal(before.Select(r => (r.Id, r.Content)), after.Select(r => (r.Id, r.Content)));
            Assert.Equal(Corpus.Documents.Length, (await memory.GetStatsAsync()).DocumentCount);
        }
        finally
        {
            File.Delete(backup);
        }
    }

    /// <summary>Counts the texts embedded, to show that a step did not run the model.</summary>
    private sealed class CountingGenerator(Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> inner)
        : Microsoft.Extensions.AI.DelegatingEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>(inner)
    {
        private int _texts;

        public int Texts => Volatile.Read(ref _texts);

        /// <summary>The shared model is not this wrapper's to dispose.</summary>
        protected override void Dispose(bool disposing)
        {
        }

        public override Task<Microsoft.Extensions.AI.GeneratedEmbeddings<Microsoft.Extensions.AI.Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Interlocked.Add(ref _texts, list.Count);
            return base.GenerateAsync(list, options, cancellationToken);
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
