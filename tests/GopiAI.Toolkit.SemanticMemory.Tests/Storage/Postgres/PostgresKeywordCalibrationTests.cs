using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage.Postgres;

/// <summary>The PostgreSQL keyword calibration: <c>ts_rank_cd</c> onto the keyword leg's scale, so that a Score means the same as on SQLite.</summary>
public sealed class PostgresKeywordCalibrationTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.176)]
    [InlineData(0.3)]
    [InlineData(1.5)]
    [InlineData(40)]
    public void Score_AnyRank_IsTheKeywordScoreWhoseRelevanceIsTheFittedOne(double rank)
    {
        var score = PostgresKeywordCalibration.Score(rank);

        Assert.Equal(PostgresKeywordCalibration.Relevance(rank), RelevanceCalibration.Keyword(score), 9);
        Assert.Equal(rank, PostgresKeywordCalibration.RankFor(score), 9);
    }

    [Fact]
    public void Relevance_RisingRanks_RisesThroughHalfAtTheMidpoint()
    {
        var ranks = new[] { 0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 10 };
        var relevances = ranks.Select(PostgresKeywordCalibration.Relevance).ToArray();

        Assert.Equal(0.5, PostgresKeywordCalibration.Relevance(PostgresKeywordCalibration.Midpoint), 12);
        Assert.Equal(0, relevances[0]);
        Assert.All(relevances, r => Assert.InRange(r, 0, 1));
        Assert.Equal(relevances.Order(), relevances);
        Assert.Equal(relevances.Length, relevances.Distinct().Count());
    }

    [Theory]
    [InlineData(0.0909091f, 0.1)]
    [InlineData(0.5f, 1.0)]
    public void RankOfNormalised_NormalisationThirtyTwo_GivesTheRawRank(float normalised, double rank) =>
        Assert.Equal(rank, PostgresKeywordCalibration.RankOfNormalised(normalised), 5);
}
