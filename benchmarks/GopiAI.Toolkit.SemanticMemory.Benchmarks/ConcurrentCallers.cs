namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// N dedicated threads that each make one call per round, all released at once: N concurrent request handlers, without
/// depending on how fast the thread pool injects threads (it starts with one per core).
/// </summary>
public sealed class ConcurrentCallers : IDisposable
{
    private readonly Barrier _start;
    private readonly Barrier _done;
    private readonly Thread[] _threads;
    private Action<int> _work = static _ => { };
    private volatile bool _stopping;

    public ConcurrentCallers(int count)
    {
        _start = new Barrier(count + 1);
        _done = new Barrier(count + 1);
        _threads = Enumerable.Range(0, count).Select(i => new Thread(() => Loop(i)) { IsBackground = true, Name = $"caller {i}" }).ToArray();
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Runs <paramref name="work"/>(caller index) on every caller at once and waits for all of them.</summary>
    public void Round(Action<int> work)
    {
        _work = work;
        _start.SignalAndWait();
        _done.SignalAndWait();
    }

    public void Dispose()
    {
        _stopping = true;
        _start.SignalAndWait();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _start.Dispose();
        _done.Dispose();
    }

    private void Loop(int index)
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            _work(index);
            _done.SignalAndWait();
        }
    }
}
