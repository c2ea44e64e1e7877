using Cloud.Unum.USearch;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>The HNSW graph's shape: neighbours per node and the candidate-list widths used while adding and searching.</summary>
/// <param name="Connectivity">Neighbours kept per node (M).</param>
/// <param name="ExpansionAdd">Candidates explored while inserting (ef_construction): build time vs graph quality.</param>
/// <param name="ExpansionSearch">Candidates explored per query (ef_search): latency vs recall.</param>
/// <param name="Quantization">How the graph stores vectors. <see cref="ScalarKind.Int8"/> (the default) costs a quarter of
/// the memory and about a third of the build time of <see cref="ScalarKind.Float32"/>; its approximate distances only pick
/// candidates, which <see cref="HnswIndex.Search(float[], int, VectorIndex)"/> re-scores exactly.</param>
internal sealed record HnswParameters(int Connectivity, int ExpansionAdd, int ExpansionSearch, ScalarKind Quantization = ScalarKind.Float32)
{
    /// <summary>The engine's choice, measured in docs/benchmarks.md (harness <c>hnsw-tune</c>).</summary>
    public static HnswParameters Default { get; } = new(16, 64, 96, ScalarKind.Int8);
}

/// <summary>
/// Approximate nearest neighbours (USearch HNSW, inner product over unit vectors) built from the in-memory matrix.
/// A cache of SQLite data, never a source of truth: <see cref="Storage.Sqlite.SqliteDenseIndex"/> builds it in the
/// background once the store holds <see cref="MemoryConfig.HnswThreshold"/> vectors (when a file is loaded or when
/// writes cross the threshold; <see cref="SemanticMemoryManager.OptimizeIndexAsync"/> rebuilds it), searches stay
/// exact until it is installed, and every later commit is applied to it incrementally (<see cref="Apply"/>).
/// </summary>
internal sealed class HnswIndex : IDisposable
{
    private readonly USearchIndex _index;

    private HnswIndex(USearchIndex index, int count, int workers)
    {
        _index = index;
        Count = count;
        BuildWorkers = workers;
    }

    /// <summary>
    /// Whether build threads lower their own priority (default). Benchmarks that measure the build's own speed on a
    /// machine shared with other work turn it off; the engine never does.
    /// </summary>
    internal static bool LowerBuildPriority { get; set; } = true;

    public int Count { get; private set; }

    /// <summary>Threads that added the vectors when the graph was built (1 when concurrent adds could not be set up).</summary>
    public int BuildWorkers { get; }

    /// <summary>Keeps the graph in step with committed writes (removals, additions, replacements).</summary>
    public void Apply(IReadOnlyList<VectorChange> changes)
    {
        var capacity = (long)_index.Capacity();
        if (Count + changes.Count > capacity)
        {
            // Grow by a quarter at a time: the binding would otherwise reallocate the node table on every add.
            HnswNative.TryGrow(_index, (int)Math.Min(int.MaxValue, Math.Max(Count + changes.Count, capacity + (capacity / 4))));
        }

        foreach (var change in changes)
        {
            var key = (ulong)change.RowId;
            if (_index.Contains(key))
            {
                _index.Remove(key);
                Count--;
            }

            if (change.Vector is { } vector)
            {
                _index.Add(key, vector);
                Count++;
            }
        }
    }

    /// <summary>
    /// Builds the index with up to <paramref name="threads"/> workers (0: one per processor) running at lowered
    /// priority; returns null (exact search stays) when the native library cannot be loaded here.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the partial graph is freed.</exception>
    public static HnswIndex? TryBuild(long[] rowIds, float[][] vectors, int dims, out string? failure, int threads = 0, HnswParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        failure = null;
        parameters ??= HnswParameters.Default;
        USearchIndex? index = null;
        try
        {
            index = new USearchIndex(MetricKind.Ip, parameters.Quantization, (ulong)dims, (ulong)parameters.Connectivity, (ulong)parameters.ExpansionAdd, (ulong)parameters.ExpansionSearch);
            var workers = Math.Clamp(threads <= 0 ? Environment.ProcessorCount : threads, 1, Math.Max(1, rowIds.Length / 1000));
            if (!HnswNative.TryReserve(index, rowIds.Length, workers))
            {
                workers = 1;
            }

            AddAll(index, rowIds, vectors, workers, cancellationToken);
            var built = new HnswIndex(index, rowIds.Length, workers);
            index = null;
            return built;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or USearchException)
        {
            failure = ex.Message;
            return null;
        }
        finally
        {
            index?.Dispose();
        }
    }

    /// <summary>
    /// Top-k by exact cosine: the graph's best 2k candidates (its own, quantized distances only choose them), re-scored
    /// against <paramref name="matrix"/>, best first; rows the matrix no longer holds are left out.
    /// </summary>
    public List<(long RowId, float Score)> Search(float[] query, int k, VectorIndex matrix)
    {
        var result = new List<(long RowId, float Score)>();
        foreach (var (rowId, _) in Search(query, Math.Max(2 * k, k + 10)))
        {
            if (matrix.Similarity(query, rowId) is { } score)
            {
                result.Add((rowId, score));
            }
        }

        result.Sort((a, b) => b.Score.CompareTo(a.Score));
        if (result.Count > k)
        {
            result.RemoveRange(k, result.Count - k);
        }

        return result;
    }

    /// <summary>The graph's own top-k with its own (quantized) scores, best first.</summary>
    public List<(long RowId, float Score)> Search(float[] query, int k)
    {
        var found = _index.Search(query, k, out ulong[] keys, out float[] distances);
        var result = new List<(long, float)>(found);
        for (var i = 0; i < found; i++)
        {
            // USearch's inner-product distance is 1 - dot.
            result.Add(((long)keys[i], 1f - distances[i]));
        }

        return result;
    }

    public void Dispose() => _index.Dispose();

    /// <summary>
    /// Adds every vector from <paramref name="workers"/> dedicated threads that take the next row from a shared counter.
    /// Dedicated threads (not the pool) so that their lowered priority dies with them; all are joined before this
    /// returns, so the index is never freed under a running add.
    /// </summary>
    private static void AddAll(USearchIndex index, long[] rowIds, float[][] vectors, int workers, CancellationToken cancellationToken)
    {
        var next = -1;
        Exception? error = null;
        void Work()
        {
            if (LowerBuildPriority)
            {
                HnswNative.LowerCurrentThreadPriority();
            }

            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < rowIds.Length && !cancellationToken.IsCancellationRequested && Volatile.Read(ref error) is null)
                {
                    index.Add((ulong)rowIds[i], vectors[i]);
                }
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref error, ex, null);
            }
        }

        var threads = new Thread[workers];
        for (var t = 0; t < workers; t++)
        {
            threads[t] = new Thread(Work) { IsBackground = true, Name = "GopiAI HNSW build" };
            threads[t].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }
}
