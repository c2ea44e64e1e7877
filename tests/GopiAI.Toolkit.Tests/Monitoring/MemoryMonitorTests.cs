using System.Diagnostics.Metrics;
using GopiAI.Toolkit.Monitoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GopiAI.Toolkit.Tests.Monitoring;

public sealed class MemoryMonitorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private long _usage = 100_000_000;

    private MemoryMonitor NewMonitor(MemoryMonitorOptions? options = null) =>
        new(options ?? new MemoryMonitorOptions(), _time, usageProvider: () => _usage);

    [Fact]
    public void TrackMemory_FirstSampleIsBaseline_LaterSamplesShowGrowthAndPeak()
    {
        using var monitor = NewMonitor();

        var first = monitor.TrackMemory();
        _usage = 150_000_000;
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = monitor.TrackMemory();
        _usage = 120_000_000;
        var third = monitor.TrackMemory();

        Assert.Equal(100_000_000, first.BaselineUsage);
        Assert.Equal(0, first.GrowthRate);
        Assert.Equal(0.5, second.GrowthRate, 6);
        Assert.Equal(1.5, second.GrowthFactor, 6);
        Assert.Equal(150_000_000, third.PeakUsage);
        Assert.Equal(_time.GetUtcNow(), third.Timestamp);
        Assert.True(third.GcCollections >= 0);
        Assert.True(third.WorkingSet > 0);
        Assert.Same(third, monitor.LastSample);
    }

    [Fact]
    public void GetHistory_BoundedByHistorySize()
    {
        using var monitor = NewMonitor(new MemoryMonitorOptions { HistorySize = 10 });

        for (var i = 0; i < 25; i++)
        {
            _usage += 1000;
            monitor.TrackMemory();
        }

        var history = monitor.GetHistory();
        Assert.Equal(10, history.Count);
        Assert.Equal(_usage, history[^1].CurrentUsage);
    }

    [Fact]
    public void DetectLeaks_SustainedGrowthAboveThreshold_ReportsWithEvidence()
    {
        using var monitor = NewMonitor();
        monitor.TrackMemory();
        for (var i = 0; i < 5; i++)
        {
            _usage = 160_000_000 + (i * 10_000_000);
            _time.Advance(TimeSpan.FromMinutes(1));
            monitor.TrackMemory();
        }

        var leak = Assert.Single(monitor.DetectLeaks());

        Assert.Equal("managed heap", leak.Metric);
        Assert.Equal(100_000_000, leak.BaselineUsage);
        Assert.Equal(200_000_000, leak.CurrentUsage);
        Assert.Equal(2.0, leak.GrowthFactor, 6);
        Assert.Equal(5, leak.SampleCount);
        Assert.Contains("1.5x the baseline", leak.Evidence, StringComparison.Ordinal);
        Assert.Contains("rising from", leak.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void DetectLeaks_GrowthNotSustained_ReportsNothing()
    {
        using var monitor = NewMonitor();
        monitor.TrackMemory();
        foreach (var usage in new long[] { 200_000_000, 210_000_000, 120_000_000, 220_000_000, 230_000_000 })
        {
            _usage = usage;
            monitor.TrackMemory();
        }

        Assert.Empty(monitor.DetectLeaks());
    }

    [Fact]
    public void DetectLeaks_HighButShrinking_ReportsNothing()
    {
        using var monitor = NewMonitor();
        monitor.TrackMemory();
        foreach (var usage in new long[] { 300_000_000, 280_000_000, 260_000_000, 240_000_000, 220_000_000 })
        {
            _usage = usage;
            monitor.TrackMemory();
        }

        Assert.Empty(monitor.DetectLeaks());
    }

    [Fact]
    public void DetectLeaks_TooFewSamples_ReportsNothing()
    {
        using var monitor = NewMonitor();
        monitor.TrackMemory();

        Assert.Empty(monitor.DetectLeaks());
    }

    [Fact]
    public void ResetBaseline_NextSampleBecomesBaseline()
    {
        using var monitor = NewMonitor();
        monitor.TrackMemory();
        _usage = 500_000_000;

        monitor.ResetBaseline();
        var sample = monitor.TrackMemory();

        Assert.Equal(500_000_000, sample.BaselineUsage);
        Assert.Single(monitor.GetHistory());
    }

    [Fact]
    public void SamplingInterval_TimerTakesSamples()
    {
        using var monitor = NewMonitor(new MemoryMonitorOptions { SamplingInterval = TimeSpan.FromSeconds(10) });

        _time.Advance(TimeSpan.FromSeconds(35));

        Assert.Equal(3, monitor.GetHistory().Count);
    }

    [Fact]
    public void TrackMemory_AboveHeapLimit_RaisesPressure()
    {
        using var monitor = NewMonitor(new MemoryMonitorOptions { HeapLimitBytes = 150_000_000 });
        var signals = new List<MemoryPressureEventArgs>();
        monitor.MemoryPressure += (_, e) => signals.Add(e);

        monitor.TrackMemory();
        _usage = 160_000_000;
        monitor.TrackMemory();
        _usage = 200_000_000;
        monitor.TrackMemory();

        Assert.Equal([MemoryPressureLevel.High, MemoryPressureLevel.Critical], signals.Select(s => s.Level));
        Assert.Contains("limit", signals[0].Reason, StringComparison.Ordinal);
        Assert.Equal(160_000_000, signals[0].Stats!.CurrentUsage);
    }

    [Fact]
    public void SignalMemoryPressure_RaisesEventUnlessNone()
    {
        using var monitor = NewMonitor();
        var levels = new List<MemoryPressureLevel>();
        monitor.MemoryPressure += (_, e) => levels.Add(e.Level);

        monitor.SignalMemoryPressure(MemoryPressureLevel.None, "nothing");
        monitor.SignalMemoryPressure(MemoryPressureLevel.High, "manual");

        Assert.Equal([MemoryPressureLevel.High], levels);
    }

    [Fact]
    public void LogMemoryStats_WritesInformationOrWarning()
    {
        using var monitor = NewMonitor();
        var logger = new ListLogger();

        monitor.LogMemoryStats(logger);
        _usage = 400_000_000;
        monitor.LogMemoryStats(logger);

        Assert.Equal(LogLevel.Information, logger.Entries[0].Level);
        Assert.Contains("95 MiB in use", logger.Entries[0].Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Warning, logger.Entries[1].Level);
        Assert.Contains("4.00x the baseline", logger.Entries[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForceGarbageCollection_CollectsUnreachableLargeObjects()
    {
        var before = GC.CollectionCount(2);
        AllocateGarbage();

        MemoryMonitor.ForceGarbageCollection();

        Assert.True(GC.CollectionCount(2) >= before + 2);
    }

    [Fact]
    public void Gauges_Observed_ReportHeapAndPeak()
    {
        // Its own meter scope: other tests' monitors publish the same instrument names on the same meter name in parallel.
        using var meters = new TestMeterFactory();
        using var monitor = new MemoryMonitor(new MemoryMonitorOptions(), _time, meters, () => _usage);
        monitor.TrackMemory();
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "GopiAI.Toolkit.Memory" && instrument.Meter.Scope == meters)
            {
                l.EnableMeasurementEvents(instrument, monitor);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => seen[i.Name] = v);
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => seen[i.Name] = v);
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => seen[i.Name] = v);
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(100_000_000, seen["gopi.memory.peak_usage"]);
        Assert.True(seen["gopi.memory.heap_size"] > 0);
        Assert.Equal(1.0, seen["gopi.memory.growth_factor"]);
    }

    [Fact]
    public void Dispose_ThenTrack_ThrowsObjectDisposed()
    {
        var monitor = NewMonitor();
        monitor.Dispose();
        monitor.Dispose();

        Assert.Throws<ObjectDisposedException>(() => monitor.TrackMemory());
    }

    [Fact]
    public void Options_Invalid_ThrowNamingOption()
    {
        Assert.Equal("LeakThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMonitor(new MemoryMonitorOptions { LeakThreshold = 1.0 })).ParamName);
        Assert.Equal("HistorySize", Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMonitor(new MemoryMonitorOptions { HistorySize = 0 })).ParamName);
        Assert.Equal("SamplingInterval", Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMonitor(new MemoryMonitorOptions { SamplingInterval = TimeSpan.FromSeconds(-1) })).ParamName);
        Assert.Equal("PressureLoadRatio", Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMonitor(new MemoryMonitorOptions { PressureLoadRatio = 0 })).ParamName);
        Assert.Equal("HeapLimitBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMonitor(new MemoryMonitorOptions { HeapLimitBytes = -5 })).ParamName);
        using var monitor = NewMonitor();
        Assert.Equal("logger", Assert.Throws<ArgumentNullException>(() => monitor.LogMemoryStats(null!)).ParamName);
        Assert.Equal("reason", Assert.Throws<ArgumentException>(() => monitor.SignalMemoryPressure(MemoryPressureLevel.High, " ")).ParamName);
    }

    [Fact]
    public void Shared_IsSingletonAndIgnoresDispose()
    {
        MemoryMonitor.Shared.Dispose();

        Assert.NotNull(MemoryMonitor.Shared.TrackMemory());
        Assert.Equal(MemoryMonitor.SharedSamplingInterval, MemoryMonitor.Shared.Options.SamplingInterval);
    }

    private static void AllocateGarbage()
    {
        for (var i = 0; i < 4; i++)
        {
            _ = new byte[200_000];
        }
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
