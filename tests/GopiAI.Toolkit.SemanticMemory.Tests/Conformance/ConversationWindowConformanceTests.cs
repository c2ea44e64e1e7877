using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Conformance;

/// <summary>
/// <see cref="IMemoryStore.GetConversationNeighboursAsync"/> on every provider, without a model (4-dimensional unit
/// vectors): windows in conversation order (timestamp, then the order stored) with exact positions, the search's filter
/// applied to the neighbours (a rejected turn leaves a gap), unknown and conversation-less ids left out, and bounded
/// reads whatever the window asked for or the conversation's length.
/// </summary>
public abstract class ConversationWindowConformanceTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Opens a fresh, empty store of the provider under test.</summary>
    private protected abstract Task<IMemoryStore> OpenAsync();

    [Fact]
    public async Task GetConversationNeighboursAsync_TurnsOfSeveralConversations_WindowsInConversationOrderWithPositions()
    {
        await using var store = await OpenAsync();
        // Two conversations interleaved in time, written out of order, and a document of no conversation.
        var batch = new List<PreparedDocument>();
        for (var i = 6; i >= 0; i--)
        {
            batch.Add(Turn($"c-{i}", "c", i % 2 == 0 ? "user" : "assistant", Start.AddMinutes(2 * i)));
            batch.Add(Turn($"d-{i}", "d", "user", Start.AddMinutes((2 * i) + 1)));
        }

        batch.Add(Prepare(new MemoryDocument { Id = "loose", Content = "no conversation", Timestamp = Start }));
        await store.WriteBatchAsync(batch, CancellationToken.None);

        var windows = await store.GetConversationNeighboursAsync(["c-3", "d-0", "d-6", "loose", "unknown"], 2, 2, RowFilter.None, CancellationToken.None);

        Assert.Equal(["c-3", "d-0", "d-6"], windows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("c", 3L), (windows["c-3"].ConversationId, windows["c-3"].Position));
        Assert.Equal([(1L, "c-1"), (2L, "c-2"), (4L, "c-4"), (5L, "c-5")], windows["c-3"].Neighbours.Select(n => (n.Position, n.Row.Id)));
        Assert.Equal("turn c-2 of c", windows["c-3"].Neighbours[1].Row.Content);
        Assert.Equal("assistant", windows["c-3"].Neighbours[0].Row.Role);
        Assert.Equal([(1L, "d-1"), (2L, "d-2")], windows["d-0"].Neighbours.Select(n => (n.Position, n.Row.Id)));
        Assert.Equal(6L, windows["d-6"].Position);
        Assert.Equal([(4L, "d-4"), (5L, "d-5")], windows["d-6"].Neighbours.Select(n => (n.Position, n.Row.Id)));
    }

    [Fact]
    public async Task GetConversationNeighboursAsync_EqualTimestamps_OrderedAsStored()
    {
        await using var store = await OpenAsync();
        await store.WriteBatchAsync(Enumerable.Range(0, 5).Select(i => Turn($"t{i}", "same", "user", Start)).ToList(), CancellationToken.None);

        var windows = await store.GetConversationNeighboursAsync(["t2"], 5, 5, RowFilter.None, CancellationToken.None);

        Assert.Equal(2L, windows["t2"].Position);
        Assert.Equal(["t0", "t1", "t3", "t4"], windows["t2"].Neighbours.Select(n => n.Row.Id));
    }

    [Fact]
    public async Task GetConversationNeighboursAsync_Filter_LeavesOutTheTurnsItRejectsAndKeepsTheirPlaces()
    {
        await using var store = await OpenAsync();
        await store.WriteBatchAsync(Enumerable.Range(0, 7).Select(i => Turn($"c-{i}", "c", i % 2 == 0 ? "user" : "assistant", Start.AddMinutes(i),
            new Dictionary<string, string> { ["tenant"] = i < 5 ? "acme" : "other" })).ToList(), CancellationToken.None);

        var users = await store.GetConversationNeighboursAsync(["c-2"], 2, 2, new RowFilter(Role: "user"), CancellationToken.None);
        var tenant = await store.GetConversationNeighboursAsync(["c-4"], 2, 2, new RowFilter(Metadata: new Dictionary<string, string> { ["tenant"] = "acme" }), CancellationToken.None);
        var later = await store.GetConversationNeighboursAsync(["c-3"], 3, 3, new RowFilter(From: Start.AddMinutes(2)), CancellationToken.None);

        Assert.Equal([(0L, "c-0"), (4L, "c-4")], users["c-2"].Neighbours.Select(n => (n.Position, n.Row.Id)));
        Assert.Equal([(2L, "c-2"), (3L, "c-3")], tenant["c-4"].Neighbours.Select(n => (n.Position, n.Row.Id)));
        Assert.Equal([2L, 4L, 5L, 6L], later["c-3"].Neighbours.Select(n => n.Position));
    }

    [Fact]
    public async Task GetConversationNeighboursAsync_HugeWindowOnALongConversation_ReadsAtMostTheCapWithExactPositions()
    {
        const int Turns = 2_000;
        await using var store = await OpenAsync();
        for (var first = 0; first < Turns; first += 500)
        {
            await store.WriteBatchAsync(Enumerable.Range(first, 500).Select(i => Turn($"long-{i}", "long", "user", Start.AddSeconds(i))).ToList(), CancellationToken.None);
        }

        var windows = await store.GetConversationNeighboursAsync(["long-1999", "long-10", "long-1500"], int.MaxValue, int.MaxValue, RowFilter.None, CancellationToken.None);

        Assert.Equal(1500L, windows["long-1500"].Position);
        Assert.Equal(2 * ConversationWindows.MaxSide, windows["long-1500"].Neighbours.Count);
        Assert.Equal(Enumerable.Range(1500 - ConversationWindows.MaxSide, ConversationWindows.MaxSide).Concat(Enumerable.Range(1501, ConversationWindows.MaxSide)).Select(i => (long)i),
            windows["long-1500"].Neighbours.Select(n => n.Position));
        Assert.All(windows["long-1500"].Neighbours, n => Assert.Equal($"long-{n.Position}", n.Row.Id));
        Assert.Equal(10L, windows["long-10"].Position);
        Assert.Equal(10 + ConversationWindows.MaxSide, windows["long-10"].Neighbours.Count);
        Assert.Equal(1999L, windows["long-1999"].Position);
        Assert.Equal(ConversationWindows.MaxSide, windows["long-1999"].Neighbours.Count);
    }

    [Fact]
    public async Task GetConversationNeighboursAsync_NoWindowOrNoIds_ReadsNothing()
    {
        await using var store = await OpenAsync();
        await store.WriteBatchAsync([Turn("a", "c", "user", Start), Turn("b", "c", "user", Start.AddMinutes(1))], CancellationToken.None);

        Assert.Empty(await store.GetConversationNeighboursAsync([], 2, 2, RowFilter.None, CancellationToken.None));
        Assert.Empty(await store.GetConversationNeighboursAsync(["a"], 0, 0, RowFilter.None, CancellationToken.None));
        Assert.Empty((await store.GetConversationNeighboursAsync(["a"], -5, 0, RowFilter.None, CancellationToken.None)).Values.SelectMany(w => w.Neighbours));
        Assert.Equal(["b"], (await store.GetConversationNeighboursAsync(["a"], -5, 1, RowFilter.None, CancellationToken.None))["a"].Neighbours.Select(n => n.Row.Id));
    }

    private static PreparedDocument Turn(string id, string conversation, string role, DateTimeOffset timestamp, IReadOnlyDictionary<string, string>? metadata = null) =>
        Prepare(new MemoryDocument { Id = id, Content = $"turn {id} of {conversation}", ConversationId = conversation, Role = role, Timestamp = timestamp, Metadata = metadata });

    private static PreparedDocument Prepare(MemoryDocument document)
    {
        var prepared = new Chunker(null, new MemoryConfig()).Prepare(document, document.Id!, idGiven: true, inputIndex: 0, DateTimeOffset.UnixEpoch);
        // A unit vector that differs per document, so no two rows are duplicates of each other.
        var seed = (uint)StringComparer.Ordinal.GetHashCode(document.Id!);
        float[] vector = [1, (seed & 0xFF) / 255f, ((seed >> 8) & 0xFF) / 255f, ((seed >> 16) & 0xFF) / 255f];
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        prepared.Chunks.Single().Vector = vector.Select(v => v / norm).ToArray();
        return prepared;
    }
}
