using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// One search, stage by stage: <b>filter</b> (<see cref="RowFilter"/> from the options, pushed into both legs) →
/// <b>dense leg</b> and <b>keyword leg</b> (concurrently in Hybrid) → <b>rows</b> of the candidates (read from the store with their cosine) →
/// <b>fusion</b> (<see cref="Fusion"/>: a relevance in [0, 1] per row) → results (threshold, recency, sorted, cut to the limit). Knows nothing of caching or of the provider.
/// </summary>
internal sealed class SearchPipeline(IMemoryStore store, DenseLeg dense, KeywordLeg keyword, MemoryConfig config)
{
    public async Task<IReadOnlyList<MemoryResult>> RunAsync(string query, int limit, float threshold, SearchOptions options, CancellationToken cancellationToken)
    {
        var fetch = FetchCount(limit, options);
        var filter = RowFilter.Of(options);

        // Hybrid runs its legs at once: the keyword leg (a store read, synchronous on SQLite) on the thread pool while
        // this thread embeds the query and scans the vectors, so a search costs about its slower leg, not their sum.
        var keywordTask = options.Mode switch
        {
            SearchMode.Dense => Task.FromResult<IReadOnlyList<ScoredRow>>([]),
            SearchMode.Hybrid => Task.Run(() => keyword.RunAsync(query, filter, fetch, cancellationToken), cancellationToken),
            _ => keyword.RunAsync(query, filter, fetch, cancellationToken),
        };

        float[]? queryVector = null;
        IReadOnlyList<ScoredRow> denseRows = [];
        if (options.Mode != SearchMode.Keyword)
        {
            // The threshold is a relevance (MemoryResult.Score). The dense leg alone can apply it as the cosine it maps to;
            // for fusion it takes its best rows whatever their cosine, and the threshold applies to the fused relevance.
            var cosineThreshold = options.Mode == SearchMode.Dense ? (float)Math.Clamp(RelevanceCalibration.DenseCosineFor(threshold), -1, 2) : -1f;
            try
            {
                (queryVector, denseRows) = await dense.RunAsync(query, filter, fetch, cosineThreshold, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // No work of this search may outlive it (dispose waits for searches), and the keyword leg's own failure is moot.
                await ((Task)keywordTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }
        }

        var keywordRows = await keywordTask.ConfigureAwait(false);

        // Rows are read before fusion: a keyword-only candidate needs its cosine (computed by the store with the rows).
        var candidates = new HashSet<long>(denseRows.Count + keywordRows.Count);
        candidates.UnionWith(denseRows.Select(r => r.RowId));
        candidates.UnionWith(keywordRows.Select(r => r.RowId));
        var rows = await store.GetRowsAsync(candidates, queryVector, cancellationToken).ConfigureAwait(false);
        var cosines = new Dictionary<long, double>(rows.Count);
        foreach (var (rowId, row) in rows)
        {
            if (row.Similarity is { } similarity)
            {
                cosines[rowId] = Math.Clamp(similarity, -1.0, 1.0);
            }
        }

        // The keyword leg's share depends on the query: less as the dense leg grows sure of its favourite (KeywordWeight).
        var keywordWeight = options.Mode == SearchMode.Hybrid ? KeywordWeight.For(KeywordQuery.Words(query), denseRows) : KeywordWeight.Base;
        var scores = Fusion.Combine(options.Mode, options.Fusion ?? config.Fusion, denseRows, keywordRows, cosines, keywordWeight, threshold);
        return ToResults(scores, threshold, cosines, rows, limit, options, config.TimeProvider.GetUtcNow());
    }

    /// <summary>Rows fetched before fusion and re-weighting: more than the limit when fusing or re-weighting, never more than the store can hold.</summary>
    private int FetchCount(int limit, SearchOptions options)
    {
        var cap = Math.Max(config.MaxDocuments, 1) * 2L;
        return (int)Math.Min(options.Mode == SearchMode.Hybrid || options.RecencyHalfLife is not null ? Math.Max(limit * 4L, 50) : limit, cap);
    }

    /// <summary>The rows as results, best first (ties by id), at most <paramref name="limit"/>.</summary>
    private static List<MemoryResult> ToResults(
        Dictionary<long, double> scores,
        float threshold,
        Dictionary<long, double> cosines,
        IReadOnlyDictionary<long, DocumentRow> rows,
        int limit,
        SearchOptions options,
        DateTimeOffset now)
    {
        var results = new List<MemoryResult>(rows.Count);
        foreach (var (rowId, baseScore) in scores)
        {
            if (baseScore < threshold)
            {
                continue; // below the caller's relevance threshold (applied before recency, which only re-orders)
            }

            if (!rows.TryGetValue(rowId, out var row))
            {
                continue; // deleted between the ranking and the fetch
            }

            if (!RowValidator.TryParseMetadata(row.MetadataJson, out var metadata) || !RowValidator.TryParseTimestamp(row.TimestampMs, out var timestamp))
            {
                continue; // a damaged row is left out (GetStatsAsync reports it)
            }

            var score = options.RecencyHalfLife is { } halfLife ? Fusion.WeightByRecency(baseScore, now - timestamp, halfLife, options.RecencyWeight) : baseScore;
            float? similarity = cosines.TryGetValue(rowId, out var cosine) ? (float)cosine : null;
            results.Add(new MemoryResult
            {
                Id = row.Id,
                Content = row.Content,
                Score = score,
                Similarity = similarity,
                Metadata = metadata,
                Timestamp = timestamp,
                ConversationId = row.ConversationId,
                Role = row.Role,
                Source = row.Source ?? (row.ConversationId is not null ? $"conversation:{row.ConversationId}" : $"memory:{row.ParentId ?? row.Id}"),
                ParentId = row.ParentId,
            });
        }

        results.Sort(static (a, b) => b.Score.CompareTo(a.Score) is var c && c != 0 ? c : string.CompareOrdinal(a.Id, b.Id));
        return results.Count > limit ? results.GetRange(0, limit) : results;
    }
}
