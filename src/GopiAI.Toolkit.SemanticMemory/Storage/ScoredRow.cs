namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>A row found by a search leg and its score in that leg (higher is better).</summary>
/// <param name="RowId">The store's id of the searchable row (see <see cref="IMemoryStore"/> on epochs).</param>
/// <param name="Score">
/// Dense leg: cosine similarity; keyword leg: the provider's relevance normalised to [0, 1] by the best score the query
/// could reach in this store (SQLite: BM25 / Σ idf × (k1 + 1)), so that it means the same across queries and store sizes.
/// </param>
internal readonly record struct ScoredRow(long RowId, double Score);
