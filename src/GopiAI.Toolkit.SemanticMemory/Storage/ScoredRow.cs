namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>A row found by a search leg and its score in that leg (higher is better).</summary>
/// <param name="RowId">The store's id of the searchable row (see <see cref="IMemoryStore"/> on epochs).</param>
/// <param name="Score">Dense leg: cosine similarity; keyword leg: the provider's relevance (SQLite: −BM25).</param>
internal readonly record struct ScoredRow(long RowId, double Score);
