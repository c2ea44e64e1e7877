using GopiAI.Toolkit.Samples.Assistant.Monitoring;
using GopiAI.Toolkit.Startup;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Samples.Tests.Assistant;

public sealed class StartupTimelineRecorderTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public async Task BuildSpans_ReportWithStartTimes_PlacesStepsAndShiftsPhasesOntoTheOptimizerClock()
    {
        var time = new FakeTimeProvider();
        var recorder = new StartupTimelineRecorder(time, time.GetTimestamp());
        time.Advance(Ms(100));
        recorder.MarkInitializationStart();                       // our clock: 100 ms
        time.Advance(Ms(500));
        await recorder.MeasureAsync("ingest", () =>               // our clock: 600 ms .. 900 ms
        {
            time.Advance(Ms(300));
            return Task.FromResult(0);
        });
        var report = new StartupReport(
            [new StartupTaskReport("open db", StartupStepStatus.Succeeded, Ms(40), 0, [], null, StartedAt: Ms(560))],
            [new ComponentReport("GopiAI.Toolkit.Samples.Assistant.Services.EmbeddingModelHost", typeof(object), true, Ms(400), true, null, StartedAt: Ms(150))],
            TotalElapsed: Ms(450),
            InitializationStartedAt: Ms(150));                    // optimizer clock: 150 ms = our 100 ms

        var spans = recorder.BuildSpans(report);

        Assert.Equal(
            [("EmbeddingModelHost", "component", Ms(150), Ms(400)), ("open db", "task", Ms(560), Ms(40)), ("ingest", "phase", Ms(650), Ms(300))],
            spans.Select(s => (s.Name, s.Kind, s.Start, s.Duration)));
    }

    [Fact]
    public void BuildSpans_NoStartTimeInReport_UsesTheProgressReports()
    {
        var time = new FakeTimeProvider();
        var recorder = new StartupTimelineRecorder(time, time.GetTimestamp());
        recorder.MarkInitializationStart();
        time.Advance(Ms(20));
        recorder.Report(new StartupProgress(0, 1, "warm", StartupStepStatus.Running, Ms(20)));
        time.Advance(Ms(80));
        recorder.Report(new StartupProgress(1, 1, "warm", StartupStepStatus.Succeeded, Ms(100)));

        var spans = recorder.BuildSpans(new StartupReport([new StartupTaskReport("warm", StartupStepStatus.Succeeded, Ms(80), 0, [], null)], [], Ms(100)));

        var span = Assert.Single(spans);
        Assert.Equal(Ms(20), span.Start);
        Assert.Equal(Ms(80), span.Duration);
    }

    [Fact]
    public void Report_Progress_RaisesProgressed()
    {
        var time = new FakeTimeProvider();
        var recorder = new StartupTimelineRecorder(time, time.GetTimestamp());
        var seen = new List<StartupProgress>();
        recorder.Progressed += (_, p) => seen.Add(p);
        var progress = new StartupProgress(1, 2, "x", StartupStepStatus.Succeeded, Ms(1));

        recorder.Report(progress);

        Assert.Equal([progress], seen);
    }
}
