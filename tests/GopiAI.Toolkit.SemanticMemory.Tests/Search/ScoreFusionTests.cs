using GopiAI.Toolkit.SemanticMemory.Search;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Search;

public sealed class ScoreFusionTests
{
    [Fact]
    public void Convex_BestInBothLegs_ScoresOneAndOthersBelow()
    {
        var fused = ScoreFusion.Convex([0.8, 0.4, 0.6], [12, 0, 3], keywordWeight: 0.25);

        Assert.Equal(1.0, fused[0], 12);
        Assert.Equal(0.75 * 0.5, fused[1], 12); // no keyword match: only the dense share, scaled by the best cosine
        Assert.Equal((0.75 * 0.75) + (0.25 * 0.25), fused[2], 12);
    }

    [Fact]
    public void Convex_NegativeCosine_CountsAsNoDenseEvidence()
    {
        var fused = ScoreFusion.Convex([-0.3, 0.5], [4, 0], keywordWeight: 0.5);

        Assert.Equal(0.5, fused[0], 12);
        Assert.Equal(0.5, fused[1], 12);
    }

    [Fact]
    public void Convex_KeywordWeight_MovesTheOrderBetweenLegs()
    {
        // Candidate 0 is the dense leg's favourite, candidate 1 the keyword leg's.
        double[] cosines = [0.7, 0.6];
        double[] bm25 = [1, 10];

        Assert.True(ScoreFusion.Convex(cosines, bm25, 0.1) is var low && low[0] > low[1]);
        Assert.True(ScoreFusion.Convex(cosines, bm25, 0.6) is var high && high[1] > high[0]);
    }

    [Fact]
    public void Convex_LegsOfDifferentLengths_Throws() =>
        Assert.Throws<ArgumentException>(() => ScoreFusion.Convex([0.5], [1, 2]));

    [Fact]
    public void ReciprocalRank_FirstInBothLegs_ScoresOne()
    {
        var scores = ScoreFusion.ReciprocalRank(["a", "b"], ["a", "c"]);

        Assert.Equal(1.0, scores["a"], 12);
        Assert.Equal(61 / 2.0 / 62, scores["b"], 12);
        Assert.Equal(scores["b"], scores["c"], 12);
    }

    [Fact]
    public void Relevances_TopGetsItsCalibratedRelevance_OthersScaleWithFusedValue()
    {
        var relevances = ScoreFusion.Relevances([0.9, 0.45, 0], best: 0, bestRelevance: 0.8);

        Assert.Equal([0.8, 0.4, 0], relevances);
    }

    [Fact]
    public void Relevances_NothingFused_AllZero() =>
        Assert.Equal([0.0, 0.0], ScoreFusion.Relevances([0, 0], best: 0, bestRelevance: 0.9));
}
