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
    /// <summary>The rows up to which the base search width (<see cref="BaseExpansionSearch"/>) holds recall@10 at 0.999.</summary>
    internal const int BaseRows = 100_000;

    /// <summary>ef_search up to <see cref="BaseRows"/> rows.</summary>
    internal const int BaseExpansionSearch = 96;

    /// <summary>The widest ef_search the rule gives (about 25M rows); past it, recall is traded for latency.</summary>
    internal const int MaxExpansionSearch = 4096;

    /// <summary>The rows from which the graph keeps twice the neighbours per node (M 32 instead of 16).</summary>
    internal const int DenseGraphRows = 250_000;

    /// <summary>The engine's shape for a graph of up to <see cref="BaseRows"/> rows, measured in docs/benchmarks.md (harness <c>hnsw-tune</c>).</summary>
    public static HnswParameters Default { get; } = new(16, 64, BaseExpansionSearch, ScalarKind.Int8);

    /// <summary>
    /// The engine's shape for a graph of <paramref name="rows"/> vectors: <see cref="Default"/>, with ef_search widened
    /// as N^¾ past <see cref="BaseRows"/> (<see cref="ExpansionSearchFor"/>) and M 32 from <see cref="DenseGraphRows"/>.
    /// ef_add and the int8 graph stay.
    /// </summary>
    /// <remarks>
    /// At 1M rows of the scale benchmark the width alone saturated with M 16 (recall@10 0.871 at ef_search 540, 0.887
    /// at 1,024): the graph itself limited recall. M 32 gave 0.978 at ef_search 384 and 0.980 at 768 on the same
    /// vectors (search core, docs/benchmarks.md "HNSW at 1M"), for a build about 1.3× longer; at 300k it gave 0.998
    /// where M 16 gave 0.990. Up to <see cref="DenseGraphRows"/> M 16 keeps the build fast (100k in under 30 s).
    /// </remarks>
    public static HnswParameters For(int rows) =>
        Default with { Connectivity = rows >= DenseGraphRows ? 32 : Default.Connectivity, ExpansionSearch = ExpansionSearchFor(rows) };

    /// <summary>
    /// Whether a graph built with <paramref name="built"/> is sparser than the shape <paramref name="rows"/> vectors
    /// call for: M is fixed when a graph is built, so a store that grew past <see cref="DenseGraphRows"/> needs a rebuild.
    /// </summary>
    public static bool Outgrown(HnswParameters built, int rows) => For(rows).Connectivity > built.Connectivity;

    /// <summary>
    /// ef_search for <paramref name="rows"/> vectors: 96 up to 100k, then 96 × (rows / 100k)^¾ (219 at 300k, 540 at 1M),
    /// at most <see cref="MaxExpansionSearch"/>; never smaller for more rows.
    /// </summary>
    /// <remarks>
    /// Why it grows (docs/benchmarks.md, harness <c>hnsw-shape</c>): on clustered vectors the greedy descent through the
    /// graph's upper layers lands in the query's cluster less often as clusters multiply; the search at the bottom
    /// layer then explores a wrong cluster and the query misses all of its 10 neighbours. At 300k rows (3,000 clusters)
    /// ef_search 96 missed 5 queries of 200 (recall@10 0.960), 192 none (0.990); re-scoring 100 candidates instead of 20
    /// or a float32 graph changed the figure by 0.001 at most, so the width of the search is what has to grow.
    /// At 1M the width helps (recall@10 0.701 at 96, 0.871 at 540 with M 16) but saturates: there the graph's own
    /// quality limits recall, which <see cref="For"/> lifts with M 32.
    /// </remarks>
    public static int ExpansionSearchFor(int rows)
    {
        if (rows <= BaseRows)
        {
            return BaseExpansionSearch;
        }

        var width = BaseExpansionSearch * Math.Pow(rows / (double)BaseRows, 0.75);
        return (int)Math.Min(MaxExpansionSearch, Math.Ceiling(width));
    }
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

    private readonly bool _adaptive; // the engine's shape: ef_search follows the row count (HnswParameters.For)
    private int _width; // the ef_search searches should use
    private int _applied; // the ef_search the native index has

    private HnswIndex(USearchIndex index, int count, int workers, HnswParameters parameters, bool adaptive)
    {
        Shape = parameters;
        _index = index;
        Count = count;
        BuildWorkers = workers;
        _width = _applied = parameters.ExpansionSearch;
        _adaptive = adaptive;
    }

    /// <summary>
    /// Whether build threads lower their own priority (default). Benchmarks that measure the build's own speed on a
    /// machine shared with other work turn it off; the engine never does.
    /// </summary>
    internal static bool LowerBuildPriority { get; set; } = true;

    public int Count { get; private set; }

    /// <summary>Threads that added the vectors when the graph was built (1 when concurrent adds could not be set up).</summary>
    public int BuildWorkers { get; }

    /// <summary>The shape the graph was built with (its ef_search as at the build).</summary>
    public HnswParameters Shape { get; }

    /// <summary>
    /// Benchmarks only: an ef_search every graph uses instead of its own (null: each graph's own), so that one built
    /// graph can be measured at several widths. The engine never sets it.
    /// </summary>
    internal static int? ExpansionSearchOverride { get; set; }

    /// <summary>The candidate-list width searches use (ef_search): the shape's, widened as the graph grows when the shape is the engine's.</summary>
    public int ExpansionSearch => _width;

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

        if (_adaptive)
        {
            // A graph that grows past its build size searches as wide as one built at the new size. Never narrower:
            // removed rows stay in the graph's layout, so a shrinking store keeps the width it reached.
            _width = Math.Max(_width, HnswParameters.ExpansionSearchFor(Count));
        }
    }

    /// <summary>
    /// Builds the index with up to <paramref name="threads"/> workers (0: one per processor) running at lowered
    /// priority; returns null (exact search stays) when the native library cannot be loaded here. Without
    /// <paramref name="parameters"/> the shape is the engine's, <see cref="HnswParameters.For"/> the row count, and its
    /// search width keeps following the count as later writes are applied.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the partial graph is freed.</exception>
    public static HnswIndex? TryBuild(long[] rowIds, float[][] vectors, int dims, out string? failure, int threads = 0, HnswParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        failure = null;
        var adaptive = parameters is null;
        parameters ??= HnswParameters.For(rowIds.Length);
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
            var built = new HnswIndex(index, rowIds.Length, workers, parameters, adaptive);
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
    public List<(long RowId, float Score)> Search(float[] query, int k, VectorIndex matrix) => Search(query, k, matrix, Math.Max(2 * k, k + 10));

    /// <summary>Top-k by exact cosine from the graph's best <paramref name="candidates"/>, re-scored against <paramref name="matrix"/>.</summary>
    public List<(long RowId, float Score)> Search(float[] query, int k, VectorIndex matrix, int candidates)
    {
        var result = new List<(long RowId, float Score)>();
        foreach (var (rowId, _) in Search(query, Math.Max(k, candidates)))
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
        if ((ExpansionSearchOverride ?? _width) is var wanted && wanted != _applied && HnswNative.TryChangeExpansionSearch(_index, wanted))
        {
            _applied = wanted;
        }

        var found = _index.Search(query, k, out ulong[] keys, out float[] distances);
        var result = new List<(long, float)>(found);
        for (var i = 0; i < found; i++)
        {
            // USearch's inner-product distance is 1 - dot.
            result.Add(((long)keys[i], 1f - distances[i]));
        }

        return result;
    }

    /// <summary>Sets the candidate-list width of later searches (ef_search); false when the binding's handle is out of reach.</summary>
    public bool TrySetExpansionSearch(int expansion)
    {
        if (!HnswNative.TryChangeExpansionSearch(_index, expansion))
        {
            return false;
        }

        _width = _applied = expansion;
        return true;
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
