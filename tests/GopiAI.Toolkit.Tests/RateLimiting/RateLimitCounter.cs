using System.Diagnostics.Metrics;

namespace GopiAI.Toolkit.Tests.RateLimiting;

/// <summary>Counts <c>gopi.rate_limit.requests</c> measurements of one limiter name, per <c>result</c> tag.</summary>
internal sealed class RateLimitCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _byResult = new(StringComparer.Ordinal);

    public RateLimitCounter(string limiter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ToolkitInfo.RateLimitingMeterName && instrument.Name == "gopi.rate_limit.requests")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? name = null, result = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "limiter")
                {
                    name = tag.Value as string;
                }
                else if (tag.Key == "result")
                {
                    result = tag.Value as string;
                }
            }

            if (name == limiter && result is not null)
            {
                lock (_gate)
                {
                    _byResult[result] = _byResult.GetValueOrDefault(result) + value;
                }
            }
        });
        _listener.Start();
    }

    public long this[string result]
    {
        get
        {
            lock (_gate)
            {
                return _byResult.GetValueOrDefault(result);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
