using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Xunit.Abstractions;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Evaluation;

/// <summary>
/// Retrieval quality gates on the evaluation sets (<see cref="RetrievalSet"/>), through the public search API with the
/// real model, on each set's reporting half (the fusion weight and the calibrations are fitted on the tuning halves).
/// </summary>
[Collection(ModelCollection.Name)]
[Trait("Category", "Evaluation")]
public sealed class RetrievalEvaluationTests(ModelFixture model, ITestOutputHelper output)
{
    private const double Tolerance = 0.005;

    [Fact]
    public async Task SearchMemoryAsync_HybridOnEveryEvaluationSet_NotBelowTheBetterLegAndAboveItOnOne()
    {
        var sets = RetrievalSet.All(TestPaths.RepoRoot);
        Assert.True(sets.Count >= (StsBenchmarkTests.DataExists ? 3 : 2), "an evaluation set is missing");
        using var folder = new TempDirectory();
        var failures = new List<string>();
        var gains = 0;
        foreach (var set in sets)
        {
            await using var evaluator = await RetrievalEvaluator.OpenAsync(set, model.Generator, folder.File(sets.ToList().IndexOf(set) + ".db"));
            var dense = await evaluator.MeasureAsync(set.ReportingHalf, new SearchOptions { Mode = SearchMode.Dense });
            var keyword = await evaluator.MeasureAsync(set.ReportingHalf, new SearchOptions { Mode = SearchMode.Keyword });
            var hybrid = await evaluator.MeasureAsync(set.ReportingHalf, new SearchOptions { Mode = SearchMode.Hybrid });
            var best = Math.Max(dense.Mrr, keyword.Mrr);
            output.WriteLine($"{set.Name} ({hybrid.Queries} reporting queries, {set.Corpus.Count} documents): MRR@10 / recall@10 dense {dense.Mrr:F3} / {dense.Recall:F3}, keyword {keyword.Mrr:F3} / {keyword.Recall:F3}, hybrid {hybrid.Mrr:F3} / {hybrid.Recall:F3}");
            if (hybrid.Mrr < best - Tolerance)
            {
                failures.Add($"{set.Name}: hybrid MRR@10 {hybrid.Mrr:F3} < best leg {best:F3} - {Tolerance}");
            }

            gains += hybrid.Mrr > best ? 1 : 0;
        }

        Assert.True(failures.Count == 0, string.Join("; ", failures));
        Assert.True(gains >= 1, "hybrid is better than its better leg on no evaluation set");
    }

    [Fact]
    public async Task SearchMemoryAsync_EveryMode_ScoresInUnitIntervalAndBestFirst()
    {
        var set = RetrievalSet.Conversations(TestPaths.RepoRoot);
        using var folder = new TempDirectory();
        await using var evaluator = await RetrievalEvaluator.OpenAsync(set, model.Generator, folder.File("scores.db"));
        foreach (var mode in new[] { SearchMode.Dense, SearchMode.Keyword, SearchMode.Hybrid })
        {
            foreach (var query in set.Queries.Take(20))
            {
                var results = await evaluator.Memory.SearchMemoryAsync(query.Text, 10, new SearchOptions { Mode = mode, SimilarityThreshold = 0 });
                Assert.All(results, r => Assert.InRange(r.Score, 0, 1));
                Assert.Equal(results.Select(r => r.Score).OrderDescending(), results.Select(r => r.Score));
            }
        }
    }
}
