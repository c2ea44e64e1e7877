using System.Globalization;

namespace GopiAI.Toolkit.Monitoring;

/// <summary>What happened during one evaluation interval of an <see cref="ApiPerformanceMonitor"/>.</summary>
/// <param name="At">The end of the interval.</param>
/// <param name="Length">How long it was.</param>
/// <param name="Requests">Requests recorded in it (exact).</param>
/// <param name="AllocatedBytes">Bytes the process allocated in it.</param>
/// <param name="Endpoints">Calls and failures per endpoint in it (from the sliding window, so at most its size in all).</param>
internal sealed record UsageInterval(DateTimeOffset At, TimeSpan Length, long Requests, long AllocatedBytes, IReadOnlyDictionary<string, EndpointCounts> Endpoints);

/// <summary>Calls and failures of one endpoint in an interval.</summary>
/// <param name="Requests">The calls.</param>
/// <param name="Errors">The failed calls.</param>
internal readonly record struct EndpointCounts(int Requests, int Errors);

/// <summary>
/// Compares each interval with its baselines (the median of the previous intervals) and reports the conditions that start:
/// a request-rate spike, an error-rate spike per endpoint, an allocation-per-request spike. A condition that stays on is
/// reported once; it is reported again after it has cleared. Pure logic: the monitor feeds it, so tests can too.
/// </summary>
internal sealed class UnusualUsageDetector
{
    // Endpoint names are a small fixed set by contract (they are metric tags); this bound only stops a misuse from growing without end.
    private const int MaxTrackedEndpoints = 1024;

    private readonly UnusualUsageOptions _options;
    private readonly RollingMedian _rates;
    private readonly RollingMedian _allocations;
    private readonly Dictionary<string, RollingMedian> _errorRates = new(StringComparer.Ordinal);
    private readonly HashSet<(ResourceAlertKind, string)> _active = [];
    private int _intervals;

    public UnusualUsageDetector(UnusualUsageOptions options)
    {
        _options = options;
        _rates = new RollingMedian(options.BaselineIntervals);
        _allocations = new RollingMedian(options.BaselineIntervals);
    }

    public IReadOnlyList<ResourceAlert> Evaluate(UsageInterval interval)
    {
        var alerts = new List<ResourceAlert>();
        var seconds = Math.Max(interval.Length.TotalSeconds, 1e-3);
        var rate = interval.Requests / seconds;
        var warmedUp = _intervals >= _options.WarmupIntervals;

        var rateBaseline = _rates.Median();
        var rateThreshold = rateBaseline * _options.RequestRateSpikeFactor;
        Judge(alerts, ResourceAlertKind.RequestRateSpike, "*", warmedUp && interval.Requests >= _options.MinimumRequests && rate > rateThreshold, () => new ResourceAlert(
            ResourceAlertKind.RequestRateSpike, "*", rate, rateBaseline, rateThreshold, "{request}/s", interval.At, Invariant(
                $"Request rate spike: {rate:0.#}/s over the last {seconds:0.#} s is {Ratio(rate, rateBaseline)} the baseline of {rateBaseline:0.#}/s (median of the last {_rates.Count} intervals); busiest endpoints: {Busiest(interval)}.")));

        if (interval.Requests > 0)
        {
            var perRequest = interval.AllocatedBytes / (double)interval.Requests;
            var allocationBaseline = _allocations.Median();
            var allocationThreshold = Math.Max(allocationBaseline * _options.AllocationSpikeFactor, _options.MinimumAllocationPerRequest);
            Judge(alerts, ResourceAlertKind.AllocationRateSpike, "*", warmedUp && interval.Requests >= _options.MinimumRequests && perRequest > allocationThreshold, () => new ResourceAlert(
                ResourceAlertKind.AllocationRateSpike, "*", perRequest, allocationBaseline, allocationThreshold, "By/{request}", interval.At, Invariant(
                    $"Allocation spike: {perRequest / 1024:0.#} KiB allocated per request over the last {seconds:0.#} s ({interval.Requests} requests) is {Ratio(perRequest, allocationBaseline)} the baseline of {allocationBaseline / 1024:0.#} KiB per request; look for oversized inputs or a regression in the busiest endpoints: {Busiest(interval)}.")));
            _allocations.Add(perRequest);
        }

        foreach (var (endpoint, counts) in interval.Endpoints)
        {
            var history = ErrorHistory(endpoint);
            if (history is null || counts.Requests == 0)
            {
                continue;
            }

            var errorRate = counts.Errors / (double)counts.Requests;
            var errorBaseline = history.Median();
            var errorThreshold = Math.Max(_options.MinimumErrorRate, errorBaseline * _options.ErrorRateSpikeFactor);
            Judge(alerts, ResourceAlertKind.ErrorRateSpike, endpoint, counts.Requests >= _options.MinimumEndpointRequests && errorRate >= errorThreshold, () => new ResourceAlert(
                ResourceAlertKind.ErrorRateSpike, endpoint, errorRate, errorBaseline, errorThreshold, "1", interval.At, Invariant(
                    $"Error rate spike on {endpoint}: {counts.Errors} of {counts.Requests} calls failed over the last {seconds:0.#} s ({errorRate:P1}), above the {errorThreshold:P1} threshold (baseline {errorBaseline:P1}).")));
            if (counts.Requests >= _options.MinimumEndpointRequests)
            {
                history.Add(errorRate);
            }
        }

        _rates.Add(rate);
        _intervals++;
        return alerts;
    }

    public void Reset()
    {
        _rates.Clear();
        _allocations.Clear();
        _errorRates.Clear();
        _active.Clear();
        _intervals = 0;
    }

    private static string Ratio(double observed, double baseline) =>
        baseline <= 0 ? "far above" : Invariant($"{observed / baseline:0.#}x");

    private static string Busiest(UsageInterval interval)
    {
        var top = interval.Endpoints.OrderByDescending(e => e.Value.Requests).ThenBy(e => e.Key, StringComparer.Ordinal).Take(3)
            .Select(e => Invariant($"{e.Key} ({e.Value.Requests})")).ToArray();
        return top.Length == 0 ? "none recorded" : string.Join(", ", top);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private void Judge(List<ResourceAlert> alerts, ResourceAlertKind kind, string source, bool unusual, Func<ResourceAlert> create)
    {
        if (!unusual)
        {
            _active.Remove((kind, source));
        }
        else if (_active.Add((kind, source)))
        {
            alerts.Add(create());
        }
    }

    private RollingMedian? ErrorHistory(string endpoint)
    {
        if (!_errorRates.TryGetValue(endpoint, out var history) && _errorRates.Count < MaxTrackedEndpoints)
        {
            history = new RollingMedian(_options.BaselineIntervals);
            _errorRates[endpoint] = history;
        }

        return history;
    }

    /// <summary>The last N values and their median (0 when empty). N is small (tens), so sorting a copy is cheap.</summary>
    private sealed class RollingMedian(int capacity)
    {
        private readonly double[] _values = new double[capacity];
        private int _next;

        public int Count { get; private set; }

        public void Add(double value)
        {
            _values[_next] = value;
            _next = (_next + 1) % _values.Length;
            Count = Math.Min(Count + 1, _values.Length);
        }

        public double Median()
        {
            if (Count == 0)
            {
                return 0;
            }

            var sorted = _values.AsSpan(0, Count).ToArray();
            Array.Sort(sorted);
            return Count % 2 == 1 ? sorted[Count / 2] : (sorted[(Count / 2) - 1] + sorted[Count / 2]) / 2;
        }

        public void Clear()
        {
            _next = 0;
            Count = 0;
        }
    }
}
