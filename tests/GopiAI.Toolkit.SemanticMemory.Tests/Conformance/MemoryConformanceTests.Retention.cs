using GopiAI.Toolkit.SemanticMemory.Storage;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Conformance;

/// <summary>
/// <see cref="MemoryConfig.Retention"/> on every provider: reject keeps today's behaviour, evict-oldest and
/// evict-least-recently-retrieved delete exactly the documents they should in the batch's transaction, a batch larger
/// than the limit stores nothing, the count stays exact across deletes, replaces, duplicates and restores, and each
/// evicting batch is counted by the metric and logged once.
/// </summary>
public abstract partial class MemoryConformanceTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task StoreDocumentsAsync_EvictOldest_EvictsExactlyTheOldestDocumentsStoredBeforeTheBatch()
    {
        await using var memory = await OpenAsync(c => c with { MaxDocuments = 3, Retention = MemoryRetention.EvictOldest });
        await memory.StoreDocumentsAsync(
        [
            Doc("b", "The harbour crane lifts containers all night.", Start.AddDays(2)),
            Doc("a", "Grandma's lasagna needs ricotta and spinach.", Start.AddDays(1)),
            Doc("c", "The car needs new winter tyres before November.", Start.AddDays(3)),
        ]);

        // "e" is older than everything stored, but a batch never evicts its own documents.
        var result = await memory.StoreDocumentsAsync(
        [
            Doc("d", "Quarterly planning meeting moved to Thursday.", Start.AddDays(4)),
            Doc("e", "Users report crashes when uploading large photos.", Start),
        ]);

        Assert.Equal(2, result.Stored);
        Assert.Equal(["c", "d", "e"], await StoredIdsAsync(memory));
        Assert.Equal(3, (await memory.GetStatsAsync()).DocumentCount);
        Assert.Empty(await memory.SearchMemoryAsync("lasagna ricotta", 10, new SearchOptions { Mode = SearchMode.Keyword }));
    }

    [Fact]
    public async Task StoreDocumentsAsync_EvictLeastRecentlyRetrieved_EvictsWhatSearchesReturnedLeastRecently()
    {
        var time = new FakeTimeProvider(Start);
        await using var memory = await OpenAsync(c => c with { MaxDocuments = 3, Retention = MemoryRetention.EvictLeastRecentlyRetrieved, TimeProvider = time });
        await memory.StoreDocumentsAsync(
        [
            Doc("a", "Grandma's lasagna needs ricotta and spinach.", Start),
            Doc("b", "The harbour crane lifts containers all night.", Start),
            Doc("c", "The car needs new winter tyres before November.", Start),
        ]);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("a", Assert.Single(await memory.SearchMemoryAsync("lasagna", 1, new SearchOptions { Mode = SearchMode.Keyword })).Id);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("c", Assert.Single(await memory.SearchMemoryAsync("tyres", 1, new SearchOptions { Mode = SearchMode.Keyword })).Id);
        time.Advance(TimeSpan.FromMinutes(1));

        // b was never retrieved (it counts from when it was stored): it goes first, then a (retrieved before c).
        await memory.StoreDocumentsAsync([Doc("d", "Quarterly planning meeting moved to Thursday.", Start)]);
        Assert.Equal(["a", "c", "d"], await StoredIdsAsync(memory));
        time.Advance(TimeSpan.FromMinutes(1));
        await memory.StoreDocumentsAsync([Doc("e", "Users report crashes when uploading large photos.", Start)]);
        Assert.Equal(["c", "d", "e"], await StoredIdsAsync(memory));
    }

    [Fact]
    public async Task StoreDocumentsAsync_EvictLeastRecentlyRetrievedAfterReopen_UsesTheRetrievalsWrittenWhenClosing()
    {
        var time = new FakeTimeProvider(Start);
        MemoryConfig Configure(MemoryConfig c) => c with { MaxDocuments = 2, Retention = MemoryRetention.EvictLeastRecentlyRetrieved, TimeProvider = time };
        await using (var memory = await OpenAsync(Configure))
        {
            await memory.StoreDocumentsAsync([Doc("a", "Grandma's lasagna needs ricotta and spinach.", Start)]);
            time.Advance(TimeSpan.FromMinutes(1));
            await memory.StoreDocumentsAsync([Doc("b", "The harbour crane lifts containers all night.", Start)]);
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal("a", Assert.Single(await memory.SearchMemoryAsync("lasagna", 1, new SearchOptions { Mode = SearchMode.Keyword })).Id);
        }

        time.Advance(TimeSpan.FromMinutes(1));
        await using var reopened = await OpenAsync(Configure);
        await reopened.StoreDocumentsAsync([Doc("c", "The car needs new winter tyres before November.", Start)]);

        Assert.Equal(["a", "c"], await StoredIdsAsync(reopened));
    }

    [Theory]
    [InlineData(MemoryRetention.EvictOldest)]
    [InlineData(MemoryRetention.EvictLeastRecentlyRetrieved)]
    public async Task StoreDocumentsAsync_BatchLargerThanMaxDocumentsWhileEvicting_ThrowsAndChangesNothing(MemoryRetention retention)
    {
        await using var memory = await OpenAsync(c => c with { MaxDocuments = 2, Retention = retention, BatchSize = 10 });
        await memory.StoreDocumentsAsync([Doc("a", "Grandma's lasagna needs ricotta and spinach.", Start)]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => memory.StoreDocumentsAsync(Corpus.Documents.Take(3)));

        Assert.Contains("MaxDocuments", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a"], await StoredIdsAsync(memory));
    }

    [Fact]
    public async Task StoreDocumentsAsync_Reject_KeepsTheCountExactAcrossDeletesReplacesDuplicatesAndRestores()
    {
        var backup = Path.Combine(Path.GetTempPath(), $"gopiai-retention-{Guid.NewGuid():N}.bak");
        try
        {
            await using var memory = await OpenAsync(c => c with { MaxDocuments = 4 });
            await memory.StoreDocumentsAsync(Corpus.Documents.Take(4));
            await memory.BackupAsync(backup);
            Assert.True(await memory.DeleteAsync(Corpus.Documents[0].Id!));
            await memory.StoreDocumentsAsync([Corpus.Documents[1] with { Content = "Replaced: the billing service is healthy again." }]);  // replaced: still 3
            await memory.StoreDocumentsAsync([Corpus.Documents[2]]);                                                                       // a duplicate: still 3
            await memory.StoreConversationAsync(new Conversation { Id = "chat", Turns = [new("user", "Where did I park?")] });
            Assert.Equal(1, await memory.DeleteConversationAsync("chat"));
            await memory.StoreDocumentsAsync([Corpus.Documents[4]]);                                                                       // 4: at the limit

            await Assert.ThrowsAsync<InvalidOperationException>(() => memory.StoreDocumentsAsync([Corpus.Documents[5]]));
            await memory.RestoreAsync(backup);
            await Assert.ThrowsAsync<InvalidOperationException>(() => memory.StoreDocumentsAsync([Corpus.Documents[5]]));
            Assert.True(await memory.DeleteAsync(Corpus.Documents[3].Id!));
            await memory.StoreDocumentsAsync([Corpus.Documents[5]]);

            Assert.Equal(4, (await memory.GetStatsAsync()).DocumentCount);
        }
        finally
        {
            File.Delete(backup);
        }
    }

    [Fact]
    public async Task StoreDocumentsAsync_BatchThatEvicts_CountsTheMetricAndLogsOneLine()
    {
        using var loggers = new LoggerFactory();
        var logs = new FakeLogCollector();
        loggers.AddProvider(new FakeLoggerProvider(logs));
        using var meters = new TestMeterFactory();
        await using var memory = await OpenAsync(c => c with { MaxDocuments = 2, Retention = MemoryRetention.EvictOldest, LoggerFactory = loggers, MeterFactory = meters });
        using var evictions = new MetricCollector<long>(meters, ToolkitInfo.SemanticMemoryMeterName, "gopi.semantic_memory.evictions");
        await memory.StoreDocumentsAsync(Corpus.Documents.Take(2));
        Assert.Empty(evictions.GetMeasurementSnapshot());

        await memory.StoreDocumentsAsync(Corpus.Documents.Skip(2).Take(2));

        var measurement = Assert.Single(evictions.GetMeasurementSnapshot());
        Assert.Equal(2, measurement.Value);
        Assert.Equal("oldest", measurement.Tags["reason"]);
        var line = Assert.Single(logs.GetSnapshot(), r => r.Category == Retention.LoggerCategory);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("Evicted 2 documents (oldest)", line.Message, StringComparison.Ordinal);
    }

    private static MemoryDocument Doc(string id, string content, DateTimeOffset timestamp) => new() { Id = id, Content = content, Timestamp = timestamp };

    /// <summary>The ids of every stored document (a dense search that lets every row through).</summary>
    private static async Task<string[]> StoredIdsAsync(SemanticMemoryManager memory) =>
        (await memory.SearchMemoryAsync("anything at all", 100, new SearchOptions { Mode = SearchMode.Dense, SimilarityThreshold = -1 }))
            .Select(r => r.ParentId ?? r.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>An <see cref="System.Diagnostics.Metrics.IMeterFactory"/> whose meters only this test's collectors see.</summary>
    private sealed class TestMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        private readonly List<System.Diagnostics.Metrics.Meter> _meters = [];

        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
        {
            var meter = new System.Diagnostics.Metrics.Meter(options.Name, options.Version, options.Tags, scope: this);
            lock (_meters)
            {
                _meters.Add(meter);
            }

            return meter;
        }

        public void Dispose()
        {
            lock (_meters)
            {
                _meters.ForEach(m => m.Dispose());
            }
        }
    }
}
