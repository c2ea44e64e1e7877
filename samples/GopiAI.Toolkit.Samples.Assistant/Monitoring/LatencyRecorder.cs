using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace GopiAI.Toolkit.Samples.Assistant.Monitoring;

/// <summary>
/// Listens to the call-duration histogram that <c>[Monitored]</c> methods record on the <c>GopiAI.Toolkit.Monitoring</c> meter
/// — the same data <c>dotnet-counters</c> or OpenTelemetry would see — and keeps the most recent durations per endpoint
/// for the report's latency histograms.
/// </summary>
public sealed class LatencyRecorder : IDisposable
{
    /// <summary>The meter the toolkit's monitored calls are recorded on.</summary>
    public const string MeterName = "GopiAI.Toolkit.Monitoring";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, EndpointSamples> _samples = new(StringComparer.Ordinal);
    private readonly int _maxSamplesPerEndpoint;

    /// <summary>Initializes a new instance of the <see cref="LatencyRecorder"/> class and starts listening.</summary>
    /// <param name="maxSamplesPerEndpoint">How many recent durations to keep per endpoint.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSamplesPerEndpoint"/> is less than 1.</exception>
    public LatencyRecorder(int maxSamplesPerEndpoint = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSamplesPerEndpoint, 1);
        _maxSamplesPerEndpoint = maxSamplesPerEndpoint;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument is Histogram<double>)
            {
                listener.EnableMeasurementEvents(instrument, state: instrument.Unit == "s" ? 1000.0 : 1.0);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Gets the recorded durations in milliseconds per endpoint (oldest first, bounded).</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> GetSamples() =>
        _samples.ToDictionary(p => p.Key, p => p.Value.Snapshot(), StringComparer.Ordinal);

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? endpoint = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "endpoint")
            {
                endpoint = tag.Value as string;
                break;
            }
        }

        if (endpoint is not null)
        {
            _samples.GetOrAdd(endpoint, static (_, max) => new EndpointSamples(max), _maxSamplesPerEndpoint).Add(value * (double)(state ?? 1.0));
        }
    }

    private sealed class EndpointSamples(int capacity)
    {
        private readonly Queue<double> _values = new(capacity);
        private readonly Lock _gate = new();

        public void Add(double ms)
        {
            lock (_gate)
            {
                if (_values.Count == capacity)
                {
                    _values.Dequeue();
                }

                _values.Enqueue(ms);
            }
        }

        public IReadOnlyList<double> Snapshot()
        {
            lock (_gate)
            {
                return [.. _values];
            }
        }
    }
}
