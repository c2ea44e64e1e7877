using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// Turns the legs' ranked rows into one score per row: the dense cosine, the keyword relevance, or reciprocal rank
/// fusion of both (<see cref="RrfK"/> = 60); then the optional recency weighting. Pure functions: no store, no clock.
/// </summary>
internal static class Fusion
{
    /// <summary>The k of reciprocal rank fusion: a row at rank r (0-based) in a leg adds 1 / (k + r + 1).</summary>
    public const int RrfK = 60;

    /// <summary>The score of every row found, by <paramref name="mode"/>: one leg's own scores, or RRF of both.</summary>
    public static Dictionary<long, double> Combine(SearchMode mode, IReadOnlyList<ScoredRow> dense, IReadOnlyList<ScoredRow> keyword) => mode switch
    {
        SearchMode.Dense => LegScores(dense),
        SearchMode.Keyword => LegScores(keyword),
        _ => ReciprocalRank(dense, keyword),
    };

    /// <summary>Each row's score in one leg (a row listed twice keeps the later score).</summary>
    public static Dictionary<long, double> LegScores(IReadOnlyList<ScoredRow> leg)
    {
        var scores = new Dictionary<long, double>(leg.Count);
        foreach (var (rowId, score) in leg)
        {
            scores[rowId] = score;
        }

        return scores;
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
    /// <paramref name="score"/> × (1 − <paramref name="weight"/> + <paramref name="weight"/> × 0.5^(age / <paramref name="halfLife"/>)):
    /// a row loses at most <paramref name="weight"/> of its score with age; a timestamp in the future counts as age 0.
    /// </summary>
    public static double WeightByRecency(double score, TimeSpan age, TimeSpan halfLife, double weight)
    {
        var seconds = Math.Max(0, age.TotalSeconds);
        var decay = Math.Pow(0.5, seconds / halfLife.TotalSeconds);
        return score * (1 - weight + (weight * decay));
    }
}
