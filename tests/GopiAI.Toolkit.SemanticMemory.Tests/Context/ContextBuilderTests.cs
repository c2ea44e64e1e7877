using GopiAI.Toolkit.SemanticMemory.Context;

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
