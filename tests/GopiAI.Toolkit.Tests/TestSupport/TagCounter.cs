using System.Diagnostics.Metrics;

namespace GopiAI.Toolkit.Tests.TestSupport;

/// <summary>
/// Sums the measurements of the chosen <see cref="long"/> instruments per value of one tag, keeping only measurements whose
/// other tags match. Tests run in parallel and share process-wide meters, so they select their own measurements this way.
/// </summary>
internal sealed class TagCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _byValue = new(StringComparer.Ordinal);

    /// <param name="include">Which instruments to listen to.</param>
    /// <param name="groupBy">The tag whose values the sums are kept by.</param>
    /// <param name="where">Another tag that must have this value, if any.</param>
    public TagCounter(Func<Instrument, bool> include, string groupBy, (string Key, string Value)? where = null)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (include(instrument))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? group = null;
            var matches = where is null;
            foreach (var tag in tags)
            {
                if (tag.Key == groupBy)
                {
                    group = tag.Value as string;
                }
                else if (where is { } filter && tag.Key == filter.Key)
                {
                    matches = Equals(tag.Value, filter.Value);
                }
            }

            if (matches && group is not null)
            {
                lock (_gate)
                {
                    _byValue[group] = _byValue.GetValueOrDefault(group) + value;
                }
            }
        });
        _listener.Start();
    }

    public long this[string value]
    {
        get
        {
            lock (_gate)
            {
                return _byValue.GetValueOrDefault(value);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
