using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>The keyword leg: the query's words worth matching (<see cref="KeywordQuery.Words"/>), ranked by the store's keyword index.</summary>
internal sealed class KeywordLeg(IMemoryStore store)
{
    /// <summary>Rows matching the query's words, best first; none when the query has no word to match.</summary>
    public async Task<IReadOnlyList<ScoredRow>> RunAsync(string query, RowFilter filter, int k, CancellationToken cancellationToken) =>
        KeywordQuery.Words(query) is { Count: > 0 } words
            ? await store.SearchKeywordAsync(words, filter, k, cancellationToken).ConfigureAwait(false)
            : [];
}
