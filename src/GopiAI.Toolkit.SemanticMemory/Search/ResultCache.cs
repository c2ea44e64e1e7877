using GopiAI.Toolkit.Caching;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// Search results by query and options (the runtime's <see cref="LruCache{TKey, TValue}"/>), stamped with a
/// generation that every committed change of the store moves on: the store is opened with this cache as its
/// <see cref="IStoreObserver"/>, so it is emptied before the write call that changed the store completes, and a
/// search that overlapped a change does not cache what it found.
/// </summary>
internal sealed class ResultCache : IStoreObserver, IDisposable
{
    private readonly LruCache<ResultCacheKey, IReadOnlyList<MemoryResult>>? _cache;
    private long _generation;

    /// <param name="size">Most results kept; 0 disables caching (the generation still moves).</param>
    public ResultCache(int size)
    {
        if (size > 0)
        {
            _cache = new LruCache<ResultCacheKey, IReadOnlyList<MemoryResult>>(new LruCacheOptions { Name = "GopiAI.SemanticMemory.Results", MaxSize = size });
        }
    }

    /// <summary>Committed changes seen so far.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The key for a search, or null when the search must not be cached (caching off, or recency weighting: results age with the clock).</summary>
    public ResultCacheKey? KeyFor(string query, int limit, float threshold, SearchOptions options) =>
        _cache is not null && options.RecencyHalfLife is null ? ResultCacheKey.Create(Generation, query, limit, threshold, options) : null;

    public bool TryGet(ResultCacheKey? key, out IReadOnlyList<MemoryResult> results)
    {
        if (key is not null && _cache is not null && _cache.TryGet(key, out var cached))
        {
            results = cached;
            return true;
        }

        results = [];
        return false;
    }

    /// <summary>Keeps <paramref name="results"/> unless the store changed since the key was made (they may mix old and new).</summary>
    public void Set(ResultCacheKey? key, IReadOnlyList<MemoryResult> results)
    {
        if (key is not null && Generation == key.Generation)
        {
            _cache?.Set(key, results);
        }
    }

    public void OnStoreChanged(StoreChange change)
    {
        Interlocked.Increment(ref _generation);
        _cache?.Clear();
    }

    public void Dispose() => _cache?.Dispose();
}
