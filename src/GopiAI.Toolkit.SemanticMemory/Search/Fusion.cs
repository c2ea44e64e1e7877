using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// Turns the legs' ranked rows into one relevance per row in [0, 1] (<see cref="MemoryResult.Score"/>): a leg's own
/// calibrated score (<see cref="RelevanceCalibration"/>), or a fusion of both legs (<see cref="HybridFusion"/>) made
/// comparable across queries by <see cref="Relevances"/>; then the optional recency weighting. Pure functions: no
/// store, no clock.
/// </summary>
internal static class Fusion
{
    /// <summary>The k of reciprocal rank fusion: a row at rank r (0-based) in a leg adds 1 / (k + r + 1).</summary>
    public const int RrfK = 60;

    /// <summary>The relevance of every row found, by <paramref name="mode"/>: one leg calibrated, or both fused.</summary>
    /// <param name="mode">Which legs count.</param>
    /// <param name="fusion">How <see cref="SearchMode.Hybrid"/> fuses.</param>
    /// <param name="dense">The dense leg, best first (score = cosine).</param>
    /// <param name="keyword">The keyword leg, best first (score = normalised keyword relevance, see <see cref="ScoredRow"/>).</param>
    /// <param name="cosines">Cosine of rows the dense leg did not return (keyword-only candidates); missing ones count as 0.</param>
    /// <param name="keywordWeight">The keyword weight of <see cref="HybridFusion.Convex"/> for this query (<see cref="KeywordWeight.For"/>).</param>
    /// <param name="threshold">
    /// Hybrid only: when the fused favourite's own relevance is below it, candidates whose stronger leg is below it are
    /// left out before the fused values become relevances (so that the noise of a leg with no signal cannot push a
    /// strong hit of the other leg below the threshold).
    /// </param>
    public static Dictionary<long, double> Combine(
        SearchMode mode,
        HybridFusion fusion,
        IReadOnlyList<ScoredRow> dense,
        IReadOnlyList<ScoredRow> keyword,
        IReadOnlyDictionary<long, double>? cosines = null,
        double keywordWeight = KeywordWeight.Base,
        double threshold = 0) => mode switch
        {
            SearchMode.Dense => Calibrated(dense, RelevanceCalibration.Dense),
            SearchMode.Keyword => Calibrated(keyword, RelevanceCalibration.Keyword),
            _ => Hybrid(fusion, dense, keyword, cosines, keywordWeight, threshold),
        };

    /// <summary>
    /// Convex combination of the legs, each scaled by its best score among the candidates with the theoretical minimum 0
    /// as lower bound (Bruch et al., "An Analysis of Fusion Functions for Hybrid Retrieval", TOIS 2023: theoretical
    /// min-max): <c>(1 - w) · max(cosine, 0) / D + w · keyword / K</c>, where D is the best cosine and K the best keyword
    /// score, but at least the score at which the leg's calibrated relevance is 0.5: a leg whose best hit is weak is not
    /// stretched to 1 (a query whose words the model cannot read leaves the ranking to the keyword leg). A candidate the
    /// keyword leg did not match has keyword score 0.
    /// </summary>
    /// <returns>The fused value of each candidate, in [0, 1]; 1 only for a candidate that is best in both legs with both at least at even odds.</returns>
    public static double[] Convex(ReadOnlySpan<double> cosines, ReadOnlySpan<double> keyword, double keywordWeight = KeywordWeight.Base)
    {
        if (cosines.Length != keyword.Length)
        {
            throw new ArgumentException("Both legs need a score for every candidate.", nameof(keyword));
        }

        double bestCosine = RelevanceCalibration.DenseMidpoint, bestKeyword = RelevanceCalibration.KeywordMidpoint;
        for (var i = 0; i < cosines.Length; i++)
        {
            bestCosine = Math.Max(bestCosine, cosines[i]);
            bestKeyword = Math.Max(bestKeyword, keyword[i]);
        }

        var fused = new double[cosines.Length];
        for (var i = 0; i < fused.Length; i++)
        {
            var d = Math.Max(cosines[i], 0) / bestCosine;
            var k = Math.Max(keyword[i], 0) / bestKeyword;
            fused[i] = ((1 - keywordWeight) * d) + (keywordWeight * k);
        }

        return fused;
    }

    /// <summary>
    /// Reciprocal rank fusion: each row scores the sum over the legs that found it of 1 / (<paramref name="k"/> + rank + 1),
    /// rank 0-based in the leg's best-first order; the legs' own scores do not matter, only their order.
    /// </summary>
    public static Dictionary<long, double> ReciprocalRank(IReadOnlyList<ScoredRow> dense, IReadOnlyList<ScoredRow> keyword, int k = RrfK)
    {
        var scores = new Dictionary<long, double>(dense.Count + keyword.Count);
        for (var rank = 0; rank < dense.Count; rank++)
        {
            scores[dense[rank].RowId] = 1.0 / (k + rank + 1);
        }

        for (var rank = 0; rank < keyword.Count; rank++)
        {
            scores[keyword[rank].RowId] = scores.GetValueOrDefault(keyword[rank].RowId) + (1.0 / (k + rank + 1));
        }

        return scores;
    }

    /// <summary>
    /// Turns a query's fused values into relevances comparable across queries: the best candidate gets its calibrated
    /// relevance, every other candidate that times its fused value relative to the best one. Keeps the fused order;
    /// all results in [0, 1].
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

    /// <summary>
    /// <paramref name="score"/> × (1 − <paramref name="weight"/> + <paramref name="weight"/> × 0.5^(age / <paramref name="halfLife"/>)):
    /// a row loses at most <paramref name="weight"/> of its score with age; a timestamp in the future counts as age 0.
    /// </summary>
    public static double WeightByRecency(double score, TimeSpan age, TimeSpan halfLife, double weight)
    {
        var seconds = Math.Max(0, age.TotalSeconds);
        var decay = Math.Pow(0.5, seconds / halfLife.TotalSeconds);
        return score * (1 - weight + (weight * decay));
    }

    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static Dictionary<long, double> Calibrated(IReadOnlyList<ScoredRow> leg, Func<double, double> calibration)
    {
        var scores = new Dictionary<long, double>(leg.Count);
        foreach (var (rowId, score) in leg)
        {
            scores[rowId] = calibration(score);
        }

        return scores;
    }

    private static Dictionary<long, double> Hybrid(HybridFusion fusion, IReadOnlyList<ScoredRow> dense, IReadOnlyList<ScoredRow> keyword, IReadOnlyDictionary<long, double>? cosines, double keywordWeight, double threshold)
    {
        var index = new Dictionary<long, int>(dense.Count + keyword.Count);
        var ids = new List<long>(dense.Count + keyword.Count);
        var cosine = new List<double>(dense.Count + keyword.Count);
        var keywordScore = new List<double>(dense.Count + keyword.Count);
        foreach (var (rowId, score) in dense)
        {
            if (index.TryAdd(rowId, ids.Count))
            {
                ids.Add(rowId);
                cosine.Add(score);
                keywordScore.Add(0);
            }
        }

        foreach (var (rowId, score) in keyword)
        {
            if (index.TryGetValue(rowId, out var i))
            {
                keywordScore[i] = Math.Max(keywordScore[i], score);
            }
            else
            {
                index[rowId] = ids.Count;
                ids.Add(rowId);
                cosine.Add(cosines is not null && cosines.TryGetValue(rowId, out var c) ? c : 0);
                keywordScore.Add(score);
            }
        }

        if (ids.Count == 0)
        {
            return [];
        }

        double[] fused;
        if (fusion == HybridFusion.ReciprocalRank)
        {
            var rrf = ReciprocalRank(dense, keyword);
            fused = ids.Select(id => rrf[id]).ToArray();
        }
        else
        {
            fused = Convex(cosine.ToArray(), keywordScore.ToArray(), keywordWeight);
        }

        var best = ArgMax(fused);
        if (RelevanceCalibration.Hybrid(cosine[best], keywordScore[best]) < threshold)
        {
            // The fused favourite is itself below the threshold: the fused order is noise (typically a leg with no
            // signal), so keep only the candidates one leg finds relevant enough, and take the best of those.
            for (var i = 0; i < fused.Length; i++)
            {
                if (RelevanceCalibration.Hybrid(cosine[i], keywordScore[i]) < threshold)
                {
                    fused[i] = -1;
                }
            }

            best = ArgMax(fused);
            if (fused[best] < 0)
            {
                return [];
            }
        }

        var relevances = Relevances(fused, best, RelevanceCalibration.Hybrid(cosine[best], keywordScore[best]));
        var scores = new Dictionary<long, double>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            if (fused[i] >= 0)
            {
                scores[ids[i]] = relevances[i];
            }
        }

        return scores;
    }
}
