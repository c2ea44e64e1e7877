namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>
/// When documents were last retrieved (returned by a search or picked as context candidates), noted on the read path
/// in memory and written to the store in bulk, off the hot path: with the next batch (in its transaction, so that
/// eviction sees every retrieval this process noted), when <see cref="MaxPending"/> documents or
/// <see cref="FlushInterval"/> have piled up, and when the memory is closed. Only kept for
/// <see cref="MemoryRetention.EvictLeastRecentlyRetrieved"/>: no other policy writes on the read path.
/// </summary>
internal sealed class RetrievalLog
{
    /// <summary>Documents noted before a write of their retrieval times is due.</summary>
    public const int MaxPending = 16_384;

    /// <summary>Longest a noted retrieval waits in memory before a write of it is due.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMinutes(1);

    /// <summary>Notes beyond this many pending documents are dropped (a store that cannot be written keeps memory bounded).</summary>
    private const int Cap = 4 * MaxPending;

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private Dictionary<string, long> _pending = new(StringComparer.Ordinal);
    private long _firstNotedMs;
    private int _flushing;

    public RetrievalLog(TimeProvider time) => _time = time;

    /// <summary>Notes that the documents <paramref name="documentIds"/> were retrieved now; true when a write of the pending retrievals is due.</summary>
    public bool Note(IEnumerable<string> documentIds)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_lock)
        {
            foreach (var id in documentIds)
            {
                if (_pending.Count == 0)
                {
                    _firstNotedMs = now;
                }

                if (_pending.Count < Cap || _pending.ContainsKey(id))
                {
                    _pending[id] = now;
                }
            }

            return _pending.Count >= MaxPending || (_pending.Count > 0 && now - _firstNotedMs >= (long)FlushInterval.TotalMilliseconds);
        }
    }

    /// <summary>Takes the pending retrievals (document id → Unix milliseconds) to write them; <see cref="Requeue"/> them if the write fails.</summary>
    public IReadOnlyDictionary<string, long> Drain()
    {
        lock (_lock)
        {
            if (_pending.Count == 0)
            {
                return _pending;
            }

            var drained = _pending;
            _pending = new Dictionary<string, long>(StringComparer.Ordinal);
            return drained;
        }
    }

    /// <summary>Puts back retrievals whose write was rolled back (a later note of the same document wins).</summary>
    public void Requeue(IReadOnlyDictionary<string, long> retrievals)
    {
        lock (_lock)
        {
            foreach (var (id, ms) in retrievals)
            {
                if (_pending.Count == 0)
                {
                    _firstNotedMs = ms;
                }

                if (!_pending.TryGetValue(id, out var noted) || noted < ms)
                {
                    _pending[id] = ms;
                }
            }
        }
    }

    /// <summary>Claims the one background write of the pending retrievals; false when one is already running.</summary>
    public bool TryBeginFlush() => Interlocked.Exchange(ref _flushing, 1) == 0;

    /// <summary>Releases the claim taken by <see cref="TryBeginFlush"/>.</summary>
    public void EndFlush() => Volatile.Write(ref _flushing, 0);
}
