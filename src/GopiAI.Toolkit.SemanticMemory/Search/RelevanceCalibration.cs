namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// Maps each leg's raw score to a relevance in [0, 1] that means the same for every query: a logistic curve fitted,
/// class-balanced, on the tuning halves of the evaluation sets (benchmarks: <c>harness eval --fit</c>), so that 0.5 is
/// the score at which a retrieved text is as likely to be a relevant one as an irrelevant one (equal priors); above it,
/// more likely relevant. Monotone, so it never changes a leg's own order.
/// </summary>
internal static class RelevanceCalibration
{
    /// <summary>Cosine at which a dense hit scores 0.5.</summary>
    public const double DenseMidpoint = 0.403;

    /// <summary>Steepness of the dense curve, per unit of cosine.</summary>
    public const double DenseSlope = 8.57;

    /// <summary>Normalised keyword score (BM25 over the best the query could reach, see <see cref="Storage.ScoredRow"/>) at which a keyword hit scores 0.5.</summary>
    public const double KeywordMidpoint = 0.107;

    /// <summary>Exponent of the saturating keyword curve <c>s^e / (s^e + m^e)</c> (a logistic in ln s).</summary>
    public const double KeywordExponent = 1.61;

    /// <summary>Relevance of a dense hit with this cosine similarity: <c>1 / (1 + e^(-slope (cosine - midpoint)))</c>.</summary>
    public static double Dense(double cosine) => Logistic(DenseSlope * (cosine - DenseMidpoint));

    /// <summary>Relevance of a keyword hit with this normalised score (0 or less: no match); grows with it, saturating.</summary>
    public static double Keyword(double score) =>
        score <= 0 ? 0 : Logistic(KeywordExponent * (Math.Log(score) - Math.Log(KeywordMidpoint)));

    /// <summary>The normalised keyword score whose relevance is <paramref name="relevance"/> (the inverse of <see cref="Keyword"/>; 0 for 0).</summary>
    public static double KeywordScoreFor(double relevance) =>
        relevance <= 0 ? 0 : KeywordMidpoint * Math.Pow(relevance / (1 - relevance), 1 / KeywordExponent);

    /// <summary>Relevance of a hit found by both legs: the stronger evidence of the two.</summary>
    public static double Hybrid(double cosine, double keyword) => Math.Max(Dense(cosine), Keyword(keyword));

    /// <summary>The lowest cosine whose dense relevance reaches <paramref name="relevance"/> (−1 for 0, above 1 for 1).</summary>
    public static double DenseCosineFor(double relevance) => relevance switch
    {
        <= 0 => -1,
        >= 1 => 2,
        _ => DenseMidpoint + (Math.Log(relevance / (1 - relevance)) / DenseSlope),
    };

    /// <summary>The logistic function, 1 / (1 + e^-x).</summary>
    public static double Logistic(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
