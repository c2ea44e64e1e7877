using GopiAI.Toolkit.Monitoring;
using GopiAI.Toolkit.Samples.Assistant.Monitoring;

namespace GopiAI.Toolkit.Samples.Tests.Assistant;

public sealed class LatencyRecorderTests
{
    [Fact]
    public void GetSamples_MonitoredScopes_RecordsOneDurationPerCallInMilliseconds()
    {
        var endpoint = "LatencyRecorderTests." + Guid.NewGuid().ToString("N");
        using var recorder = new LatencyRecorder();

        var elapsed = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            var scope = MonitoredScope.Start(endpoint);
            elapsed.Add(scope.Stop(success: true));
        }

        var samples = recorder.GetSamples()[endpoint];
        Assert.Equal(3, samples.Count);
        Assert.Equal(elapsed.Select(e => e.TotalMilliseconds), samples, (a, b) => Math.Abs(a - b) < 0.001);
    }

    [Fact]
    public void GetSamples_MoreCallsThanCapacity_KeepsTheMostRecent()
    {
        var endpoint = "LatencyRecorderTests." + Guid.NewGuid().ToString("N");
        using var recorder = new LatencyRecorder(maxSamplesPerEndpoint: 2);

        for (var i = 0; i < 5; i++)
        {
            MonitoredScope.Start(endpoint).Stop(success: i % 2 == 0);
        }

        Assert.Equal(2, recorder.GetSamples()[endpoint].Count);
    }

    [Fact]
    public void Constructor_ZeroCapacity_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyRecorder(0));
}
