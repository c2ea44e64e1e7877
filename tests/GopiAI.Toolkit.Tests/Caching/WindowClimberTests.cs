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
        feed.Sample(0.30, window: 400);

        // The first move tries a smaller window (initial step −6.25 %); the hit rate rose: keep going, then twice as far.
        Assert.Equal(-62, feed.Sample(0.40, window: 400));
        Assert.Equal(-62, feed.Sample(0.50, window: 338));
        Assert.Equal(-125, feed.Sample(0.60, window: 276));
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
    public void Adjust_HitRateFallsSignificantly_TurnsRoundWithHalfStep()
    {
        var climber = new WindowClimber(Capacity);
        var feed = new Feed(climber);
        feed.Sample(0.50, window: 200);

        Assert.Equal(62, feed.Sample(0.40, window: 200));
        Assert.Equal(-31, feed.Sample(0.30, window: 262));
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

        public int Sample(double hitRate, int window)
        {
            var hits = (long)Math.Round(hitRate * SampleSize);
            _hits += hits;
            _misses += SampleSize - hits;
            return climber.Adjust(_hits, _misses, window);
        }
    }
}
