using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>Closing a manager while it works: in-flight calls end cleanly, nothing crashes, the file stays whole.</summary>
[Collection(ModelCollection.Name)]
public sealed class SemanticMemoryManagerDisposalTests(ModelFixture model) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DisposeAsync_DuringStoreDocumentsAsync_EndsPendingCallsWithDisposedOrCanceledAndKeepsTheFileConsistent(bool withSearches)
    {
        var path = _temp.File("m.db");

        // The manager owns its model here (OpenAsync without a generator), as in an application: disposing it disposes the session.
        var memory = await SemanticMemoryManager.OpenAsync(new MemoryConfig { IndexPath = path, BatchSize = 50 });
        await memory.StoreDocumentsAsync([new MemoryDocument { Id = "seed", Content = "A seed document about tomatoes." }]);
        var documents = Enumerable.Range(0, 2_000).Select(i => new MemoryDocument
        {
            Id = $"d{i}",
            Content = $"Document {i} describes the watering schedule of greenhouse bed {i % 37} in some detail, with notes on soil {i % 11}.",
        }).ToList();
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = memory.StoreDocumentsAsync(documents, new InlineProgress(_ => committed.TrySetResult()));
        using var stop = new CancellationTokenSource();
        var searches = withSearches
            ? Enumerable.Range(0, 2).Select(r => Task.Run(async () =>
            {
                var completed = 0;
                while (!stop.IsCancellationRequested)
                {
                    await memory.SearchMemoryAsync($"greenhouse bed {completed % 37} watering", 5, new SearchOptions { Mode = r == 0 ? SearchMode.Hybrid : SearchMode.Dense });
                    completed++;
                }

                return completed;
            })).ToArray()
            : [];
        await committed.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // Before the fix: the session was freed under the embedding thread (SIGSEGV in 4 of 4 runs, the test host died).
        await memory.DisposeAsync();
        await stop.CancelAsync();

        var storeError = await Record.ExceptionAsync(() => store);
        Assert.True(storeError is ObjectDisposedException or OperationCanceledException, $"store ended with {storeError?.GetType().Name ?? "success"}");
        foreach (var search in searches)
        {
            var searchError = await Record.ExceptionAsync(() => search);
            Assert.True(searchError is ObjectDisposedException or OperationCanceledException, $"search loop ended with {searchError}");
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => memory.SearchMemoryAsync("anything"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Content = "late" }]));
        await memory.DisposeAsync();

        // Whole batches only: the batch in flight was either committed or not written at all.
        await using var reopened = await Memory.OpenAsync(model, path);
        var stats = await reopened.GetStatsAsync();
        Assert.InRange(stats.DocumentCount, 51, 2_001);
        Assert.Equal(0, (stats.DocumentCount - 1) % 50);
        Assert.Equal(0, stats.InvalidRows);
        Assert.Equal("seed", (await reopened.SearchMemoryAsync("seed tomatoes", 1, new SearchOptions { Mode = SearchMode.Keyword }))[0].Id);
    }

    [Fact]
    public async Task DisposeAsync_CalledTwiceConcurrently_DisposesOnceAndBothComplete()
    {
        var memory = await Memory.OpenAsync(model, _temp.File("m.db"));
        await memory.StoreDocumentsAsync([new MemoryDocument { Content = "something" }]);

        await Task.WhenAll(memory.DisposeAsync().AsTask(), memory.DisposeAsync().AsTask());

        await Assert.ThrowsAsync<ObjectDisposedException>(() => memory.GetStatsAsync());
    }

    private sealed class InlineProgress(Action<StoreProgress> report) : IProgress<StoreProgress>
    {
        public void Report(StoreProgress value) => report(value);
    }
}
