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

    /// <summary>BM25 at which a keyword hit scores 0.5.</summary>
    public const double KeywordMidpoint = 6.53;

    /// <summary>Exponent of the saturating keyword curve <c>b^e / (b^e + m^e)</c> (a logistic in ln BM25).</summary>
    public const double KeywordExponent = 2.70;

    /// <summary>Relevance of a dense hit with this cosine similarity: <c>1 / (1 + e^(-slope (cosine - midpoint)))</c>.</summary>
    public static double Dense(double cosine) => Logistic(DenseSlope * (cosine - DenseMidpoint));

    /// <summary>Relevance of a keyword hit with this BM25 score (0 or less: no match): saturates towards 1 as BM25 grows.</summary>
    public static double Keyword(double bm25) =>
        bm25 <= 0 ? 0 : Logistic(KeywordExponent * (Math.Log(bm25) - Math.Log(KeywordMidpoint)));

    /// <summary>Relevance of a hit found by both legs: the stronger evidence of the two.</summary>
    public static double Hybrid(double cosine, double bm25) => Math.Max(Dense(cosine), Keyword(bm25));

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
