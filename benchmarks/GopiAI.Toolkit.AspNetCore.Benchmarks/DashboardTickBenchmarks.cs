using System.Diagnostics.Metrics;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using GopiAI.Toolkit.AspNetCore.Dashboard;
using Microsoft.Extensions.Logging.Abstractions;

namespace GopiAI.Toolkit.AspNetCore.Benchmarks;

/// <summary>
/// What one dashboard tick costs on a busy runtime (<see cref="DashboardRuntimeState"/>), next to the peer: one collection
/// of the same figures by a metrics exporter (<c>MeterListener.RecordObservableInstruments</c> over the toolkit's meters,
/// what OpenTelemetry or dotnet-counters do every interval). At one tick per second the dashboard's CPU share is the tick
/// plus one update per connected page, per second.
/// </summary>
[MemoryDiagnoser]
public class DashboardTickBenchmarks
{
    private DashboardRuntimeState _state = null!;
    private DashboardSampler _sampler = null!;
    private DashboardSampler _analysingSampler = null!;
    private MeterListener _listener = null!;
    private DashboardSnapshot _update = null!;
    private DashboardSnapshot _snapshot = null!;
    private long _measurements;

    [GlobalSetup]
    public void Setup()
    {
        _state = new DashboardRuntimeState();
        _sampler = new DashboardSampler(new GopiDashboardOptions(), _state.Runtime, _state.Alerts, [], NullLogger.Instance);

        // Bottlenecks, suggestions and leaks are recomputed every AnalysisInterval (5 s): this one does it at every tick.
        _analysingSampler = new DashboardSampler(new GopiDashboardOptions { AnalysisInterval = TimeSpan.FromTicks(1) }, _state.Runtime, _state.Alerts, [], NullLogger.Instance);
        for (var i = 0; i < 300; i++)
        {
            _sampler.Tick();
        }

        _snapshot = _sampler.GetSnapshot();
        _update = _sampler.Current with { Series = [_snapshot.Series[^1]] };
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name.StartsWith("GopiAI.Toolkit.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => _measurements += value);
        _listener.SetMeasurementEventCallback<int>((_, value, _, _) => _measurements += value);
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _measurements += (long)value);
        _listener.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener.Dispose();
        _sampler.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _analysingSampler.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _state.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "peer: metrics collection of the toolkit's instruments")]
    public long MetricsCollection()
    {
        _listener.RecordObservableInstruments();
        return _measurements;
    }

    [Benchmark(Description = "dashboard tick (sample + build snapshot)")]
    public long Tick() => _sampler.Tick().Sequence;

    [Benchmark(Description = "dashboard tick with analysis (every 5th tick)")]
    public long TickWithAnalysis() => _analysingSampler.Tick().Sequence;

    [Benchmark(Description = "update event JSON (per connected page per tick)")]
    public int UpdateJson() => JsonSerializer.SerializeToUtf8Bytes(_update, DashboardJsonContext.Default.DashboardSnapshot).Length;

    [Benchmark(Description = "snapshot JSON, 300 points (per page load)")]
    public int SnapshotJson() => JsonSerializer.SerializeToUtf8Bytes(_snapshot, DashboardJsonContext.Default.DashboardSnapshot).Length;
}
