namespace GopiAI.Toolkit.SemanticMemory.Embeddings;

/// <summary>
/// Splits length-sorted sequences into padded batches at the least estimated cost. A batch costs a fixed overhead plus
/// rows x padded length (every padded position runs the whole network): one batch of 32 mixed chat turns pads the
/// short ones to the longest, while one run per text pays the overhead 32 times and multiplies small matrices. The
/// optimum over contiguous groups of the sorted order is found exactly by dynamic programming in O(n x maxRows).
/// </summary>
internal static class BatchPlanner
{
    /// <summary>
    /// Fixed cost of one run, in padded token positions. Measured on all-MiniLM-L6-v2 (docs/benchmarks.md, "Session
    /// tuning"): a run's time is close to a + b x rows x length with a / b between 12 and 20 positions on 2 cores.
    /// </summary>
    public const int RunOverheadTokens = 16;

    /// <summary>Plans batches over <paramref name="lengths"/>, which must be sorted ascending.</summary>
    /// <param name="lengths">Sequence lengths, ascending.</param>
    /// <param name="maxRows">Most rows per batch.</param>
    /// <returns>The size of each batch, in order; they add up to the number of lengths.</returns>
    public static List<int> Plan(ReadOnlySpan<int> lengths, int maxRows)
    {
        var n = lengths.Length;
        var cost = new long[n + 1];
        var cut = new int[n + 1];
        for (var end = 1; end <= n; end++)
        {
            // The batch ending at `end` (exclusive) is padded to lengths[end - 1], its longest row.
            var best = long.MaxValue;
            for (var rows = 1; rows <= Math.Min(maxRows, end); rows++)
            {
                var candidate = cost[end - rows] + RunOverheadTokens + ((long)rows * lengths[end - 1]);
                if (candidate < best)
                {
                    best = candidate;
                    cut[end] = rows;
                }
            }

            cost[end] = best;
        }

        var sizes = new List<int>();
        for (var end = n; end > 0; end -= cut[end])
        {
            sizes.Add(cut[end]);
        }

        sizes.Reverse();
        return sizes;
    }
}
