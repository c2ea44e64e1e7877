using System.Runtime.InteropServices;

namespace GopiAI.Toolkit.SemanticMemory.Embeddings;

/// <summary>
/// Runs every model call of one generator, one at a time, and coalesces concurrent requests into shared batches
/// (group commit): a request that finds the session idle runs at once on its own thread, so a lone query pays
/// nothing extra; requests that arrive while a run is in progress queue up and go together into the next run, up to
/// <c>maxRows</c> sequences, bucketed by length with <see cref="BatchPlanner"/>. The wait is bounded by the run in
/// progress, never by a timer. When the thread that runs the queue has its own result, it hands the rest to the
/// thread pool and returns.
/// </summary>
/// <remarks>
/// Disposal (<see cref="Dispose"/>) fails the queued requests with <see cref="ObjectDisposedException"/>, lets the
/// run in progress finish (freeing a native session under a running inference crashes the process), fails what that
/// run's requests still miss, and only then disposes the session.
/// </remarks>
internal sealed class EmbeddingBatcher : IDisposable
{
    private readonly EmbeddingSession _session;
    private readonly int _maxRows;
    private readonly Queue<Request> _queue = new();
    private readonly object _lock = new();
    private bool _running;
    private bool _closed;
    private long _runs;

    public EmbeddingBatcher(EmbeddingSession session, int maxRows)
    {
        _session = session;
        _maxRows = maxRows;
    }

    /// <summary>Model runs so far (each a padded batch of one or more sequences).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Requests waiting in the queue (the one being run stays there until all its sequences were taken).</summary>
    internal int Queued
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>For tests: called on the running thread just before each model run, e.g. to hold the session busy.</summary>
    internal Action? BeforeRun { get; set; }

    /// <summary>Queues sequences (ids with [CLS]/[SEP], sorted by length) and runs the queue if no one does.</summary>
    /// <returns>The request; its <see cref="Request.Completion"/> ends when every vector is in <see cref="Request.Results"/>.</returns>
    /// <exception cref="ObjectDisposedException">The batcher was disposed.</exception>
    public Request Submit(int[][] sequences, CancellationToken cancellationToken)
    {
        var request = new Request(sequences, cancellationToken);
        bool runHere;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, typeof(OnnxEmbeddingGenerator));
            _queue.Enqueue(request);
            runHere = !_running;
            _running = true;
        }

        if (runHere)
        {
            Drain(request);
        }

        return request;
    }

    /// <summary>Fails queued work, waits for the run in progress, then releases the session. Idempotent.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            FailQueued();
            while (_running)
            {
                Monitor.Wait(_lock);
            }
        }

        _session.Dispose();
    }

    private void Drain(Request? owner)
    {
        try
        {
            while (TakeWork(owner) is { } work)
            {
                Execute(work);
            }
        }
        catch (Exception ex)
        {
            // Not expected (Execute contains model errors); never leave callers waiting or the queue without a runner.
            lock (_lock)
            {
                while (_queue.TryDequeue(out var request))
                {
                    request.Fail(ex);
                }

                _running = false;
                Monitor.PulseAll(_lock);
            }

            throw;
        }
    }

    /// <summary>Takes up to maxRows sequences from the head of the queue, or gives up the runner role.</summary>
    private List<Item>? TakeWork(Request? owner)
    {
        lock (_lock)
        {
            if (_closed)
            {
                FailQueued();
                return Stop();
            }

            while (_queue.TryPeek(out var head) && head.Cancelled)
            {
                _queue.Dequeue().Cancel();
            }

            if (_queue.Count == 0)
            {
                return Stop();
            }

            if (owner is not null && (owner.Completion.IsCompleted || owner.Cancelled))
            {
                // The caller has its vectors (or stopped waiting): let it return, and keep running the queue on the pool (still _running).
                ThreadPool.UnsafeQueueUserWorkItem(static self => self.Drain(null), this, preferLocal: false);
                return null;
            }

            var work = new List<Item>(_maxRows);
            while (work.Count < _maxRows && _queue.TryPeek(out var request))
            {
                if (request.Cancelled)
                {
                    _queue.Dequeue().Cancel();
                    continue;
                }

                var take = Math.Min(_maxRows - work.Count, request.Sequences.Length - request.Sent);
                for (var i = 0; i < take; i++)
                {
                    work.Add(new Item(request, request.Sent + i));
                }

                request.Sent += take;
                if (request.Sent == request.Sequences.Length)
                {
                    _queue.Dequeue();
                }
            }

            return work;
        }

        List<Item>? Stop()
        {
            _running = false;
            Monitor.PulseAll(_lock);
            return null;
        }
    }

    private void Execute(List<Item> work)
    {
        // Requests are sorted by length already; merging several needs one more (stable) sort.
        work.Sort(static (a, b) => a.Length.CompareTo(b.Length));
        var items = CollectionsMarshal.AsSpan(work);
        var lengths = new int[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            lengths[i] = items[i].Length;
        }

        var sequences = new int[items.Length][];
        var vectors = new float[items.Length][];
        var start = 0;
        foreach (var rows in BatchPlanner.Plan(lengths, _maxRows))
        {
            var batch = items.Slice(start, rows);
            start += rows;
            if (Volatile.Read(ref _closed))
            {
                FailAll(batch, new ObjectDisposedException(nameof(OnnxEmbeddingGenerator)));
                continue;
            }

            for (var i = 0; i < rows; i++)
            {
                sequences[i] = batch[i].Request.Sequences[batch[i].Index];
            }

            try
            {
                Interlocked.Increment(ref _runs);
                BeforeRun?.Invoke();
                _session.Run(sequences.AsSpan(0, rows), vectors.AsSpan(0, rows));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                FailAll(batch, ex);
                continue;
            }

            for (var i = 0; i < rows; i++)
            {
                batch[i].Request.Deliver(batch[i].Index, vectors[i]);
            }
        }

        if (Volatile.Read(ref _closed))
        {
            // Requests that still miss vectors after the last run will never get them.
            FailAll(items, new ObjectDisposedException(nameof(OnnxEmbeddingGenerator)));
        }
    }

    private static void FailAll(ReadOnlySpan<Item> items, Exception error)
    {
        foreach (var item in items)
        {
            item.Request.Fail(error);
        }
    }

    private void FailQueued()
    {
        while (_queue.TryDequeue(out var request))
        {
            request.Fail(new ObjectDisposedException(nameof(OnnxEmbeddingGenerator)));
        }
    }

    /// <summary>One sequence of one request.</summary>
    private readonly record struct Item(Request Request, int Index)
    {
        public int Length => Request.Sequences[Index].Length;
    }

    /// <summary>Sequences of one caller and the vectors computed for them so far.</summary>
    internal sealed class Request
    {
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationToken _cancellationToken;
        private int _remaining;

        public Request(int[][] sequences, CancellationToken cancellationToken)
        {
            Sequences = sequences;
            Results = new float[sequences.Length][];
            _remaining = sequences.Length;
            _cancellationToken = cancellationToken;
            if (sequences.Length == 0)
            {
                _completion.SetResult();
            }
        }

        /// <summary>The caller's sequences.</summary>
        public int[][] Sequences { get; }

        /// <summary>One vector per sequence, filled as runs complete.</summary>
        public float[][] Results { get; }

        /// <summary>How many sequences were handed to a run (guarded by the batcher's lock).</summary>
        public int Sent { get; set; }

        /// <summary>Completes when every vector is there; faults or is cancelled otherwise.</summary>
        public Task Completion => _completion.Task;

        /// <summary>Whether the caller stopped waiting: its sequences that have not run yet are skipped.</summary>
        public bool Cancelled => _cancellationToken.IsCancellationRequested;

        /// <summary>Waits synchronously and rethrows the failure unwrapped.</summary>
        public void Wait()
        {
            try
            {
                Completion.Wait(_cancellationToken);
            }
            catch (AggregateException)
            {
                // Rethrown without the wrapper below.
            }

            Completion.GetAwaiter().GetResult();
        }

        public void Deliver(int index, float[] vector)
        {
            Results[index] = vector;
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _completion.TrySetResult();
            }
        }

        public void Fail(Exception error) => _completion.TrySetException(error);

        public void Cancel() => _completion.TrySetCanceled(_cancellationToken);
    }
}
