namespace GopiAI.Toolkit.SemanticMemory.Tests.Evaluation;

/// <summary>MRR@k and recall@k of rankings against relevance judgements.</summary>
internal readonly record struct RetrievalMetrics(double Mrr, double Recall, int Queries)
{
    public const int K = 10;

    /// <summary>Means over the queries of 1/rank of the first relevant id in the top <see cref="K"/> (0 when none) and of the share of relevant ids there.</summary>
    public static RetrievalMetrics Measure(IReadOnlyList<(IReadOnlyList<string> Ranked, IReadOnlySet<string> Relevant)> rankings)
    {
        double mrr = 0, recall = 0;
        foreach (var (ranked, relevant) in rankings)
        {
            var top = ranked.Take(K).ToList();
            var first = top.FindIndex(relevant.Contains);
            mrr += first >= 0 ? 1.0 / (first + 1) : 0;
            recall += top.Count(relevant.Contains) / (double)relevant.Count;
        }

        var n = Math.Max(rankings.Count, 1);
        return new RetrievalMetrics(mrr / n, recall / n, rankings.Count);
    }
}
