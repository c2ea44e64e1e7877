using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// Publishes cache counters as observable instruments on the <c>GopiAI.Toolkit.Caching</c> meter. Instruments read the
/// caches' own counters when a listener collects, so the hit path pays nothing for metrics. Caches are held weakly:
/// a cache that is dropped without being disposed stops being reported once it is collected.
/// </summary>
internal sealed class CacheMetrics : IDisposable
{
    public const string MeterName = "GopiAI.Toolkit.Caching";
    public const string NameTag = "cache.name";

    private static readonly Lazy<CacheMetrics> s_default = new(() => new CacheMetrics(new Meter(MeterName, ToolkitInfo.Version), ownsMeter: true));
    private readonly ConditionalWeakTable<ICacheStatistics, object?> _sources = [];
    private readonly bool _ownsMeter;

    public CacheMetrics(Meter meter, bool ownsMeter)
    {
        Meter = meter;
        _ownsMeter = ownsMeter;
        meter.CreateObservableCounter("gopi.cache.hits", () => Observe(static s => s.Hits), "{hit}", "Cache lookups that found a live entry.");
        meter.CreateObservableCounter("gopi.cache.misses", () => Observe(static s => s.Misses), "{miss}", "Cache lookups that found nothing.");
        meter.CreateObservableCounter("gopi.cache.evictions", () => Observe(static s => s.Evictions), "{entry}", "Entries removed by capacity, expiry or memory pressure.");
        meter.CreateObservableUpDownCounter("gopi.cache.size", () => Observe(static s => s.Size), "{entry}", "Entries currently held.");
        meter.CreateObservableUpDownCounter("gopi.cache.memory_usage", () => Observe(static s => s.MemoryUsage), "By", "Bytes held (size function) or estimated bookkeeping.");
    }

    public static CacheMetrics Default => s_default.Value;

    public Meter Meter { get; }

    public void Register(ICacheStatistics source) => _sources.AddOrUpdate(source, null);

    public void Unregister(ICacheStatistics source) => _sources.Remove(source);

    public void Dispose()
    {
        _sources.Clear();
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private IEnumerable<Measurement<long>> Observe(Func<CacheStats, long> select)
    {
        foreach (var pair in _sources)
        {
            var stats = pair.Key.GetStats();
            yield return new Measurement<long>(select(stats), new KeyValuePair<string, object?>(NameTag, stats.Name));
        }
    }
}
