using GopiAI.Toolkit.SemanticMemory.Context;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Context;

public sealed class ContextBlocksTests
{
    [Fact]
    public void Render_OverlappingAndAdjacentWindowsOfOneConversation_OneBlockInConversationOrder()
    {
        // Chosen in relevance order: two hits (positions 4 and 1) and their windows, which overlap and touch.
        var chosen = new[] { Turn("c", 4), Turn("c", 1), Turn("c", 3), Turn("c", 2), Turn("c", 5) };

        var text = ContextBlocks.Render(chosen);

        Assert.Equal("[1] assistant: turn 1 of c\nuser: turn 2 of c\nassistant: turn 3 of c\nuser: turn 4 of c\nassistant: turn 5 of c\n(source: conversation:c turns 2–6)", text);
    }

    [Fact]
    public void Render_TwoWindowsWithAGap_OneBlockWithAGapLineAndBothRangesCited()
    {
        var text = ContextBlocks.Render([Turn("c", 8), Turn("c", 1), Turn("c", 2), Turn("c", 9)]);

        Assert.Equal("[1] assistant: turn 1 of c\nuser: turn 2 of c\n…\nuser: turn 8 of c\nassistant: turn 9 of c\n(source: conversation:c turns 2–3, 9–10)", text);
    }

    [Fact]
    public void Render_SeveralConversationsAndPlainHits_BlocksInTheOrderTheirFirstItemWasChosen()
    {
        var plain = new ContextItem("a loose fact", null, "notes.md", ExplicitSource: true, null, null, "loose");
        var text = ContextBlocks.Render([Turn("b", 0), plain, Turn("a", 3), Turn("b", 1)]);

        Assert.Equal(
            "[1] user: turn 0 of b\nassistant: turn 1 of b\n(source: conversation:b turns 1–2)\n\n" +
            "[2] a loose fact\n(source: notes.md)\n\n" +
            "[3] turn 3 of a\n(source: conversation:a)",
            text);
    }

    [Fact]
    public void Citation_TurnsShareTheCallersSource_AddsIt_DifferentSources_TurnNumbersOnly()
    {
        var shared = new[] { Turn("c", 0) with { Source = "slack#ops", ExplicitSource = true }, Turn("c", 1) with { Source = "slack#ops", ExplicitSource = true } };
        var distinct = new[] { Turn("c", 0) with { Source = "log#1", ExplicitSource = true }, Turn("c", 1) with { Source = "log#2", ExplicitSource = true } };

        Assert.Equal("conversation:c turns 1–2; slack#ops", ContextBlocks.Citation(shared));
        Assert.Equal("conversation:c turns 1–2", ContextBlocks.Citation(distinct));
    }

    [Fact]
    public void Render_TurnWithoutRole_ShowsTheTextAlone()
    {
        var text = ContextBlocks.Render([Turn("c", 0) with { Role = null }, Turn("c", 1)]);

        Assert.Equal("[1] turn 0 of c\nassistant: turn 1 of c\n(source: conversation:c turns 1–2)", text);
    }

    private static ContextItem Turn(string conversation, long position) =>
        new($"  turn {position} of {conversation} ", position % 2 == 0 ? "user" : "assistant", $"conversation:{conversation}", ExplicitSource: false, conversation, position, $"{conversation}-{position}");
}
