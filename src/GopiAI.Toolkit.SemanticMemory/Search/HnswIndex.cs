using Cloud.Unum.USearch;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// Approximate nearest neighbours (USearch HNSW, inner product over unit vectors) built from the in-memory matrix.
/// A cache of SQLite data, never a source of truth: built by <see cref="SemanticMemoryManager.OptimizeIndexAsync"/>
/// and dropped on the first write after it, when search falls back to exact.
/// </summary>
internal sealed class HnswIndex : IDisposable
{
    private readonly USearchIndex _index;

    private HnswIndex(USearchIndex index, int count)
    {
        _index = index;
        Count = count;
    }

    public int Count { get; private set; }

    /// <summary>Keeps the graph in step with committed writes (removals, additions, replacements).</summary>
    public void Apply(IReadOnlyList<VectorChange> changes)
    {
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

    /// <summary>Builds the index; returns null (exact search stays) when the native library cannot be loaded here.</summary>
    public static HnswIndex? TryBuild(long[] rowIds, float[][] vectors, int dims, out string? failure)
    {
        failure = null;
        USearchIndex? index = null;
        try
        {
            index = new USearchIndex(MetricKind.Ip, ScalarKind.Float32, (ulong)dims, connectivity: 16, expansionAdd: 128, expansionSearch: 96);
            for (var i = 0; i < rowIds.Length; i++)
            {
                index.Add((ulong)rowIds[i], vectors[i]);
            }

            var built = new HnswIndex(index, rowIds.Length);
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
}
