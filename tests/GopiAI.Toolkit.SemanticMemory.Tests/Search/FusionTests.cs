using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Search;

public sealed class FusionTests
{
    private static readonly ScoredRow[] Dense = [new(10, 0.9), new(20, 0.8), new(30, 0.7)];
    private static readonly ScoredRow[] Keyword = [new(30, -1.5), new(40, -2.5)];

    [Fact]
    public void ReciprocalRank_RowInBothLegs_SumsItsReciprocalRanks()
    {
        var scores = Fusion.ReciprocalRank(Dense, Keyword);

        Assert.Equal(4, scores.Count);
        Assert.Equal(1.0 / 61, scores[10], 15);
        Assert.Equal(1.0 / 62, scores[20], 15);
        Assert.Equal((1.0 / 63) + (1.0 / 61), scores[30], 15);
        Assert.Equal(1.0 / 62, scores[40], 15);
    }

    [Fact]
    public void ReciprocalRank_LegScores_DoNotMatterOnlyTheOrder()
    {
        ScoredRow[] rescaled = [new(10, 0.31), new(20, 0.3), new(30, 0.29)];

        Assert.Equal(Fusion.ReciprocalRank(Dense, Keyword), Fusion.ReciprocalRank(rescaled, Keyword));
    }

    [Fact]
    public void ReciprocalRank_RowFoundByBothLegs_OutranksRowsFoundByOne()
    {
        var scores = Fusion.ReciprocalRank(Dense, Keyword);

        Assert.Equal(30, scores.MaxBy(pair => pair.Value).Key);
    }

    [Fact]
    public void ReciprocalRank_CustomK_ChangesTheWeights()
    {
        var scores = Fusion.ReciprocalRank([new(1, 1)], [new(1, 1)], k: 0);

        Assert.Equal(2.0, scores[1], 15);
    }

    [Fact]
    public void ReciprocalRank_EmptyLegs_IsEmpty()
    {
        Assert.Empty(Fusion.ReciprocalRank([], []));
    }

    [Fact]
    public void Combine_Dense_CalibratesTheCosinesAndIgnoresTheKeywordLeg()
    {
        var scores = Fusion.Combine(SearchMode.Dense, HybridFusion.Convex, Dense, Keyword);

        Assert.Equal([10, 20, 30], scores.Keys.Order());
        Assert.Equal(RelevanceCalibration.Dense(0.9), scores[10], 12);
        Assert.Equal(RelevanceCalibration.Dense(0.7), scores[30], 12);
    }

    [Fact]
    public void Combine_Keyword_CalibratesTheKeywordScoresAndIgnoresTheDenseLeg()
    {
        ScoredRow[] keyword = [new(30, 0.4), new(40, 0.1)];

        var scores = Fusion.Combine(SearchMode.Keyword, HybridFusion.Convex, Dense, keyword);

        Assert.Equal([30, 40], scores.Keys.Order());
        Assert.Equal(RelevanceCalibration.Keyword(0.4), scores[30], 12);
    }

    [Fact]
    public void Combine_HybridConvex_BestRowGetsItsStrongerLegAndOthersScaleWithTheFusedValue()
    {
        ScoredRow[] keyword = [new(30, 0.5), new(40, 0.25)];
        var cosines = new Dictionary<long, double> { [40] = 0.2 };

        var scores = Fusion.Combine(SearchMode.Hybrid, HybridFusion.Convex, Dense, keyword, cosines, keywordWeight: 0.3);

        // Fused: 10 → 0.7; 20 → 0.7·0.8/0.9; 30 → 0.7·0.7/0.9 + 0.3 (best); 40 → 0.7·0.2/0.9 + 0.15.
        var fused30 = (0.7 * 0.7 / 0.9) + 0.3;
        Assert.Equal(30, scores.MaxBy(p => p.Value).Key);
        Assert.Equal(RelevanceCalibration.Hybrid(0.7, 0.5), scores[30], 12);
        Assert.Equal(scores[30] * 0.7 / fused30, scores[10], 12);
        Assert.Equal(scores[30] * ((0.7 * 0.2 / 0.9) + 0.15) / fused30, scores[40], 12);
        Assert.All(scores.Values, v => Assert.InRange(v, 0, 1));
    }

    [Fact]
    public void Combine_HybridReciprocalRank_KeepsTheRrfOrderInUnitInterval()
    {
        var scores = Fusion.Combine(SearchMode.Hybrid, HybridFusion.ReciprocalRank, Dense, Keyword, new Dictionary<long, double> { [40] = 0.1 });
        var rrf = Fusion.ReciprocalRank(Dense, Keyword);

        Assert.Equal(rrf.OrderByDescending(p => p.Value).Select(p => p.Key), scores.OrderByDescending(p => p.Value).Select(p => p.Key));
        Assert.All(scores.Values, v => Assert.InRange(v, 0, 1));
    }

    [Fact]
    public void Combine_HybridWeakDenseNoiseAboveAStrongKeywordHit_LeavesTheNoiseOutAndKeepsTheHit()
    {
        // A query the model cannot read: every cosine is weak, one row matches the keyword leg well.
        ScoredRow[] dense = [new(1, 0.2), new(2, 0.18), new(3, 0.05)];
        ScoredRow[] keyword = [new(3, 0.5)];

        var scores = Fusion.Combine(SearchMode.Hybrid, HybridFusion.Convex, dense, keyword, threshold: 0.2);

        Assert.Equal(3, Assert.Single(scores).Key);
        Assert.Equal(RelevanceCalibration.Keyword(0.5), scores[3], 12);
    }

    [Fact]
    public void Combine_HybridNothingFound_IsEmpty() =>
        Assert.Empty(Fusion.Combine(SearchMode.Hybrid, HybridFusion.Convex, [], []));

    [Fact]
    public void Convex_BestInBothLegs_ScoresOneAndOthersBelow()
    {
        var fused = Fusion.Convex([0.8, 0.4, 0.6], [12, 0, 3], keywordWeight: 0.25);

        Assert.Equal(1.0, fused[0], 12);
        Assert.Equal(0.75 * 0.5, fused[1], 12); // no keyword match: only the dense share, scaled by the best cosine
        Assert.Equal((0.75 * 0.75) + (0.25 * 0.25), fused[2], 12);
    }

    [Fact]
    public void Convex_NegativeCosine_CountsAsNoDenseEvidence()
    {
        var fused = Fusion.Convex([-0.3, 0.5], [4, 0], keywordWeight: 0.5);

        Assert.Equal(0.5, fused[0], 12);
        Assert.Equal(0.5, fused[1], 12);
    }

    [Fact]
    public void Convex_KeywordWeight_MovesTheOrderBetweenLegs()
    {
        // Candidate 0 is the dense leg's favourite, candidate 1 the keyword leg's.
        double[] cosines = [0.7, 0.6];
        double[] keyword = [0.1, 1];

        var low = Fusion.Convex(cosines, keyword, 0.1);
        var high = Fusion.Convex(cosines, keyword, 0.6);

        Assert.True(low[0] > low[1]);
        Assert.True(high[1] > high[0]);
    }

    [Fact]
    public void Convex_LegsOfDifferentLengths_Throws() =>
        Assert.Throws<ArgumentException>(() => Fusion.Convex([0.5], [1, 2]));

    [Fact]
    public void Relevances_TopGetsItsCalibratedRelevance_OthersScaleWithFusedValue() =>
        Assert.Equal([0.8, 0.4, 0], Fusion.Relevances([0.9, 0.45, 0], best: 0, bestRelevance: 0.8));

    [Fact]
    public void Relevances_NothingFused_AllZero() =>
        Assert.Equal([0.0, 0.0], Fusion.Relevances([0, 0], best: 0, bestRelevance: 0.9));

    [Fact]
    public void WeightByRecency_AgeOfOneHalfLife_TakesHalfOfTheWeight()
    {
        var weighted = Fusion.WeightByRecency(1.0, TimeSpan.FromDays(7), TimeSpan.FromDays(7), weight: 0.3);

        Assert.Equal(0.85, weighted, 12);
    }

    [Fact]
    public void WeightByRecency_NewAndFutureRows_KeepTheirScore()
    {
        Assert.Equal(0.5, Fusion.WeightByRecency(0.5, TimeSpan.Zero, TimeSpan.FromDays(1), weight: 0.3), 12);
        Assert.Equal(0.5, Fusion.WeightByRecency(0.5, TimeSpan.FromDays(-3), TimeSpan.FromDays(1), weight: 0.3), 12);
    }

    [Fact]
    public void WeightByRecency_VeryOldRow_LosesAtMostTheWeight()
    {
        var weighted = Fusion.WeightByRecency(2.0, TimeSpan.FromDays(3650), TimeSpan.FromDays(1), weight: 0.3);

        Assert.Equal(1.4, weighted, 12);
    }
}
