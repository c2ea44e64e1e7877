using GopiAI.Toolkit.SemanticMemory;
using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.Samples.Assistant.Services;

/// <summary>Searches the assistant's memory. Results are cached per query for ten minutes and every search is timed.</summary>
public sealed partial class KnowledgeBase
{
    private readonly MemoryStore _store;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="KnowledgeBase"/> class.</summary>
    /// <param name="store">The memory to search.</param>
    /// <param name="logger">Receives slow-call warnings.</param>
    public KnowledgeBase(MemoryStore store, ILogger<KnowledgeBase> logger)
    {
        _store = store;
        _logger = logger;
    }

    /// <summary>Finds the stored turns most relevant to <paramref name="query"/> (hybrid: keywords and meaning).</summary>
    /// <param name="query">What to look for.</param>
    /// <param name="limit">Most results.</param>
    /// <param name="cancellationToken">Cancels the search (not part of the cache key).</param>
    /// <returns>The results, best first.</returns>
    [Monitored(Name = "KnowledgeBase.Search", SlowThresholdMs = 500)]
    [Cached(600, MaxSize = 512)]
    public partial Task<IReadOnlyList<MemoryResult>> SearchAsync(string query, int limit, CancellationToken cancellationToken = default);

    private Task<IReadOnlyList<MemoryResult>> SearchAsyncCore(string query, int limit, CancellationToken cancellationToken) =>
        _store.Manager.SearchMemoryAsync(query, limit, options: null, cancellationToken);
}
