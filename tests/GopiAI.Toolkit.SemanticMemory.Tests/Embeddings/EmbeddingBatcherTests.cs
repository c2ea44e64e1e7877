using System.Numerics.Tensors;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Embeddings;

/// <summary>Cross-call batching through the public generator (real model, fp32 so vectors compare exactly).</summary>
public sealed class EmbeddingBatcherTests
{
    private static OnnxEmbeddingGenerator NewGenerator() => new(new OnnxEmbeddingOptions { CacheSize = 0, Precision = EmbeddingPrecision.Float32 });

    private static string[] LongTexts(int count, string tag) =>
        Enumerable.Range(0, count).Select(i => $"{tag} {i}: " + string.Join(' ', Enumerable.Repeat($"long filler text number {i} about scheduling", 25))).ToArray();

    [Fact]
    public async Task Embed_SixteenConcurrentSingleTexts_CoalesceIntoFewerRunsWithTheSameVectors()
    {
        using var generator = NewGenerator();
        var texts = Enumerable.Range(0, 16 * 6).Select(i => $"query {i}: what did we decide about topic {i % 13}?").ToArray();
        var expected = texts.Select(t => generator.Embed([t])[0]).ToArray();
        var runsBefore = generator.ModelRuns;
        using var start = new Barrier(16);

        var callers = Enumerable.Range(0, 16).Select(c => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return Enumerable.Range(0, 6).Select(k => (Index: (c * 6) + k, Vector: generator.Embed([texts[(c * 6) + k]])[0])).ToList();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        var results = (await Task.WhenAll(callers)).SelectMany(r => r).ToList();

        var runs = generator.ModelRuns - runsBefore;
        Assert.Equal(96, results.Count);
        Assert.All(results, r => Assert.InRange(TensorPrimitives.CosineSimilarity(r.Vector, expected[r.Index]), 0.99999f, 1.00001f));
        Assert.True(runs <= 72, $"{runs} runs for 96 concurrent single-text calls: they were not coalesced");
    }

    [Fact]
    public async Task Embed_CancelledWhileQueuedBehindABusySession_ThrowsAndTheRunningCallCompletes()
    {
        using var generator = NewGenerator();
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        generator.Batcher.BeforeRun = () =>
        {
            running.Set();
            release.Wait();
        };

        // The busy call's first run is held until the queued call has been cancelled: no timer decides the order.
        var busy = Task.Run(() => generator.Embed(LongTexts(96, "busy")));
        Assert.True(running.Wait(TimeSpan.FromSeconds(60)), "the busy call never started a run");
        var queuedBefore = generator.Batcher.Queued;
        using var cancel = new CancellationTokenSource();
        var queued = Task.Run(() => generator.Embed(LongTexts(64, "queued"), cancel.Token));
        while (generator.Batcher.Queued == queuedBefore)
        {
            await Task.Delay(1);
        }

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.False(busy.IsCompleted);
        release.Set();
        Assert.Equal(96, (await busy).Length);

        // The cancelled call's texts were skipped, not run: the busy call alone takes as many runs.
        using var alone = NewGenerator();
        alone.Embed(LongTexts(96, "busy"));
        Assert.Equal(alone.ModelRuns, generator.ModelRuns);
    }

    [Fact]
    public async Task Dispose_WithCallersQueuedBehindARun_FailsThemWithObjectDisposedAndReleasesEveryone()
    {
        var generator = NewGenerator();
        var busy = Task.Run(() => generator.Embed(LongTexts(96, "busy")));
        while (generator.ModelRuns == 0)
        {
            await Task.Delay(1);
        }

        var queued = Enumerable.Range(0, 8).Select(i => Task.Run(() => generator.Embed([$"queued query {i}"]))).ToList();
        queued.Add(generator.GenerateAsync(["queued async query"]).ContinueWith(t => t.Result.Select(e => e.Vector.ToArray()).ToArray(), TaskScheduler.Default));
        await Task.Delay(30);

        generator.Dispose();

        foreach (var call in queued.Append(busy))
        {
            var outcome = await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.True(outcome is null or ObjectDisposedException or AggregateException { InnerException: ObjectDisposedException }, $"unexpected outcome: {outcome}");
        }

        Assert.Throws<ObjectDisposedException>(() => generator.Embed(["after dispose"]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["after dispose"]));
    }

    [Fact]
    public async Task GenerateAsync_ManyConcurrentCallers_EveryVectorMatchesItsText()
    {
        using var generator = NewGenerator();
        var texts = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? $"short {i}" : $"a much longer text number {i} " + string.Join(' ', Enumerable.Repeat("with padding", i))).ToArray();
        var expected = generator.Embed(texts);

        var results = await Task.WhenAll(texts.Select(t => Task.Run(() => generator.GenerateAsync([t]))));

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.InRange(TensorPrimitives.CosineSimilarity(results[i][0].Vector.Span, expected[i]), 0.99999f, 1.00001f);
        }
    }
}
