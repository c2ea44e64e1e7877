namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// Pure fusion functions of <see cref="SearchMode.Hybrid"/>: each takes both legs' scores of the candidates and returns
/// one fused value per candidate, higher is better.
/// </summary>
internal static class ScoreFusion
{
    /// <summary>The <see cref="HybridFusion.ReciprocalRank"/> constant k.</summary>
    public const int RrfK = 60;

    /// <summary>
    /// Share of the keyword leg in <see cref="HybridFusion.Convex"/>: the weight whose worst margin over the better leg,
    /// across the evaluation sets' tuning halves, is largest (benchmarks: <c>harness eval --fit</c>; docs/benchmarks.md).
    /// </summary>
    public const double DefaultKeywordWeight = 0.15;

    /// <summary>
    /// Convex combination of the legs, each scaled by its best score among the candidates with the theoretical minimum 0
    /// as lower bound (Bruch et al., TOIS 2023: "theoretical min-max"):
    /// <c>(1 - w) · max(cosine, 0) / best cosine + w · bm25 / best bm25</c>. A candidate the keyword leg did not match has
    /// BM25 0; every candidate needs its cosine (a keyword-only one is scored against the query vector).
    /// </summary>
    /// <returns>The fused value of each candidate, in [0, 1]; 1 only for a candidate that is best in both legs.</returns>
    public static double[] Convex(ReadOnlySpan<double> cosines, ReadOnlySpan<double> bm25, double keywordWeight = DefaultKeywordWeight)
    {
        if (cosines.Length != bm25.Length)
        {
            throw new ArgumentException("Both legs need a score for every candidate.", nameof(bm25));
        }

        double bestCosine = 0, bestBm25 = 0;
        for (var i = 0; i < cosines.Length; i++)
        {
            bestCosine = Math.Max(bestCosine, cosines[i]);
            bestBm25 = Math.Max(bestBm25, bm25[i]);
        }

        var fused = new double[cosines.Length];
        for (var i = 0; i < fused.Length; i++)
        {
            var dense = bestCosine > 0 ? Math.Max(cosines[i], 0) / bestCosine : 0;
            var keyword = bestBm25 > 0 ? Math.Max(bm25[i], 0) / bestBm25 : 0;
            fused[i] = ((1 - keywordWeight) * dense) + (keywordWeight * keyword);
        }

        return fused;
    }

    /// <summary>
    /// Reciprocal rank fusion of two rankings (best first): Σ 1/(k + rank) over the legs that ranked a candidate,
    /// divided by its maximum 2/(k + 1) so that the result is in [0, 1].
    /// </summary>
    public static Dictionary<TKey, double> ReciprocalRank<TKey>(IReadOnlyList<TKey> dense, IReadOnlyList<TKey> keyword, int k = RrfK)
        where TKey : notnull
    {
        var scale = (k + 1) / 2.0;
        var scores = new Dictionary<TKey, double>(dense.Count + keyword.Count);
        for (var rank = 0; rank < dense.Count; rank++)
        {
            scores[dense[rank]] = scale / (k + rank + 1);
        }

        for (var rank = 0; rank < keyword.Count; rank++)
        {
            scores[keyword[rank]] = scores.GetValueOrDefault(keyword[rank]) + (scale / (k + rank + 1));
        }

        return scores;
    }

    /// <summary>
    /// Turns a query's fused values into relevances comparable across queries: the best candidate gets the stronger of
    /// its two legs' calibrated relevances, every other candidate that times its fused value relative to the best one.
    /// Keeps the fused order; all results in [0, 1].
    /// </summary>
    /// <param name="fused">Fused value of each candidate (any non-negative scale).</param>
    /// <param name="best">Index of the candidate with the largest fused value.</param>
    /// <param name="bestRelevance">Calibrated relevance of that candidate (<see cref="RelevanceCalibration.Hybrid"/>).</param>
    public static double[] Relevances(ReadOnlySpan<double> fused, int best, double bestRelevance)
    {
        var top = fused[best];
        var relevances = new double[fused.Length];
        for (var i = 0; i < fused.Length; i++)
        {
            relevances[i] = top > 0 ? Math.Clamp(bestRelevance * fused[i] / top, 0, 1) : 0;
        }

        return relevances;
    }
}
