using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// One search, stage by stage: <b>filter</b> (<see cref="RowFilter"/> from the options, pushed into both legs) →
/// <b>dense leg</b> → <b>keyword leg</b> → <b>fusion</b> (<see cref="Fusion"/>) → <b>rows</b> (read from the store,
/// re-weighted by recency, sorted, cut to the limit). Knows nothing of caching or of the provider.
/// </summary>
internal sealed class SearchPipeline(IMemoryStore store, DenseLeg dense, KeywordLeg keyword, MemoryConfig config)
{
    public async Task<IReadOnlyList<MemoryResult>> RunAsync(string query, int limit, float threshold, SearchOptions options, CancellationToken cancellationToken)
    {
        var fetch = FetchCount(limit, options);
        var filter = RowFilter.Of(options);

        float[]? queryVector = null;
        IReadOnlyList<ScoredRow> denseRows = [];
        if (options.Mode != SearchMode.Keyword)
        {
            (queryVector, denseRows) = await dense.RunAsync(query, filter, fetch, threshold, cancellationToken).ConfigureAwait(false);
        }

        var keywordRows = options.Mode != SearchMode.Dense
            ? await keyword.RunAsync(query, filter, fetch, cancellationToken).ConfigureAwait(false)
            : [];

        var scores = Fusion.Combine(options.Mode, denseRows, keywordRows);
        var rows = await store.GetRowsAsync(scores.Keys, queryVector, cancellationToken).ConfigureAwait(false);
        return ToResults(scores, denseRows, rows, limit, options, config.TimeProvider.GetUtcNow());
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
        IReadOnlyList<ScoredRow> denseRows,
        IReadOnlyDictionary<long, DocumentRow> rows,
        int limit,
        SearchOptions options,
        DateTimeOffset now)
    {
        var similarities = new Dictionary<long, float>(denseRows.Count);
        foreach (var (rowId, score) in denseRows)
        {
            similarities[rowId] = (float)score;
        }

        var results = new List<MemoryResult>(rows.Count);
        foreach (var (rowId, baseScore) in scores)
        {
            if (!rows.TryGetValue(rowId, out var row))
            {
                continue; // deleted between the ranking and the fetch
            }

            if (!RowValidator.TryParseMetadata(row.MetadataJson, out var metadata) || !RowValidator.TryParseTimestamp(row.TimestampMs, out var timestamp))
            {
                continue; // a damaged row is left out (GetStatsAsync reports it)
            }

            var score = options.RecencyHalfLife is { } halfLife ? Fusion.WeightByRecency(baseScore, now - timestamp, halfLife, options.RecencyWeight) : baseScore;
            float? similarity = similarities.TryGetValue(rowId, out var s) ? s : row.Similarity is { } cosine ? Math.Clamp(cosine, -1f, 1f) : null;
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
