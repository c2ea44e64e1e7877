using System.Diagnostics;
using System.Diagnostics.Metrics;
using GopiAI.Toolkit.Generators.Tests.Infrastructure;
using GopiAI.Toolkit.Monitoring;

namespace GopiAI.Toolkit.Generators.Tests.Monitored;

/// <summary>Compiles [Monitored] methods and checks what reaches the meter and ApiPerformanceMonitor.Shared.</summary>
[Collection(RunCollection.Name)]
public sealed class MonitoredRunTests : IDisposable
{
    private readonly string _ns = "Run.Monitored" + Guid.NewGuid().ToString("N");
    private readonly MeterListener _listener = new();
    private readonly List<(string Endpoint, string Outcome, bool CacheHit, double Seconds)> _measurements = [];
    private readonly LoadedAssembly _assembly;

    public MonitoredRunTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "GopiAI.Toolkit.Monitoring" && instrument.Name == "gopi.call.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? endpoint = null, outcome = null;
            var hit = false;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "endpoint": endpoint = tag.Value as string; break;
                    case "outcome": outcome = tag.Value as string; break;
                    case "cache.hit": hit = tag.Value is true; break;
                }
            }

            if (endpoint?.StartsWith(_ns, StringComparison.Ordinal) == true)
            {
                lock (_measurements)
                {
                    _measurements.Add((endpoint, outcome!, hit, value));
                }
            }
        });
        _listener.Start();

        _assembly = GeneratorHarness.CompileAndLoad($$"""
            using System;
            using System.Threading.Tasks;
            using GopiAI.Toolkit;

            namespace {{_ns}};

            [Monitored(Name = "{{_ns}}")]
            public partial class Worker
            {
                public TaskCompletionSource<int> Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
                public int CoreCalls;

                public partial Task<int> WaitAsync();
                private async Task<int> WaitAsyncCore() => await Gate.Task;

                public partial ValueTask FailAsync();
                private async ValueTask FailAsyncCore() { await Task.Yield(); throw new InvalidOperationException("boom"); }

                public partial void Run();
                private void RunCore() => CoreCalls++;

                [Cached(60)]
                public partial int Twice(int x);
                private int TwiceCore(int x) { CoreCalls++; return x * 2; }

                // No Core method: left alone by the class-level attribute.
                public partial void Unrelated();
                public partial void Unrelated() { }
            }
            """);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _assembly.Dispose();
    }

    [Fact]
    public async Task WaitAsync_CompletesLater_DurationRecordedAtCompletion()
    {
        var worker = _assembly.Create(_ns + ".Worker");
        Task<int> call = worker.WaitAsync();

        // The scope started inside the call above, so it has been open at least as long as this stopwatch runs.
        var stopwatch = Stopwatch.StartNew();
        await Task.Delay(50);
        Assert.False(call.IsCompleted);
        Assert.Empty(Measurements());

        var held = stopwatch.Elapsed;
        ((TaskCompletionSource<int>)worker.Gate).SetResult(42);
        Assert.Equal(42, await call);

        var measurement = Assert.Single(Measurements());
        Assert.Equal(_ns + ".WaitAsync", measurement.Endpoint);
        Assert.Equal("success", measurement.Outcome);
        Assert.True(measurement.Seconds >= held.TotalSeconds, $"recorded {measurement.Seconds}s, the call was pending for at least {held.TotalSeconds}s");
        Assert.Equal(1, ApiPerformanceMonitor.Shared.GetEndpointStats()[_ns + ".WaitAsync"].Requests);
    }

    [Fact]
    public async Task FailAsync_Throws_RecordedAsFailure()
    {
        var worker = _assembly.Create(_ns + ".Worker");

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await worker.FailAsync());

        var measurement = Assert.Single(Measurements());
        Assert.Equal("failure", measurement.Outcome);
        Assert.Equal(1, ApiPerformanceMonitor.Shared.GetEndpointStats()[_ns + ".FailAsync"].Errors);
    }

    [Fact]
    public void Run_VoidMethod_RecordedOncePerCall()
    {
        var worker = _assembly.Create(_ns + ".Worker");

        worker.Run();
        worker.Run();

        Assert.Equal(2, (int)worker.CoreCalls);
        Assert.Equal(2, Measurements().Count(m => m.Endpoint == _ns + ".Run" && m.Outcome == "success"));
    }

    [Fact]
    public void Twice_CachedAndMonitored_HitRecordedAsCacheHit()
    {
        var worker = _assembly.Create(_ns + ".Worker");

        Assert.Equal(8, (int)worker.Twice(4));
        Assert.Equal(8, (int)worker.Twice(4));

        Assert.Equal(1, (int)worker.CoreCalls);
        var calls = Measurements().Where(m => m.Endpoint == _ns + ".Twice").ToList();
        Assert.Equal([false, true], calls.Select(m => m.CacheHit));
        Assert.Equal(0.5, ApiPerformanceMonitor.Shared.GetEndpointStats()[_ns + ".Twice"].CacheHitRate);
        var stats = GopiAI.Toolkit.Caching.CacheManager.Shared.GetStats()[_ns + ".Worker.Twice"];
        Assert.Equal((1, 1), (stats.Hits, stats.Misses));
    }

    private List<(string Endpoint, string Outcome, bool CacheHit, double Seconds)> Measurements()
    {
        lock (_measurements)
        {
            return [.. _measurements];
        }
    }
}
