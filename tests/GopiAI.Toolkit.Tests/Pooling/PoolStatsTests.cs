using GopiAI.Toolkit.Pooling;

namespace GopiAI.Toolkit.Tests.Pooling;

public sealed class PoolStatsTests
{
    [Fact]
    public void Outstanding_And_ReuseRate_FromCounters()
    {
        var stats = new PoolStats("p", Created: 2, Rented: 10, Returned: 7, MaxRetained: 100, Drained: 0);

        Assert.Equal(3, stats.Outstanding);
        Assert.Equal(0.8, stats.ReuseRate, 3);
    }

    [Fact]
    public void ReuseRate_NoRentals_IsZero() =>
        Assert.Equal(0, new PoolStats("p", 0, 0, 0, 1, 0).ReuseRate);
}
