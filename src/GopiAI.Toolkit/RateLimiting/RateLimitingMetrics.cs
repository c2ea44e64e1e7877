using System.Diagnostics.Metrics;

namespace GopiAI.Toolkit.RateLimiting;

/// <summary>The <c>gopi.rate_limit.requests</c> counter on the <c>GopiAI.Toolkit.RateLimiting</c> meter.</summary>
internal sealed class RateLimitingMetrics : IDisposable
{
    internal const string Acquired = "acquired";
    internal const string Rejected = "rejected";
    internal const string Canceled = "canceled";

    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _requests;

    public RateLimitingMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(ToolkitInfo.RateLimitingMeterName, ToolkitInfo.Version)
            ?? (_ownedMeter = new Meter(ToolkitInfo.RateLimitingMeterName, ToolkitInfo.Version));
        _requests = meter.CreateCounter<long>(
            "gopi.rate_limit.requests",
            "{call}",
            "Calls that asked a rate limiter for a permit, tagged limiter and result (acquired, rejected, canceled).");
    }

    /// <summary>Gets the metrics of operations created without a registry (a process-wide meter).</summary>
    public static RateLimitingMetrics Default { get; } = new(meterFactory: null);

    public void Record(string limiter, string result)
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, new KeyValuePair<string, object?>("limiter", limiter), new KeyValuePair<string, object?>("result", result));
        }
    }

    public void Dispose() => _ownedMeter?.Dispose();
}
