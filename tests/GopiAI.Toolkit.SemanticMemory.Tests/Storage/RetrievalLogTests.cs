using GopiAI.Toolkit.SemanticMemory.Storage;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage;

/// <summary>The in-memory log of retrievals: when a write is due, what a drain takes, and what a requeue keeps.</summary>
public sealed class RetrievalLogTests
{
    [Fact]
    public void Note_FewRecentRetrievals_IsNotDueUntilTheIntervalPassed()
    {
        var time = new FakeTimeProvider();
        var log = new RetrievalLog(time);

        Assert.False(log.Note(["a", "b"]));
        time.Advance(RetrievalLog.FlushInterval - TimeSpan.FromSeconds(1));
        Assert.False(log.Note(["a"]));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(log.Note(["c"]));
    }

    [Fact]
    public void Note_MaxPendingDocuments_IsDueAtOnce()
    {
        var log = new RetrievalLog(new FakeTimeProvider());

        Assert.False(log.Note(Enumerable.Range(0, RetrievalLog.MaxPending - 1).Select(i => $"d{i}")));
        Assert.True(log.Note(["last"]));
    }

    [Fact]
    public void Drain_AfterNotes_TakesTheLatestTimePerDocumentAndEmptiesTheLog()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var log = new RetrievalLog(time);
        log.Note(["a", "b"]);
        time.Advance(TimeSpan.FromSeconds(5));
        log.Note(["a"]);

        var drained = log.Drain();

        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), drained["a"]);
        Assert.Equal(time.GetUtcNow().AddSeconds(-5).ToUnixTimeMilliseconds(), drained["b"]);
        Assert.Empty(log.Drain());
    }

    [Fact]
    public void Requeue_AfterAFailedWrite_KeepsTheNewerOfTwoTimes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var log = new RetrievalLog(time);
        log.Note(["a", "b"]);
        var failed = log.Drain();
        time.Advance(TimeSpan.FromSeconds(5));
        log.Note(["a"]);

        log.Requeue(failed);

        var pending = log.Drain();
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), pending["a"]);
        Assert.Equal(failed["b"], pending["b"]);
    }

    [Fact]
    public void TryBeginFlush_WhileOneRuns_IsRefusedUntilItEnds()
    {
        var log = new RetrievalLog(new FakeTimeProvider());

        Assert.True(log.TryBeginFlush());
        Assert.False(log.TryBeginFlush());
        log.EndFlush();
        Assert.True(log.TryBeginFlush());
    }
}
