using GopiAI.Toolkit.SemanticMemory.Context;
using GopiAI.Toolkit.SemanticMemory.Tests.Evaluation;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Context;

public sealed class NearDuplicatesTests
{
    [Theory]
    [InlineData("It smells bad.", "  it SMELLS   bad! ")]
    [InlineData("Use those, checked monthly in the morning before driving.", "use those — checked monthly, in the morning before driving")]
    [InlineData("😀 😀", "😀  😀")]
    public void Similar_SameWordsDifferentCaseSpacingOrPunctuation_True(string a, string b) =>
        Assert.True(NearDuplicates.Similar(NearDuplicates.Of(a), NearDuplicates.Of(b)));

    [Fact]
    public void Similar_OneWordChangedInALongTurn_True()
    {
        var turn = "Replace the cartridge: shut off the supply valves under the sink, pop the handle cap, remove the retaining clip and pull the old cartridge straight up, then take it to the store to match it exactly.";
        var edited = turn.Replace("exactly", "precisely", StringComparison.Ordinal);

        Assert.True(NearDuplicates.Similar(NearDuplicates.Of(turn), NearDuplicates.Of(edited)));
    }

    [Theory]
    [InlineData("It smells bad.", "It smells good.")]
    [InlineData("Thanks!", "Thanks, will do.")]
    [InlineData("What can I do?", "So what can I do?")]
    [InlineData("😀", "😃")]
    [InlineData("Boil the eggs for 6.5 minutes, then move them to ice water for 2 minutes.", "Boil the eggs for 9 minutes, then move them to cold water for 5 minutes.")]
    public void Similar_DifferentStatements_False(string a, string b) =>
        Assert.False(NearDuplicates.Similar(NearDuplicates.Of(a), NearDuplicates.Of(b)));

    [Fact]
    public void Similar_DistinctTurnsOfTheAssistantSample_NeverNearDuplicates()
    {
        var turns = new ContextEvaluation(TestPaths.RepoRoot).Turns();
        var prints = turns.Select(t => (t.Id, Print: NearDuplicates.Of(t.Content))).ToList();
        var highest = 0.0;
        for (var i = 0; i < prints.Count; i++)
        {
            for (var j = i + 1; j < prints.Count; j++)
            {
                Assert.False(NearDuplicates.Similar(prints[i].Print, prints[j].Print), $"{prints[i].Id} and {prints[j].Id}");
                if (prints[i].Print.Shingles is { } a && prints[j].Print.Shingles is { } b)
                {
                    highest = Math.Max(highest, NearDuplicates.Resemblance(a, b));
                }
            }
        }

        Assert.InRange(highest, 0, NearDuplicates.Threshold / 2);
    }

    [Fact]
    public void Words_MixedScriptsAndPunctuation_LettersAndDigitsCaseFolded() =>
        Assert.Equal(["ERR", "42", "NAÏVE", "的", "Σ"], NearDuplicates.Words("err_42: naïve 的 σ!"));
}
