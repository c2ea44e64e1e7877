using System.Globalization;
using System.Numerics.Tensors;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Xunit.Abstractions;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>
/// Quality on the STS benchmark test split (1,379 pairs, gold similarity 0-5), found at ../shared/data relative to the
/// repository root. Also the measurement behind <see cref="MemoryConfig.DefaultSimilarityThreshold"/>.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class StsBenchmarkTests(ModelFixture model, ITestOutputHelper output)
{
    private static readonly string DataFile = Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, "..", "shared", "data", "stsbenchmark", "sts-test.csv"));

    [SkippableFactIfNoData]
    public void Embed_StsBenchmarkTestFloat32_SpearmanOfCosineVsGoldIsAtLeast082()
    {
        var (gold, cosines, _) = Measure(model.Float32);

        var spearman = Spearman(cosines, gold);
        output.WriteLine($"STS-B test, fp32: {gold.Length} pairs, Spearman = {spearman:F4}");
        Assert.True(spearman >= 0.82, $"Spearman {spearman:F4} < 0.82");
    }

    [SkippableFactIfNoData]
    public void Embed_StsBenchmarkTestInt8_SpearmanOfCosineVsGoldIsAtLeast0815()
    {
        var (gold, cosines, _) = Measure(model.Generator);

        var spearman = Spearman(cosines, gold);
        output.WriteLine($"STS-B test, {model.Generator.Precision}: {gold.Length} pairs, Spearman = {spearman:F4} (gate 0.815; fp32 0.8204)");
        Assert.Equal(EmbeddingPrecision.Int8, model.Generator.Precision);
        Assert.True(spearman >= 0.815, $"Spearman {spearman:F4} < 0.815");
    }

    /// <summary>STS-B pairs with gold similarity 4 or more: sentence A of each is a query whose answer is its sentence B.</summary>
    internal static (string[] Queries, string[] Answers) ParaphrasePairs()
    {
        var pairs = Pairs().Where(p => p.Gold >= 4.0).ToList();
        return (pairs.Select(p => p.A).ToArray(), pairs.Select(p => p.B).ToArray());
    }

    internal static bool DataExists => File.Exists(DataFile);

    internal static string MissingDataReason => $"STS-B data not found at '{DataFile}' (expected ../shared/data/stsbenchmark/sts-test.csv relative to the repository root); quality check not run.";

    [SkippableFactIfNoData]
    public void DefaultSimilarityThreshold_StsBenchmark_KeepsRelevantPairsAndDropsUnrelatedOnes()
    {
        var (gold, cosines, random) = Measure(model.Generator);
        var relevant = cosines.Where((_, i) => gold[i] >= 4.0).Order().ToArray();
        var related = cosines.Where((_, i) => gold[i] is >= 2.0 and < 4.0).Order().ToArray();
        var unrelated = random.Order().ToArray();
        foreach (var (name, values) in new[] { ("relevant (gold >= 4)", relevant), ("partly related (2 <= gold < 4)", related), ("random pairs", unrelated) })
        {
            output.WriteLine($"{name}: n={values.Length} p5={Percentile(values, 0.05):F3} p50={Percentile(values, 0.5):F3} p95={Percentile(values, 0.95):F3}");
        }

        foreach (var t in new[] { 0.2f, 0.25f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f })
        {
            output.WriteLine($"threshold {t:F2}: keeps {Share(relevant, t):P1} of relevant, {Share(related, t):P1} of partly related, {Share(unrelated, t):P1} of random");
        }

        // The threshold is a relevance (MemoryResult.Score); in Dense mode it is the cosine RelevanceCalibration maps to it.
        var threshold = (float)GopiAI.Toolkit.SemanticMemory.Search.RelevanceCalibration.DenseCosineFor(MemoryConfig.DefaultSimilarityThreshold);
        output.WriteLine($"default threshold: relevance {MemoryConfig.DefaultSimilarityThreshold:F2} = cosine {threshold:F3}");
        Assert.True(Share(relevant, threshold) >= 0.99, "the default threshold drops relevant matches");
        Assert.True(Share(unrelated, threshold) <= 0.05, "the default threshold lets unrelated text through");
        Assert.True(Share(relevant, 0.7f) < Share(relevant, threshold) - 0.05, "0.7 was expected to drop noticeably more relevant matches than the default");
    }

    private static List<(double Gold, string A, string B)> Pairs() => File.ReadLines(DataFile)
        .Select(line => line.Split('\t'))
        .Where(f => f.Length >= 7)
        .Select(f => (Gold: double.Parse(f[4], CultureInfo.InvariantCulture), A: f[5], B: f[6]))
        .ToList();

    private static (double[] Gold, double[] Cosines, double[] Random) Measure(OnnxEmbeddingGenerator generator)
    {
        var pairs = Pairs();
        var texts = pairs.SelectMany(p => new[] { p.A, p.B }).ToList();
        var vectors = generator.Embed(texts);
        var cosines = pairs.Select((_, i) => (double)TensorPrimitives.Dot(vectors[2 * i], vectors[(2 * i) + 1])).ToArray();

        // Unrelated: sentence A of pair i against sentence B of a pair far away in the (topic-grouped) file.
        var random = pairs.Select((_, i) => (double)TensorPrimitives.Dot(vectors[2 * i], vectors[(2 * ((i + (pairs.Count / 2)) % pairs.Count)) + 1])).ToArray();
        return (pairs.Select(p => p.Gold).ToArray(), cosines, random);
    }

    private static double Share(double[] values, float threshold) => values.Count(v => v >= threshold) / (double)values.Length;

    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Clamp(Math.Round(p * (sorted.Length - 1)), 0, sorted.Length - 1)];

    private static double Spearman(double[] x, double[] y)
    {
        var rx = Ranks(x);
        var ry = Ranks(y);
        double mx = rx.Average(), my = ry.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }

    private static double[] Ranks(double[] values)
    {
        var order = values.Select((v, i) => (v, i)).OrderBy(p => p.v).ToArray();
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && order[end + 1].v == order[start].v)
            {
                end++;
            }

            for (var k = start; k <= end; k++)
            {
                ranks[order[k].i] = (start + end) / 2.0 + 1;
            }

            start = end + 1;
        }

        return ranks;
    }

    /// <summary>Skips, with the reason shown in the test report, when the STS-B file is not next to the repository.</summary>
    internal sealed class SkippableFactIfNoDataAttribute : FactAttribute
    {
        public SkippableFactIfNoDataAttribute()
        {
            if (!DataExists)
            {
                Skip = MissingDataReason;
            }
        }
    }
}
