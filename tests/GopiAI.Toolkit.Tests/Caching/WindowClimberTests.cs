using GopiAI.Toolkit.Caching;

namespace GopiAI.Toolkit.Tests.Caching;

public sealed class WindowClimberTests
{
    private const int Capacity = 1000;
    private const int SampleSize = WindowClimber.SampleLength * Capacity;

    [Fact]
    public void Adjust_FirstSample_OnlyPrimes()
    {
        var climber = new WindowClimber(Capacity);

        Assert.Equal(0, climber.Adjust(SampleSize / 2, SampleSize / 2, window: 10));
    }

    [Fact]
    public void Adjust_HitRateKeepsRisingSignificantly_KeepsDirectionThenDoublesStep()
    {
        var climber = new WindowClimber(Capacity);
        var feed = new Feed(climber);
        feed.Sample(0.30, window: 800);

        // The first rise was not caused by a move: one initial step (−6.25 %) the default way. Each rise the moves then
        // cause doubles the step, up to a quarter of the capacity.
        Assert.Equal(-62, feed.Sample(0.40, window: 800));
        Assert.Equal(-125, feed.Sample(0.50, window: 738));
        Assert.Equal(-250, feed.Sample(0.60, window: 613));
        Assert.Equal(-250, feed.Sample(0.70, window: 363));
    }

    [Fact]
    public void Adjust_HitRateCollapsesWithoutMove_GrowsWindowAtFullStepThenDoubles()
    {
        // A recency-biased workload: once admission starts refusing new keys the hit rate collapses at the initial 1 %
        // window. The loss was not caused by a move, so the climber turns round (grows) without halving, and doubles on
        // the gain that follows: the window reaches most of the cache in a few samples.
        var climber = new WindowClimber(Capacity);
        var feed = new Feed(climber);
        feed.Sample(0.60, window: 10);

        Assert.Equal(62, feed.Sample(0.16, window: 10));
        Assert.Equal(125, feed.Sample(0.22, window: 72));
        Assert.Equal(250, feed.Sample(0.34, window: 197));
    }

    [Fact]
    public void Adjust_GainAndLossAlternate_StepShrinks()
    {
        // A periodic workload: every other sample looks better. The climber must not keep swinging at full step.
        var climber = new WindowClimber(Capacity);
        var feed = new Feed(climber);
        var window = 400;
        feed.Sample(0.40, window);
        var moves = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            var move = feed.Sample(i % 2 == 0 ? 0.50 : 0.40, window);
            moves.Add(Math.Abs(move));
            window += move;
        }

        Assert.True(moves[^1] < moves[0] / 4, $"moves {string.Join(", ", moves)}");
    }

    [Fact]
    public void Adjust_HitRateFallsAfterOwnMove_TurnsRoundThenHalvesStep()
    {
        var climber = new WindowClimber(Capacity);
        var feed = new Feed(climber);
        feed.Sample(0.50, window: 200);

        // A fall the climber did not cause: turn round at full step. A fall after its own move: turn round, and the next
        // step is half as large; the gain right after a turn-round does not double it.
        Assert.Equal(62, feed.Sample(0.40, window: 200));
        Assert.Equal(-62, feed.Sample(0.30, window: 262));
        Assert.Equal(-31, feed.Sample(0.40, window: 200));
    }

    [Fact]
    public void Adjust_StrongDifferenceHalfwayThroughSample_DecidesEarly()
    {
        var climber = new WindowClimber(Capacity);
        var feed = new Feed(climber);
        feed.Sample(0.20, window: 10);

        // 40 points apart after half a sample: far beyond the early bar (EarlySignificanceZ).
        Assert.NotEqual(0, feed.Sample(0.60, window: 10, requests: climber.CheckInterval));
    }

    [Fact]
    public void Adjust_ModerateDifferenceHalfwayThroughSample_WaitsForFullSample()
    {
        var climber = new WindowClimber(Capacity);
        var feed = new Feed(climber);
        feed.Sample(0.50, window: 200);

        // 3 points: significant on a full sample (z ≈ 4), not on half of one against the early bar (z ≈ 3.5 < 6).
        Assert.Equal(0, feed.Sample(0.53, window: 200, requests: climber.CheckInterval));
        Assert.NotEqual(0, feed.Sample(0.53, window: 200, requests: climber.CheckInterval));
    }

    [Fact]
    public void Adjust_NoMeasurableChange_KeepsMeasuringThenExploresOneStep()
    {
        var climber = new WindowClimber(Capacity);
        var feed = new Feed(climber);
        feed.Sample(0.50, window: 200);

        // Noise far below the significance bar: no move while the measurement grows...
        for (var i = 1; i < WindowClimber.MaxSampleLengths; i++)
        {
            Assert.Equal(0, feed.Sample(0.5005, window: 200));
        }

        // ...then one exploratory step (the first step: towards a smaller window), and measuring starts again.
        Assert.Equal(-62, feed.Sample(0.5005, window: 200));
        Assert.Equal(0, feed.Sample(0.5005, window: 138));
    }

    [Fact]
    public void Adjust_NeverLeavesOneToCapacityMinusOne()
    {
        var climber = new WindowClimber(Capacity);
        var feed = new Feed(climber);
        var window = 10;
        feed.Sample(0.1, window);
        var rate = 0.1;
        for (var i = 0; i < 30; i++)
        {
            // A hit rate that keeps rising whatever the climber does: it runs to a bound and stays inside it.
            rate = Math.Min(0.99, rate + 0.05);
            window += feed.Sample(rate, window);
            Assert.InRange(window, 1, Capacity - 1);
        }
    }

    private sealed class Feed(WindowClimber climber)
    {
        private long _hits;
        private long _misses;

        public int Sample(double hitRate, int window, int requests = SampleSize)
        {
            var hits = (long)Math.Round(hitRate * requests);
            _hits += hits;
            _misses += requests - hits;
            return climber.Adjust(_hits, _misses, window);
        }
    }
}
