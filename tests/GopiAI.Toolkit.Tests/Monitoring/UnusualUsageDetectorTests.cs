using GopiAI.Toolkit.Monitoring;

namespace GopiAI.Toolkit.Tests.Monitoring;

public sealed class UnusualUsageDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluate_LastingChange_BecomesTheNewNormalOnceItFillsHalfTheBaseline()
    {
        var options = new UnusualUsageOptions { BaselineIntervals = 10, WarmupIntervals = 5 };
        var detector = new UnusualUsageDetector(options);
        var spikes = new List<int>();
        var step = 0;
        void Run(int requests)
        {
            if (detector.Evaluate(Interval(step, requests)).Any(a => a.Kind == ResourceAlertKind.RequestRateSpike))
            {
                spikes.Add(step);
            }

            step++;
        }

        for (var i = 0; i < 10; i++)
        {
            Run(100);
        }

        for (var i = 0; i < 10; i++)
        {
            Run(500);
        }

        // 500 per interval is now the normal: three times that is a new spike.
        Run(1600);

        Assert.Equal([10, 20], spikes);
    }

    [Fact]
    public void Evaluate_IdleBaseline_TrafficAboveTheMinimumIsASpike()
    {
        var detector = new UnusualUsageDetector(new UnusualUsageOptions());
        for (var i = 0; i < 5; i++)
        {
            Assert.Empty(detector.Evaluate(Interval(i, 0)));
        }

        var alert = Assert.Single(detector.Evaluate(Interval(5, 60)));

        Assert.Equal(0, alert.Baseline);
        Assert.Contains("is far above the baseline of 0/s", alert.Message, StringComparison.Ordinal);
    }

    private static UsageInterval Interval(int step, int requests) => new(
        Start.AddSeconds(10 * (step + 1)),
        TimeSpan.FromSeconds(10),
        requests,
        requests * 1024L,
        new Dictionary<string, EndpointCounts> { ["Ask"] = new(requests, 0) });
}
