using GopiAI.Toolkit.SemanticMemory.Storage;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// Dense, keyword and hybrid (RRF) search over an <see cref="IMemoryStore"/>: runs the <see cref="SearchPipeline"/>
/// behind the <see cref="ResultCache"/>, after letting the store catch up with other processes, and ranks again when
/// the store's whole content was replaced (its <see cref="IMemoryStore.Epoch"/> moved) while a search ran. Under
/// <see cref="MemoryRetention.EvictLeastRecentlyRetrieved"/> it tells the store which documents it returned.
/// </summary>
internal sealed class SearchEngine
{
    /// <summary>Searches run again at most this often when the content keeps being replaced under them.</summary>
    private const int MaxAttempts = 3;

    private readonly IMemoryStore _store;
    private readonly MemoryConfig _config;
    private readonly ResultCache _cache;
    private readonly SearchPipeline _pipeline;

    /// <param name="store">The store searched.</param>
    /// <param name="generator">Embeds queries for the dense leg.</param>
    /// <param name="config">Threshold, limits and clock.</param>
    /// <param name="cache">The result cache; the store must have been opened with it as its observer.</param>
    public SearchEngine(IMemoryStore store, IEmbeddingGenerator<string, Embedding<float>> generator, MemoryConfig config, ResultCache cache)
    {
        _store = store;
        _config = config;
        _cache = cache;
        _pipeline = new SearchPipeline(store, new DenseLeg(store, generator), new KeywordLeg(store), config);
    }

    public async Task<IReadOnlyList<MemoryResult>> SearchAsync(string query, int limit, SearchOptions options, CancellationToken cancellationToken)
    {
        // A restore (or another process rewriting the file) between ranking and reading the rows would pair the old
        // content's row ids with the new content's rows: search again on the new content instead.
        for (var attempt = 1; ; attempt++)
        {
            var epoch = _store.Epoch;
            var results = await SearchOnceAsync(query, limit, options, cancellationToken).ConfigureAwait(false);
            if (_store.Epoch == epoch || attempt == MaxAttempts)
            {
                if (_config.Retention == MemoryRetention.EvictLeastRecentlyRetrieved && results.Count > 0)
                {
                    // Cached results count too: they were retrieved all the same.
                    _store.NoteRetrieved(results.Select(r => r.ParentId ?? r.Id));
                }

                return results;
            }
        }
    }

    private async Task<IReadOnlyList<MemoryResult>> SearchOnceAsync(string query, int limit, SearchOptions options, CancellationToken cancellationToken)
    {
        await _store.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var threshold = options.SimilarityThreshold ?? _config.SimilarityThreshold;
        var key = _cache.KeyFor(query, limit, threshold, options);
        if (_cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var results = await _pipeline.RunAsync(query, limit, threshold, options, cancellationToken).ConfigureAwait(false);
        _cache.Set(key, results);
        return results;
    }
}
