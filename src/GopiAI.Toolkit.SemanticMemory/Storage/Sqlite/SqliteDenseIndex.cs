using GopiAI.Toolkit.SemanticMemory.Search;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// The SQLite provider's dense leg: every vector of the file in an in-process <see cref="VectorIndex"/> (exact SIMD
/// scan), plus an <see cref="HnswIndex"/> graph above <see cref="MemoryConfig.HnswThreshold"/>. SQLite has no vector
/// index of its own, so this is where a server provider would use its SQL (pgvector's HNSW) instead.
/// </summary>
/// <remarks>
/// Three pieces of state, each with one job:
/// <list type="bullet">
/// <item><b>The matrix</b> (<see cref="VectorIndex"/>): loaded once, lazily, on the writer thread, so it holds exactly
/// the committed state; every later commit is applied to it there (<see cref="Apply"/>).</item>
/// <item><b>The graph</b> (<see cref="HnswSlot"/>): the current HNSW index behind its own exclusive lock, or none.</item>
/// <item><b>The build</b> (<see cref="_build"/>, <see cref="_buildLog"/>): at most one graph build at a time, from a
/// snapshot taken on the writer thread, with the commits made meanwhile logged and replayed before it is installed.
/// It starts by itself when the matrix reaches <see cref="MemoryConfig.HnswThreshold"/> rows, whether by loading a
/// large file or by writes crossing the threshold (<see cref="_autoBuild"/> keeps that to one request at a time), runs
/// on one lowered-priority thread per processor, and is cancelled by <see cref="Dispose"/>.</item>
/// </list>
/// A reset (restore, outside rewrite) drops the matrix and the graph; <see cref="_resets"/> lets a build that started
/// before it know that its graph describes old data.
/// </remarks>
internal sealed class SqliteDenseIndex : IDisposable
{
    private readonly SqliteWriter _writer;
    private readonly MemoryConfig _config;
    private readonly int _dimensions;
    private readonly object _matrixGate = new();
    private readonly HnswSlot _graph = new();
    private readonly SemaphoreSlim _build = new(1, 1);
    private VectorIndex? _matrix;
    private Task<VectorIndex>? _loading;
    private List<VectorChange>? _buildLog; // commits made while a graph build runs (touched on the writer thread only)
    private int _resets; // resets so far (written on the writer thread only)
    private int _autoBuild; // 1 while an automatic build is requested or running (debounces the threshold trigger)
    private readonly CancellationTokenSource _disposing = new();
    private readonly CancellationToken _closed; // _disposing's token, read once: a disposed source no longer hands it out

    private readonly SqliteEncryption _encryption;

    public SqliteDenseIndex(SqliteWriter writer, MemoryConfig config, int dimensions, SqliteEncryption encryption)
    {
        _encryption = encryption;
        _closed = _disposing.Token;
        _writer = writer;
        _config = config;
        _dimensions = dimensions;
    }

    public bool HnswActive => _graph.IsActive;

    /// <summary>Why the HNSW index could not be built here (native library missing), if it could not.</summary>
    public string? HnswFailure { get; private set; }

    /// <summary>Top-k by cosine, best first: the graph when one is installed and nothing filters, else an exact scan of the allowed rows.</summary>
    public async Task<IReadOnlyList<ScoredRow>> SearchAsync(float[] query, int k, float threshold, HashSet<long>? allowed, CancellationToken cancellationToken)
    {
        var matrix = await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        var hits = (allowed is null ? _graph.TrySearch(query, k, threshold, matrix) : null) ?? matrix.Search(query, k, threshold, allowed);
        return hits.ConvertAll(hit => new ScoredRow(hit.RowId, hit.Score));
    }

    /// <summary>Cosine similarity of a unit query with one row of the loaded matrix; null when not loaded or unknown.</summary>
    public float? Similarity(float[] query, long rowId)
    {
        VectorIndex? matrix;
        lock (_matrixGate)
        {
            matrix = _matrix;
        }

        return matrix?.Similarity(query, rowId);
    }

    /// <summary>Applies committed vector changes; called on the writer thread right after the commit.</summary>
    public void Apply(IReadOnlyList<VectorChange> changes)
    {
        VectorIndex? matrix;
        lock (_matrixGate)
        {
            matrix = _matrix;
        }

        matrix?.Apply(changes);
        _buildLog?.AddRange(changes);
        _graph.Apply(changes);
        if (matrix is not null)
        {
            // Writes crossing the threshold start the build a reopened file would start (once; see _autoBuild).
            StartBuildIfLarge(matrix.Count);
        }
    }

    /// <summary>Forgets everything after the whole content was replaced; called on the writer thread. The next search reloads.</summary>
    public void Reset()
    {
        Interlocked.Increment(ref _resets);
        _buildLog = null;
        lock (_matrixGate)
        {
            _loading = null;
        }

        _graph.Replace(null);
    }

    /// <summary>Reloads the matrix from the file and rebuilds (or drops) the graph; writes go on meanwhile.</summary>
    public async Task RebuildAsync(CancellationToken cancellationToken)
    {
        lock (_matrixGate)
        {
            _loading = null;
        }

        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        if (!_build.Wait(0))
        {
            // A background build is running; with the commits made meanwhile replayed, its result is as fresh as a
            // rebuild would be, so wait for it instead of building twice.
            await _build.WaitAsync(cancellationToken).ConfigureAwait(false);
            _build.Release();
            return;
        }

        try
        {
            await BuildGraphAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _build.Release();
        }
    }

    public void Dispose()
    {
        // Stops a running build at its next add; the build frees its partial graph itself.
        _disposing.Cancel();
        _graph.Dispose();

        // A background build that is still running releases this lock when it ends, so dispose it only when no build
        // holds it; a SemaphoreSlim owns no OS handle unless AvailableWaitHandle was read, so the GC covers the rest.
        if (_build.Wait(0))
        {
            _build.Dispose();
        }

        lock (_matrixGate)
        {
            _matrix?.Dispose();
            _matrix = null;
        }

        // A build still winding down only reads _closed, which stays cancelled after the source is disposed.
        _disposing.Dispose();
    }

    private Task<VectorIndex> EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        lock (_matrixGate)
        {
            if (_loading is { IsFaulted: false, IsCanceled: false } loading)
            {
                return loading;
            }

            // Loading runs on the writer thread: it sees exactly the committed state, and every later commit is applied after it.
            _loading = _writer.RunAsync("load vectors", connection =>
            {
                var matrix = new VectorIndex(_dimensions, _config.EnableCompression);
                matrix.Load(SqliteRowMapper.ReadVectors(connection, _dimensions, _encryption.Codec));
                lock (_matrixGate)
                {
                    // The replaced matrix is not disposed: a search that took it before a restore may still be scanning
                    // it (its lock owns no OS handle until contended, and the GC reclaims it once that search ends).
                    _matrix = matrix;
                }

                StartBuildIfLarge(matrix.Count);
                return matrix;
            }, CancellationToken.None);
            return _loading.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Large store without a graph: exact search answers until the graph is ready in the background. Also a store that
    /// outgrew its graph's shape (<see cref="HnswParameters.Outgrown"/>): the old graph answers until the denser one
    /// replaces it. Called on the writer thread after a load or a commit; costs a few compares once a fitting graph
    /// exists or a build is requested.
    /// </summary>
    private void StartBuildIfLarge(int rows)
    {
        if (rows < Math.Max(1, _config.HnswThreshold) || _graph.Fits(rows) || HnswFailure is not null || _closed.IsCancellationRequested
            || Interlocked.CompareExchange(ref _autoBuild, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(BuildInBackgroundAsync);
    }

    private bool TryEnterBuild()
    {
        try
        {
            return !_closed.IsCancellationRequested && _build.Wait(0);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task BuildInBackgroundAsync()
    {
        try
        {
            // A build already running (or an explicit rebuild) makes this one unnecessary; so does a closed memory.
            if (!TryEnterBuild())
            {
                return;
            }

            try
            {
                await BuildGraphAsync(_closed).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The memory was closed during the build; the graph is only a cache.
            }
            catch (ObjectDisposedException)
            {
                // The memory was closed during the build; the graph is only a cache.
            }
            catch (MemoryStoreException)
            {
                // The file became unusable; the next search reports that.
            }
            finally
            {
                _build.Release();
            }
        }
        finally
        {
            Volatile.Write(ref _autoBuild, 0);
        }
    }

    /// <summary>
    /// Builds the graph from a snapshot taken on the writer thread, off that thread, then installs it on the writer
    /// thread after replaying the commits made during the build: writes never wait for the build and none is missed.
    /// </summary>
    private async Task BuildGraphAsync(CancellationToken cancellationToken)
    {
        var resets = 0;
        var snapshot = await _writer.RunAsync(() =>
        {
            VectorIndex? matrix;
            lock (_matrixGate)
            {
                matrix = _matrix;
            }

            if (matrix is null || matrix.Count < Math.Max(1, _config.HnswThreshold))
            {
                _graph.Replace(null);
                return default((long[] RowIds, float[][] Vectors)?);
            }

            _buildLog = [];
            resets = _resets;
            return matrix.Snapshot();
        }, cancellationToken).ConfigureAwait(false);
        if (snapshot is not { } data)
        {
            return;
        }

        var built = await Task.Run(() => HnswIndex.TryBuild(data.RowIds, data.Vectors, _dimensions, out var failure, cancellationToken: _closed) is { } h ? (h, (string?)null) : (null, failure), CancellationToken.None).ConfigureAwait(false);
        HnswFailure = built.Item2;
        var installed = false;
        try
        {
            installed = await _writer.RunAsync(() =>
            {
                if (resets != _resets)
                {
                    // The whole content was replaced (restore) during the build: the graph describes old data.
                    return false;
                }

                if (_buildLog is { } log && built.Item1 is { } graph)
                {
                    graph.Apply(log);
                }

                _buildLog = null;
                _graph.Replace(built.Item1);
                return true;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (!installed)
            {
                built.Item1?.Dispose();
            }
        }
    }

    /// <summary>
    /// The installed HNSW graph, or none, behind one exclusive lock: the USearch binding does not promise concurrent
    /// use of one index, and a search takes well under 1 ms.
    /// </summary>
    private sealed class HnswSlot : IDisposable
    {
        private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
        private HnswIndex? _graph;

        public bool IsActive => Volatile.Read(ref _graph) is not null;

        /// <summary>Whether a graph is installed whose shape suits <paramref name="rows"/> vectors (no rebuild needed).</summary>
        public bool Fits(int rows) => Volatile.Read(ref _graph) is { } graph && !HnswParameters.Outgrown(graph.Shape, rows);

        /// <summary>The graph's top-k at or above the threshold, scored exactly by <paramref name="matrix"/>; null when no graph is installed.</summary>
        public List<(long RowId, float Score)>? TrySearch(float[] query, int k, float threshold, VectorIndex matrix)
        {
            if (!IsActive)
            {
                return null;
            }

            _lock.EnterWriteLock();
            try
            {
                return _graph?.Search(query, k, matrix).Where(hit => hit.Score >= threshold).ToList();
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }

        public void Apply(IReadOnlyList<VectorChange> changes)
        {
            if (!IsActive)
            {
                return;
            }

            _lock.EnterWriteLock();
            try
            {
                _graph?.Apply(changes);
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }

        /// <summary>Installs <paramref name="replacement"/> (or none) and disposes the graph it replaces.</summary>
        public void Replace(HnswIndex? replacement)
        {
            _lock.EnterWriteLock();
            try
            {
                var old = _graph;
                Volatile.Write(ref _graph, replacement);
                old?.Dispose();
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }

        public void Dispose()
        {
            Replace(null);
            _lock.Dispose();
        }
    }
}
