using GopiAI.Toolkit.Monitoring;

namespace GopiAI.Toolkit.Tests.Monitoring;

public sealed class PercentilesTests
{
    [Theory]
    [InlineData(0.50, 12)]  // rank ceil(0.50 * 24) = 12
    [InlineData(0.95, 23)]  // rank ceil(0.95 * 24) = 23: the 23rd fastest of 24 calls
    [InlineData(0.99, 24)]
    [InlineData(1.00, 24)]
    [InlineData(0.00, 1)]
    public void NearestRank_TwentyFourValues_ReturnsTheValueAtRankCeilPn(double p, long expectedRank)
    {
        long[] values = [.. Enumerable.Range(1, 24).Select(i => (long)i)];

        Assert.Equal(expectedRank, Percentiles.NearestRank(values, p));
        Assert.Equal(expectedRank, Percentiles.NearestRank(values.Select(v => (double)v).ToArray(), p));
    }

    [Fact]
    public void NearestRank_OneSlowCallAmongFast_MeanAboveP95ButBelowMax()
    {
        // The report's "p95 below the average": 23 calls of 0.4 ms and one first call of 8 ms.
        double[] values = [.. Enumerable.Repeat(0.4, 23), 8.0];

        var p95 = Percentiles.NearestRank(values, 0.95);

        Assert.Equal(0.4, p95);
        Assert.True(values.Average() > p95);
        Assert.Equal(8.0, Percentiles.NearestRank(values, 0.99));
    }

    [Fact]
    public void NearestRank_NoValues_ReturnsZero() => Assert.Equal(0, Percentiles.NearestRank(ReadOnlySpan<double>.Empty, 0.95));

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void NearestRank_PercentileOutsideZeroToOne_Throws(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.NearestRank([1.0, 2.0], p));
}
