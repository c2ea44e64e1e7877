using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// The keyword leg's share in <see cref="HybridFusion.Convex"/> for one query, <c>max(0, Base − LeadSlope · lead)</c>:
/// it shrinks as the dense leg grows sure of its favourite. The dense leg's <b>lead</b> is how far its first hit stands
/// above its second on the scale the fusion uses (cosines divided by the best one, <see cref="Fusion.Convex"/>):
/// <c>(c₁ − c₂) / max(c₁, 0.403)</c>. A paraphrase the model reads well has a clear favourite (a large lead) and is left
/// to the dense leg; a query the model cannot separate (a flat top: codes, names, rare terms it blurs together) gives
/// the keyword leg its full share. A query made only of identifiers uses <see cref="Identifier"/> whatever the lead.
/// Both constants are fitted on the evaluation sets' tuning halves (benchmarks: <c>harness eval --fit</c>; the fit,
/// the rules compared and the swapped split are in docs/benchmarks.md, "Retrieval quality").
/// </summary>
internal static class KeywordWeight
{
    /// <summary>Keyword weight when the dense leg has no lead (its first two hits tie).</summary>
    public const double Base = 0.225;

    /// <summary>Keyword weight lost per unit of the dense leg's lead: the weight is 0 from a lead of <see cref="Base"/> / this (0.18) on.</summary>
    public const double LeadSlope = 1.25;

    /// <summary>Keyword weight of a query made only of identifiers (see <see cref="IsIdentifier"/>).</summary>
    public const double Identifier = 0.6;

    /// <summary>
    /// The keyword weight for a query: <see cref="Identifier"/> when every word of it is an identifier (a digit, or
    /// punctuation inside the word: <c>ERR_CONN_4471</c>, <c>P0420</c>, <c>user.id</c>), which embeddings blur and BM25
    /// matches exactly; else <see cref="FromDenseLead"/> of the dense leg's <see cref="DenseLead"/>.
    /// </summary>
    /// <param name="words">The query's words worth matching (<see cref="KeywordQuery.Words"/>).</param>
    /// <param name="dense">The dense leg's rows, best first (score = cosine).</param>
    public static double For(IReadOnlyList<string> words, IReadOnlyList<ScoredRow> dense) =>
        words.Count > 0 && words.All(IsIdentifier) ? Identifier : FromDenseLead(DenseLead(dense));

    /// <summary><c>max(0, <paramref name="baseWeight"/> − <paramref name="slope"/> · <paramref name="lead"/>)</c>, at most 1.</summary>
    public static double FromDenseLead(double lead, double baseWeight = Base, double slope = LeadSlope) =>
        Math.Clamp(baseWeight - (slope * lead), 0, 1);

    /// <summary>
    /// How far the dense leg's first hit stands above its second, in the units of <see cref="Fusion.Convex"/>:
    /// <c>(max(c₁, 0) − max(c₂, 0)) / max(c₁, <see cref="RelevanceCalibration.DenseMidpoint"/>)</c>, in [0, 1]. 0 without
    /// dense rows; a single row leads by its own normalised cosine (nothing else is close).
    /// </summary>
    /// <param name="dense">The dense leg's rows, best first (score = cosine).</param>
    public static double DenseLead(IReadOnlyList<ScoredRow> dense)
    {
        if (dense.Count == 0)
        {
            return 0;
        }

        var first = Math.Max(dense[0].Score, 0);
        var second = dense.Count > 1 ? Math.Max(dense[1].Score, 0) : 0;
        return Math.Clamp((first - second) / Math.Max(first, RelevanceCalibration.DenseMidpoint), 0, 1);
    }

    /// <summary>True for a word with a digit, or with punctuation between its letters (<c>ERR_CONN</c>, <c>user.id</c>).</summary>
    public static bool IsIdentifier(string word)
    {
        var trimmed = word.AsSpan().Trim("?!.,;:'\"()");
        if (trimmed.IsEmpty)
        {
            return false;
        }

        foreach (var c in trimmed)
        {
            if (char.IsDigit(c) || !char.IsLetter(c))
            {
                return true;
            }
        }

        return false;
    }
}
