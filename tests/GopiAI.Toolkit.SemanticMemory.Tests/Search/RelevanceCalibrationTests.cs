using GopiAI.Toolkit.SemanticMemory.Search;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Search;

public sealed class RelevanceCalibrationTests
{
    [Fact]
    public void Dense_AtMidpoint_IsOneHalf() =>
        Assert.Equal(0.5, RelevanceCalibration.Dense(RelevanceCalibration.DenseMidpoint), 12);

    [Fact]
    public void Keyword_AtMidpoint_IsOneHalf() =>
        Assert.Equal(0.5, RelevanceCalibration.Keyword(RelevanceCalibration.KeywordMidpoint), 12);

    [Theory]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(0.9)]
    [InlineData(1.0)]
    public void Dense_AnyCosine_InUnitIntervalAndIncreasing(double cosine)
    {
        var relevance = RelevanceCalibration.Dense(cosine);

        Assert.InRange(relevance, 0, 1);
        Assert.True(RelevanceCalibration.Dense(cosine + 0.01) > relevance);
    }

    [Fact]
    public void Keyword_NoMatchOrNegative_IsZero()
    {
        Assert.Equal(0, RelevanceCalibration.Keyword(0));
        Assert.Equal(0, RelevanceCalibration.Keyword(-3));
    }

    [Fact]
    public void Keyword_GrowingScore_IncreasesWithinUnitInterval()
    {
        Assert.True(RelevanceCalibration.Keyword(0.05) < RelevanceCalibration.Keyword(0.5));
        Assert.InRange(RelevanceCalibration.Keyword(1), 0.9, 1);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void DenseCosineFor_InvertsDense(double relevance) =>
        Assert.Equal(relevance, RelevanceCalibration.Dense(RelevanceCalibration.DenseCosineFor(relevance)), 9);

    [Fact]
    public void Hybrid_TakesTheStrongerLeg() =>
        Assert.Equal(RelevanceCalibration.Keyword(0.8), RelevanceCalibration.Hybrid(0.1, 0.8), 12);

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void KeywordScoreFor_InvertsKeyword(double relevance) =>
        Assert.Equal(relevance, RelevanceCalibration.Keyword(RelevanceCalibration.KeywordScoreFor(relevance)), 9);
}
