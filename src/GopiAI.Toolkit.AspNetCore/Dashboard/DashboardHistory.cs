namespace GopiAI.Toolkit.AspNetCore.Dashboard;

/// <summary>
/// The bounded time series behind the charts: the last N points, by tick number. A reconnecting client asks for the points
/// after the last one it saw; when those have already been dropped it gets <see langword="null"/> and starts over.
/// </summary>
internal sealed class DashboardHistory(int capacity)
{
    private readonly DashboardPoint[] _ring = new DashboardPoint[capacity];
    private readonly Lock _gate = new();
    private int _count;
    private int _next;

    public void Add(DashboardPoint point)
    {
        lock (_gate)
        {
            _ring[_next] = point;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>Returns every kept point, oldest first.</summary>
    public IReadOnlyList<DashboardPoint> All()
    {
        lock (_gate)
        {
            return Copy(_count);
        }
    }

    /// <summary>
    /// Returns the points taken after tick <paramref name="sequence"/>, oldest first; empty when there are none yet, and
    /// <see langword="null"/> when some of them were already dropped (or <paramref name="sequence"/> is from the future).
    /// </summary>
    public IReadOnlyList<DashboardPoint>? After(long sequence)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return sequence == 0 ? [] : null;
            }

            var newest = _ring[(_next - 1 + _ring.Length) % _ring.Length].Sequence;
            var oldest = newest - _count + 1;
            if (sequence > newest || sequence < oldest - 1)
            {
                return null;
            }

            return Copy((int)(newest - sequence));
        }
    }

    private DashboardPoint[] Copy(int newestCount)
    {
        var result = new DashboardPoint[newestCount];
        for (var i = 0; i < newestCount; i++)
        {
            result[i] = _ring[(_next - newestCount + i + _ring.Length) % _ring.Length];
        }

        return result;
    }
}
