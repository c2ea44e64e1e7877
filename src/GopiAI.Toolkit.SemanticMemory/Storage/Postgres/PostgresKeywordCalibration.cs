using GopiAI.Toolkit.SemanticMemory.Search;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>
/// Puts PostgreSQL's keyword relevance (<c>ts_rank_cd</c>, whose scale is its own: no idf, cover density, no bound) on
/// the scale of the keyword leg's score (<see cref="ScoredRow"/>), so that <see cref="RelevanceCalibration.Keyword"/>
/// gives a PostgreSQL hit the relevance that means the same as on SQLite: the chance, at equal priors, that the text is
/// a relevant one. The relevance of a rank is a logistic in its logarithm, <c>x^e / (x^e + m^e)</c>, fitted like the
/// SQLite curve (class-balanced, on the tuning halves of the evaluation sets, run against PGlite: benchmarks
/// <c>harness eval-pg --fit</c>); the score handed on is the normalised keyword score whose SQLite relevance is that
/// relevance. Monotone, so it never changes the leg's order.
/// </summary>
internal static class PostgresKeywordCalibration
{
    /// <summary><c>ts_rank_cd</c> (no normalisation) at which a keyword hit scores 0.5.</summary>
    public const double Midpoint = 0.176;

    /// <summary>Exponent of the saturating curve <c>x^e / (x^e + m^e)</c> (a logistic in ln x).</summary>
    public const double Exponent = 2.18;

    /// <summary>Relevance in [0, 1] of a hit with this <c>ts_rank_cd</c> (0 or less: no match).</summary>
    public static double Relevance(double rank) =>
        rank <= 0 ? 0 : RelevanceCalibration.Logistic(Exponent * (Math.Log(rank) - Math.Log(Midpoint)));

    /// <summary>
    /// The keyword leg's score of a hit with this <c>ts_rank_cd</c>: the normalised score whose
    /// <see cref="RelevanceCalibration.Keyword"/> is <see cref="Relevance"/>, computed in logarithms
    /// (<c>m_k · (x / m)^(e / e_k)</c>) so that it stays exact where the relevance is near 1. Above 1 only for
    /// relevances above that of a perfect SQLite score.
    /// </summary>
    public static double Score(double rank) =>
        rank <= 0 ? 0 : RelevanceCalibration.KeywordMidpoint * Math.Exp(Exponent / RelevanceCalibration.KeywordExponent * (Math.Log(rank) - Math.Log(Midpoint)));

    /// <summary>The <c>ts_rank_cd</c> whose <see cref="Score"/> is <paramref name="score"/> (the inverse; 0 for 0): the evaluation harness reads ranks back from scores with it.</summary>
    public static double RankFor(double score) =>
        score <= 0 ? 0 : Midpoint * Math.Exp(RelevanceCalibration.KeywordExponent / Exponent * (Math.Log(score) - Math.Log(RelevanceCalibration.KeywordMidpoint)));

    /// <summary>
    /// The raw <c>ts_rank_cd</c> of its normalisation 32 (<c>rank / (rank + 1)</c>), which the leg orders by so that its
    /// order is the one it always had.
    /// </summary>
    public static double RankOfNormalised(double normalised) => normalised >= 1 ? double.MaxValue : normalised / (1 - normalised);
}
