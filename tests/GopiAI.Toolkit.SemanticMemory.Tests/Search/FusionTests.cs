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
    public void Combine_Dense_UsesTheCosinesAndIgnoresTheKeywordLeg()
    {
        var scores = Fusion.Combine(SearchMode.Dense, Dense, Keyword);

        Assert.Equal(new Dictionary<long, double> { [10] = 0.9, [20] = 0.8, [30] = 0.7 }, scores);
    }

    [Fact]
    public void Combine_Keyword_UsesTheKeywordScoresAndIgnoresTheDenseLeg()
    {
        var scores = Fusion.Combine(SearchMode.Keyword, Dense, Keyword);

        Assert.Equal(new Dictionary<long, double> { [30] = -1.5, [40] = -2.5 }, scores);
    }

    [Fact]
    public void Combine_Hybrid_IsReciprocalRankFusionWithK60()
    {
        Assert.Equal(60, Fusion.RrfK);
        Assert.Equal(Fusion.ReciprocalRank(Dense, Keyword, 60), Fusion.Combine(SearchMode.Hybrid, Dense, Keyword));
    }

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
