using GopiAI.Toolkit.SemanticMemory.Context;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Context;

public sealed class ContextBuilderTests
{
    private static readonly ContextBuilder Builder = new(ContextBuilder.DefaultTokenizer);

    [Fact]
    public void Build_RandomResultsAndBudgets_NeverExceedsTheBudget()
    {
        var random = new Random(20261125);
        string[] words = ["memory", "的", "😀", "token", "naïve", "über", "\n", "ERR_42", "  ", "x", "supercalifragilistic", "ß", "—", "{\"a\":1}", "ﷺ", "a", "b"];
        for (var trial = 0; trial < 400; trial++)
        {
            var results = Enumerable.Range(0, random.Next(0, 25)).Select(i => Result(
                string.Concat(Enumerable.Range(0, random.Next(1, 120)).Select(_ => words[random.Next(words.Length)] + (random.Next(3) == 0 ? " " : string.Empty))),
                source: random.Next(4) == 0 ? $"src/{i}/{new string('z', random.Next(0, 40))}" : $"memory:{i}")).ToList();
            var budget = random.Next(1, 300);

            var context = Builder.Build(results, budget);

            Assert.True(ContextBuilder.DefaultTokenizer.CountTokens(context) <= budget, $"trial {trial}: budget {budget} exceeded");
        }
    }

    [Fact]
    public void Build_ItemTooLargeForTheRest_SkipsItAndAddsTheNextThatFits()
    {
        var results = new[] { Result("first short fact", "a"), Result(string.Join(' ', Enumerable.Repeat("very long", 200)), "b"), Result("second short fact", "c") };

        var context = Builder.Build(results, 40);

        Assert.Contains("first short fact", context, StringComparison.Ordinal);
        Assert.Contains("second short fact", context, StringComparison.Ordinal);
        Assert.DoesNotContain("very long", context, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DuplicateTexts_KeepsTheFirstOnly()
    {
        var results = new[] { Result("The sky is blue.", "a"), Result("  the SKY is   blue. ", "b"), Result("Grass is green.", "c") };

        var context = Builder.Build(results, 500);

        Assert.Equal("[1] The sky is blue.\n(source: a)\n\n[2] Grass is green.\n(source: c)", context);
    }

    [Fact]
    public void Build_NothingFits_ReturnsEmpty()
    {
        Assert.Equal(string.Empty, Builder.Build([Result("a fact that cannot fit in one token", "s")], 1));
    }

    [Fact]
    public void Build_HitWithAWindow_HitThenClosestNeighboursWhileTheBudgetAllows()
    {
        var hit = Hit("c", "c-5", "It smells bad.", "user", 0.9);
        var windows = Windows(hit, 5, (3, "turn three"), (4, "turn four"), (6, "turn six"), (7, "turn seven"));
        var expected = "[1] user: turn four\nuser: It smells bad.\nuser: turn six\n(source: conversation:c turns 5–7)";

        var context = Builder.Build([hit], windows, ContextBuilder.DefaultTokenizer.CountTokens(expected));
        var roomy = Builder.Build([hit], windows, 500);

        Assert.Equal(expected, context);
        Assert.Equal("[1] assistant: turn three\nuser: turn four\nuser: It smells bad.\nuser: turn six\nassistant: turn seven\n(source: conversation:c turns 4–8)", roomy);
    }

    [Theory]
    [InlineData("user", "turn after")]
    [InlineData("assistant", "turn before")]
    public void Build_RoomForOneNeighbour_TakesTheTurnAfterAUsersTurnAndTheTurnBeforeAnyOther(string role, string expected)
    {
        var hit = Hit("c", "c-1", "the hit", role, 0.9);
        var windows = Windows(hit, 1, (0, "turn before"), (2, "turn after"));
        var budget = ContextBuilder.DefaultTokenizer.CountTokens(Builder.Build([hit], windows, 500)) - 1;

        var context = Builder.Build([hit], windows, budget);

        Assert.Contains(expected, context, StringComparison.Ordinal);
        Assert.Equal(2, context.Split('\n').Length - 1);
    }

    [Fact]
    public void Build_TwoHitsOfOneConversation_TheirWindowsMergeIntoOneBlock()
    {
        var first = Hit("c", "c-2", "second hit", "user", 0.9);
        var second = Hit("c", "c-5", "first hit", "assistant", 0.8);
        var windows = new Dictionary<string, ConversationWindow>
        {
            [first.Id] = Window("c", 2, (0, "t0"), (1, "t1"), (3, "t3"), (4, "t4")),
            [second.Id] = Window("c", 5, (3, "t3"), (4, "t4"), (6, "t6"), (7, "t7")),
        };

        var context = Builder.Build([first, second], windows, 500);

        Assert.Equal("[1] user: t0\nassistant: t1\nuser: second hit\nassistant: t3\nuser: t4\nassistant: first hit\nuser: t6\nassistant: t7\n(source: conversation:c turns 1–8)", context);
    }

    [Fact]
    public void Build_NeighbourNearDuplicateOfAChosenText_Dropped()
    {
        var hit = Hit("a", "a-1", "The sink still drips after I closed the tap.", "user", 0.9);
        var other = Hit("b", "b-0", "Thanks, that fixed the leak under the sink for good.", "user", 0.85);
        var windows = new Dictionary<string, ConversationWindow>
        {
            [hit.Id] = Window("a", 1, (2, "thanks — that FIXED the leak under the sink for good")),
            [other.Id] = Window("b", 0),
        };

        var context = Builder.Build([hit, other], windows, 500);

        Assert.Equal(1, CountOf(context, "the leak under the sink"));
        Assert.Equal(1, CountOf(context, "The sink still drips"));
    }

    [Theory]
    [InlineData(0.3, "turn next to the strong hit")]
    [InlineData(0.6, "a weaker hit elsewhere")]
    public void Build_RoomForOneMore_NeighbourOfAStrongHitAgainstAnotherHitByDecayedRelevance(double otherScore, string expected)
    {
        var strong = Hit("c", "c-0", "the strong hit", "assistant", 0.9);
        var other = Hit(null, "loose", "a weaker hit elsewhere", null, otherScore);
        var windows = Windows(strong, 0, (1, "turn next to the strong hit"));
        var withNeighbour = ContextBuilder.DefaultTokenizer.CountTokens(Builder.Build([strong], windows, 500));
        var withOther = ContextBuilder.DefaultTokenizer.CountTokens(Builder.Build([strong, other], new Dictionary<string, ConversationWindow>(), 500));

        var context = Builder.Build([strong, other], windows, Math.Max(withNeighbour, withOther));

        Assert.Contains(expected, context, StringComparison.Ordinal);
        Assert.Contains("the strong hit", context, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RandomWindowsAndBudgets_NeverExceedsTheBudget()
    {
        var random = new Random(20261203);
        string[] words = ["turn", "的", "😀", "naïve", "\n", "ERR_42", "x", "—", "{\"a\":1}", "ß", "a"];
        for (var trial = 0; trial < 200; trial++)
        {
            string Text() => string.Concat(Enumerable.Range(0, random.Next(1, 60)).Select(_ => words[random.Next(words.Length)] + (random.Next(3) == 0 ? " " : string.Empty)));
            var hits = Enumerable.Range(0, random.Next(0, 12))
                .Select(i => Hit(random.Next(3) == 0 ? null : $"c{random.Next(3)}", $"h{i}", Text(), random.Next(2) == 0 ? "user" : "assistant", random.NextDouble()))
                .ToList();
            var windows = new Dictionary<string, ConversationWindow>();
            foreach (var hit in hits.Where(h => h.ConversationId is not null))
            {
                var position = random.Next(0, 40);
                windows[hit.Id] = Window(hit.ConversationId!, position, Enumerable.Range(position - 3, 7).Where(p => p >= 0 && p != position && random.Next(4) > 0).Select(p => ((long)p, Text())).ToArray());
            }

            var budget = random.Next(1, 400);
            var context = Builder.Build(hits.OrderByDescending(h => h.Score).ToList(), windows, budget);

            Assert.True(ContextBuilder.DefaultTokenizer.CountTokens(context) <= budget, $"trial {trial}: budget {budget} exceeded");
        }
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.OrdinalIgnoreCase).Length) / part.Length;

    private static MemoryResult Hit(string? conversation, string id, string content, string? role, double score) => new()
    {
        Id = id,
        Content = content,
        Score = score,
        Metadata = new Dictionary<string, string>(),
        Timestamp = DateTimeOffset.UnixEpoch,
        ConversationId = conversation,
        Role = role,
        Source = conversation is null ? $"memory:{id}" : $"conversation:{conversation}",
    };

    private static Dictionary<string, ConversationWindow> Windows(MemoryResult hit, long position, params (long Position, string Content)[] turns) =>
        new() { [hit.Id] = Window(hit.ConversationId!, position, turns) };

    private static ConversationWindow Window(string conversation, long position, params (long Position, string Content)[] turns) =>
        new(conversation, position, turns.Select(t => new PositionedRow(t.Position, new DocumentRow(
            1000 + t.Position, $"{conversation}-{t.Position}", null, conversation, t.Position % 2 == 0 ? "user" : "assistant", t.Content, "{}", null, 0))).ToList());

    private static MemoryResult Result(string content, string source) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Content = content,
        Score = 1,
        Metadata = new Dictionary<string, string>(),
        Timestamp = DateTimeOffset.UnixEpoch,
        Source = source,
    };
}
