using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Evaluation;

/// <summary>
/// A real memory file holding one evaluation corpus, searched through <see cref="SemanticMemoryManager.SearchMemoryAsync"/>
/// in every mode. Chunks count as their document (the first one ranked).
/// </summary>
internal sealed class RetrievalEvaluator : IAsyncDisposable
{
    private readonly SemanticMemoryManager _memory;

    private RetrievalEvaluator(RetrievalSet set, SemanticMemoryManager memory)
    {
        Set = set;
        _memory = memory;
    }

    public RetrievalSet Set { get; }

    public SemanticMemoryManager Memory => _memory;

    public static async Task<RetrievalEvaluator> OpenAsync(RetrievalSet set, IEmbeddingGenerator<string, Embedding<float>> generator, string path, Func<MemoryConfig, MemoryConfig>? configure = null)
    {
        var config = new MemoryConfig { IndexPath = path, ResultCacheSize = 0, BatchSize = 256 };
        var memory = await SemanticMemoryManager.OpenAsync(configure?.Invoke(config) ?? config, generator).ConfigureAwait(false);
        try
        {
            await memory.StoreDocumentsAsync(set.Corpus.Select(d => new MemoryDocument
            {
                Id = d.Id,
                Content = d.Text,
                ConversationId = d.ConversationId,
                Role = d.Role,
                Timestamp = d.Timestamp,
            })).ConfigureAwait(false);
            return new RetrievalEvaluator(set, memory);
        }
        catch
        {
            await memory.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Document ids ranked by the memory in <paramref name="options"/>' mode, best first, each document once.</summary>
    public async Task<IReadOnlyList<string>> RankAsync(string query, SearchOptions options, int limit = RetrievalMetrics.K)
    {
        var results = await _memory.SearchMemoryAsync(query, limit * 2, options).ConfigureAwait(false);
        return results.Select(r => r.ParentId ?? r.Id).Distinct(StringComparer.Ordinal).Take(limit).ToList();
    }

    /// <summary>Scored hits of one mode (the memory's <see cref="MemoryResult.Score"/>), each document once.</summary>
    public async Task<IReadOnlyList<(string Id, double Score, float? Similarity)>> ScoredAsync(string query, SearchOptions options, int limit)
    {
        var results = await _memory.SearchMemoryAsync(query, limit, options).ConfigureAwait(false);
        return results.DistinctBy(r => r.ParentId ?? r.Id).Select(r => (r.ParentId ?? r.Id, r.Score, r.Similarity)).ToList();
    }

    /// <summary>Metrics of one mode on the given queries.</summary>
    public async Task<RetrievalMetrics> MeasureAsync(IEnumerable<EvaluationQuery> queries, SearchOptions options)
    {
        var rankings = new List<(IReadOnlyList<string>, IReadOnlySet<string>)>();
        foreach (var query in queries)
        {
            rankings.Add((await RankAsync(query.Text, options).ConfigureAwait(false), query.Relevant));
        }

        return RetrievalMetrics.Measure(rankings);
    }

    public ValueTask DisposeAsync() => _memory.DisposeAsync();
}
