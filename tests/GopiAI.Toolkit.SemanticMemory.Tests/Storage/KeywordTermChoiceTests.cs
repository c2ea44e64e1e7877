using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage;

/// <summary>The provider-neutral rule that bounds a keyword query's work: which words decide the rows, which only score.</summary>
public sealed class KeywordTermChoiceTests
{
    [Fact]
    public void Split_WithinTheBudgets_EveryWordRequiredInQueryOrder()
    {
        var (required, scoring, rows) = KeywordTermChoice.Split([("harbour", 900), ("crane", 40), ("lights", 300)]);

        Assert.Equal(["harbour", "crane", "lights"], required);
        Assert.Empty(scoring);
        Assert.Equal(1_240, rows);
    }

    [Fact]
    public void Split_CountsBeyondTheRankBudget_RarestRequiredTheRestScoreOnly()
    {
        var (required, scoring, rows) = KeywordTermChoice.Split([("common", 3_000), ("rare", 50), ("middle", 2_000), ("often", 2_500)]);

        // Rarest first while the rows stay within the budget (50 + 2,000); the others only add to those rows' scores.
        Assert.Equal(["rare", "middle"], required);
        Assert.Equal(["common", "often"], scoring);
        Assert.Equal(2_050, rows);
        Assert.True(rows <= KeywordTermChoice.RankBudget);
    }

    [Fact]
    public void Split_ManyWords_EvaluationsStayWithinTheBudget()
    {
        // A long query: 32 words of 300 rows each. Each ranked row is scored against every phrase (a required word three
        // times when there are scoring words), so the words are cut where rows × evaluations would pass the budget.
        var words = Enumerable.Range(0, 32).Select(i => ($"w{i}", 300L)).ToList();

        var (required, scoring, rows) = KeywordTermChoice.Split(words);

        Assert.True(rows * ((3 * required.Count) + scoring.Count) <= KeywordTermChoice.EvaluationBudget, $"{rows} rows, {required.Count} + {scoring.Count} words");
        Assert.True(required.Count + scoring.Count < 32);
        Assert.NotEmpty(required);
    }

    [Fact]
    public void Split_EveryWordCommon_RequiresTheRarestAloneAndRanksOnlyTheNewest()
    {
        var (required, scoring, rows) = KeywordTermChoice.Split([("the", 90_000), ("time", 20_000), ("people", 30_000)]);

        Assert.Equal(["time"], required);
        Assert.Equal(20_000, rows);
        Assert.Equal(KeywordTermChoice.CommonQueryRows, KeywordTermChoice.RowsToRank(rows));
        Assert.All(scoring, w => Assert.NotEqual("time", w));
        Assert.True(scoring.Count * (long)KeywordTermChoice.CommonQueryRows <= KeywordTermChoice.EvaluationBudget);
    }

    [Fact]
    public void Split_ScoringWordsPostings_StayWithinTheirBudget()
    {
        var (_, scoring, _) = KeywordTermChoice.Split([("rare", 10), ("a", 40_000), ("b", 40_000), ("c", 40_000)]);

        Assert.Single(scoring);
    }

    [Fact]
    public void Candidates_LongQuery_CountsOnlyTheLongestWordsInQueryOrder()
    {
        var words = Enumerable.Range(0, 100).Select(i => new string('x', 1 + (i % 10)) + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var candidates = KeywordTermChoice.Candidates(words);

        Assert.Equal(KeywordTermChoice.MaxLookups, candidates.Count);
        var shortestCounted = candidates.Min(c => c.Length);
        Assert.All(words.Except(candidates), w => Assert.True(w.Length <= shortestCounted, w));
        Assert.Equal(candidates.OrderBy(words.IndexOf), candidates);
    }
}
