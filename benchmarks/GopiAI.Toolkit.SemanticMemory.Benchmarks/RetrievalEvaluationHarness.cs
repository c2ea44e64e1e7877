using System.Globalization;
using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;
using GopiAI.Toolkit.SemanticMemory.Tests.Evaluation;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// Retrieval quality of Dense, Keyword and Hybrid on the evaluation sets (tests/.../Evaluation), with the real model.
/// <c>harness eval</c> prints MRR@10 and recall@10 on each set's reporting half; <c>--fit</c> also fits, on the tuning
/// halves only, the relevance calibration of each leg and the query-dependent keyword weight of convex fusion (the
/// constants of <see cref="RelevanceCalibration"/> and <see cref="KeywordWeight"/>), compares fusions offline from the
/// legs' scores on the reporting halves, and repeats the fit with the halves swapped (fit on the reporting halves,
/// report on the tuning ones) to show how much of the margin is luck.
/// </summary>
internal static class RetrievalEvaluationHarness
{
    private const int Fetch = 50; // candidates per leg, as the engine over-fetches for fusion
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(string repositoryRoot, bool fit)
    {
        using var generator = new OnnxEmbeddingGenerator();
        var folder = Path.Combine(Path.GetTempPath(), "gopiai-eval-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var sets = RetrievalSet.All(repositoryRoot);
            var legs = new List<(RetrievalSet Set, List<QueryLegs> Queries, Dictionary<SearchMode, RetrievalMetrics> Engine)>();
            foreach (var set in sets)
            {
                await using var evaluator = await RetrievalEvaluator.OpenAsync(set, generator, Path.Combine(folder, legs.Count + ".db")).ConfigureAwait(false);
                var engine = new Dictionary<SearchMode, RetrievalMetrics>();
                foreach (var mode in new[] { SearchMode.Dense, SearchMode.Keyword, SearchMode.Hybrid })
                {
                    engine[mode] = await evaluator.MeasureAsync(set.ReportingHalf, new SearchOptions { Mode = mode }).ConfigureAwait(false);
                }

                var queries = new List<QueryLegs>();
                if (fit)
                {
                    foreach (var query in set.Queries)
                    {
                        var all = await evaluator.ScoredAsync(query.Text, new SearchOptions { Mode = SearchMode.Dense, SimilarityThreshold = -1 }, set.Corpus.Count * 4).ConfigureAwait(false);
                        var keyword = await evaluator.ScoredAsync(query.Text, new SearchOptions { Mode = SearchMode.Keyword, SimilarityThreshold = 0 }, Fetch).ConfigureAwait(false);
                        queries.Add(new QueryLegs(query, all.ToDictionary(h => h.Id, h => (double)(h.Similarity ?? (float)h.Score)), all.Take(Fetch).Select(h => h.Id).ToList(), keyword.Select(h => (h.Id, RelevanceCalibration.KeywordScoreFor(h.Score))).ToList()));
                    }
                }

                legs.Add((set, queries, engine));
            }

            Console.WriteLine("## Retrieval quality through SearchMemoryAsync (reporting halves; MRR@10 / recall@10)");
            Console.WriteLine("| Set | Corpus | Queries | Dense | Keyword | Hybrid |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (set, _, engine) in legs)
            {
                Console.WriteLine(string.Create(Inv, $"| {set.Name} | {set.Corpus.Count} | {engine[SearchMode.Dense].Queries} | {Cell(engine[SearchMode.Dense])} | {Cell(engine[SearchMode.Keyword])} | {Cell(engine[SearchMode.Hybrid])} |"));
            }

            if (fit)
            {
                Fit(legs.Select(l => (l.Set, l.Queries)).ToList());
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A margin with its sign, three decimals; one that rounds to 0 keeps the sign of its value (−0.000: slightly below).</summary>
    private static string Signed(double value) =>
        Math.Round(value, 3) == 0 ? (value < 0 ? "-0.000" : "+0.000") : value.ToString("+0.000;-0.000", Inv);

    private static string Cell(RetrievalMetrics m) => string.Create(Inv, $"{m.Mrr:F3} / {m.Recall:F3}");

    private static void Fit(List<(RetrievalSet Set, List<QueryLegs> Queries)> sets)
    {
        // 1. Calibration of each leg on the tuning halves: relevant vs irrelevant among each leg's candidates.
        var denseSamples = new List<(double X, bool Relevant)>();
        var keywordSamples = new List<(double X, bool Relevant)>();
        foreach (var q in sets.SelectMany(s => s.Queries).Where(q => q.Query.Tuning))
        {
            denseSamples.AddRange(q.DenseTop.Select(id => (q.Cosines[id], q.Query.Relevant.Contains(id))));
            keywordSamples.AddRange(q.Keyword.Where(h => h.KeywordScore > 0).Select(h => (Math.Log(h.KeywordScore), q.Query.Relevant.Contains(h.Id))));
        }

        var (denseSlope, denseIntercept) = BalancedLogistic(denseSamples);
        var (keywordSlope, keywordIntercept) = BalancedLogistic(keywordSamples);
        var denseMid = -denseIntercept / denseSlope;
        var keywordMid = Math.Exp(-keywordIntercept / keywordSlope); // normalised keyword score at 0.5
        Console.WriteLine();
        Console.WriteLine(string.Create(Inv, $"## Calibration (tuning halves, class-balanced logistic): dense slope {denseSlope:F2}, midpoint cosine {denseMid:F4} ({denseSamples.Count} samples); keyword exponent {keywordSlope:F3}, midpoint (normalised score) {keywordMid:F3} ({keywordSamples.Count} samples)"));
        Console.WriteLine(string.Create(Inv, $"   in use: dense slope {RelevanceCalibration.DenseSlope}, midpoint {RelevanceCalibration.DenseMidpoint}; keyword exponent {RelevanceCalibration.KeywordExponent}, midpoint {RelevanceCalibration.KeywordMidpoint}"));
        foreach (var (name, samples, map) in new (string, List<(double X, bool Relevant)>, Func<double, double>)[]
        {
            ("dense", denseSamples, RelevanceCalibration.Dense),
            ("keyword", keywordSamples, x => RelevanceCalibration.Keyword(Math.Exp(x))),
        })
        {
            var relevant = samples.Where(s => s.Relevant).Select(s => map(s.X)).Order().ToList();
            var irrelevant = samples.Where(s => !s.Relevant).Select(s => map(s.X)).Order().ToList();
            Console.WriteLine(string.Create(Inv, $"   {name}: relevant hits score p10 {relevant[relevant.Count / 10]:F2} / p50 {relevant[relevant.Count / 2]:F2}; irrelevant hits p50 {irrelevant[irrelevant.Count / 2]:F2} / p90 {irrelevant[irrelevant.Count * 9 / 10]:F2}; share >= 0.5: relevant {relevant.Count(v => v >= 0.5) / (double)relevant.Count:P0}, irrelevant {irrelevant.Count(v => v >= 0.5) / (double)irrelevant.Count:P0}"));
        }

        // 2. One keyword weight per convex fusion on the tuning halves: the weight whose worst margin over the better leg
        //    (across sets) is largest, ties broken by the mean MRR. The first is the previous engine rule; the others are
        //    the normalisations it was compared with.
        var fusions = new (string Name, Func<QueryLegs, double, IReadOnlyList<string>> Rank)[]
        {
            ("theoretical min-max + identifier weight (previous)", (q, w) => q.Convex(q.IdentifiersOnly ? KeywordWeight.Identifier : w)),
            ("theoretical min-max, one weight", (q, w) => q.Convex(w)),
            ("calibrated legs", (q, w) => q.ConvexOf(w, (c, _) => RelevanceCalibration.Dense(c), (b, _) => RelevanceCalibration.Keyword(b))),
            ("raw cosine + normalised keyword", (q, w) => q.ConvexOf(w, (c, _) => c, (b, _) => b)),
            ("min-max both", (q, w) => q.ConvexOf(w, (c, r) => (c - r.MinCosine) / Math.Max(r.MaxCosine - r.MinCosine, 1e-9), (b, r) => (b - r.MinKeywordScore) / Math.Max(r.MaxKeywordScore - r.MinKeywordScore, 1e-9))),
        };
        Console.WriteLine();
        Console.WriteLine("## One convex keyword weight on the tuning halves (worst margin over the better leg across sets, mean MRR@10)");
        Console.WriteLine("| w | " + string.Join(" | ", fusions.Select(f => f.Name)) + " |");
        Console.WriteLine("|---:|" + string.Concat(fusions.Select(_ => "---:|")));
        var bests = fusions.Select(_ => (Weight: 0.0, Worst: double.NegativeInfinity, Mean: 0.0)).ToArray();
        for (var step = 0; step <= 20; step++)
        {
            var w = step / 20.0;
            var cells = new List<string>();
            for (var f = 0; f < fusions.Length; f++)
            {
                var (margins, mrrs) = Margins(sets, tuning: true, q => fusions[f].Rank(q, w));
                cells.Add(string.Create(Inv, $"{Signed(margins.Min())} ({mrrs.Average():F3})"));
                if (margins.Min() > bests[f].Worst + 1e-9 || (Math.Abs(margins.Min() - bests[f].Worst) <= 1e-9 && mrrs.Average() > bests[f].Mean))
                {
                    bests[f] = (w, margins.Min(), mrrs.Average());
                }
            }

            Console.WriteLine(string.Create(Inv, $"| {w:F2} | {string.Join(" | ", cells)} |"));
        }

        Console.WriteLine("fitted weights: " + string.Join("; ", fusions.Select((f, i) => string.Create(Inv, $"{f.Name} {bests[i].Weight:F2}"))));

        // 3. The engine's rule, a keyword weight that shrinks with the dense leg's lead (KeywordWeight), fitted on a grid.
        var (fitted, grid) = FitDenseLead(sets, tuning: true);
        PrintGrid("## Keyword weight max(0, a − b · dense lead) on the tuning halves (worst margin over the better leg across sets)", grid);
        Console.WriteLine(string.Create(Inv, $"fitted (largest mean worst margin over the cell and its grid neighbours): a {fitted.A:F3}, b {fitted.B:F2}; in use: a {KeywordWeight.Base}, b {KeywordWeight.LeadSlope}"));

        // 4. Reporting halves, offline from the same legs, each fusion with the parameters fitted on the tuning halves.
        Console.WriteLine();
        Console.WriteLine("## Fusion offline from the legs (reporting halves, parameters fitted on the tuning halves; MRR@10 / recall@10)");
        Console.WriteLine("| Set | Dense | Keyword | RRF | " + string.Join(" | ", fusions.Select((f, i) => string.Create(Inv, $"{f.Name}, w {bests[i].Weight:F2}"))) + " | **dense lead (in use)** | margin |");
        Console.WriteLine("|---|---:|---:|---:|" + string.Concat(fusions.Select(_ => "---:|")) + "---:|---:|");
        foreach (var (set, queries) in sets)
        {
            var reporting = queries.Where(q => !q.Query.Tuning).ToList();
            var lead = Measure(reporting, q => q.DenseLead(KeywordWeight.Base, KeywordWeight.LeadSlope));
            var better = Math.Max(Mrr(reporting, q => q.DenseTop), Mrr(reporting, q => q.KeywordIds));
            Console.WriteLine($"| {set.Name} | {Cell(Measure(reporting, q => q.DenseTop))} | {Cell(Measure(reporting, q => q.KeywordIds))} | {Cell(Measure(reporting, q => q.Rrf()))} | "
                + string.Join(" | ", fusions.Select((f, i) => Cell(Measure(reporting, q => f.Rank(q, bests[i].Weight))))) + string.Create(Inv, $" | **{Cell(lead)}** | {Signed(lead.Mrr - better)} |"));
        }

        // 5. The same fits with the halves swapped: fitted on the reporting halves, measured on the tuning halves.
        var oneWeight = BestOneWeight(sets, tuning: false);
        var (swapped, swappedGrid) = FitDenseLead(sets, tuning: false);
        PrintGrid("## Swapped split: keyword weight max(0, a − b · dense lead) fitted on the reporting halves (worst margin)", swappedGrid);
        Console.WriteLine();
        Console.WriteLine(string.Create(Inv, $"## Swapped split, measured on the tuning halves (MRR@10; margin over the better leg): one weight fitted {oneWeight:F2}; dense lead fitted a {swapped.A:F3}, b {swapped.B:F2}"));
        Console.WriteLine("| Set | Dense | Keyword | one weight | margin | dense lead | margin |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (set, queries) in sets)
        {
            var tuning = queries.Where(q => q.Query.Tuning).ToList();
            var better = Math.Max(Mrr(tuning, q => q.DenseTop), Mrr(tuning, q => q.KeywordIds));
            var one = Mrr(tuning, q => q.Convex(q.IdentifiersOnly ? KeywordWeight.Identifier : oneWeight));
            var lead = Mrr(tuning, q => q.DenseLead(swapped.A, swapped.B));
            Console.WriteLine(string.Create(Inv, $"| {set.Name} | {Mrr(tuning, q => q.DenseTop):F3} | {Mrr(tuning, q => q.KeywordIds):F3} | {one:F3} | {Signed(one - better)} | {lead:F3} | {Signed(lead - better)} |"));
        }
    }

    /// <summary>Grid of the dense-lead rule's base weight a and slope b (the sweep shown in docs/benchmarks.md).</summary>
    private static readonly double[] LeadBases = Enumerable.Range(0, 17).Select(i => i / 40.0).ToArray();

    private static readonly double[] LeadSlopes = [0, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3];

    /// <summary>
    /// Fits a and b of <see cref="KeywordWeight.FromDenseLead"/> on one half of every set: the grid cell whose worst margin
    /// over the better leg (across sets), averaged with its grid neighbours', is largest. The average prefers a plateau
    /// to a lone spike: with 56 to 169 queries per half, one query moving one rank shifts a margin by up to 0.009.
    /// </summary>
    private static ((double A, double B) Fitted, double[,] Worst) FitDenseLead(List<(RetrievalSet Set, List<QueryLegs> Queries)> sets, bool tuning)
    {
        var worst = new double[LeadBases.Length, LeadSlopes.Length];
        for (var i = 0; i < LeadBases.Length; i++)
        {
            for (var j = 0; j < LeadSlopes.Length; j++)
            {
                var (a, b) = (LeadBases[i], LeadSlopes[j]);
                worst[i, j] = Margins(sets, tuning, q => q.DenseLead(a, b)).Margins.Min();
            }
        }

        var best = (I: 0, J: 0, Smoothed: double.NegativeInfinity);
        for (var i = 0; i < LeadBases.Length; i++)
        {
            for (var j = 0; j < LeadSlopes.Length; j++)
            {
                double sum = 0;
                var cells = 0;
                for (var x = Math.Max(0, i - 1); x <= Math.Min(LeadBases.Length - 1, i + 1); x++)
                {
                    for (var y = Math.Max(0, j - 1); y <= Math.Min(LeadSlopes.Length - 1, j + 1); y++)
                    {
                        sum += worst[x, y];
                        cells++;
                    }
                }

                if (sum / cells > best.Smoothed + 1e-12)
                {
                    best = (i, j, sum / cells);
                }
            }
        }

        return ((LeadBases[best.I], LeadSlopes[best.J]), worst);
    }

    private static double BestOneWeight(List<(RetrievalSet Set, List<QueryLegs> Queries)> sets, bool tuning)
    {
        var best = (Weight: 0.0, Worst: double.NegativeInfinity, Mean: 0.0);
        for (var step = 0; step <= 20; step++)
        {
            var w = step / 20.0;
            var (margins, mrrs) = Margins(sets, tuning, q => q.Convex(q.IdentifiersOnly ? KeywordWeight.Identifier : w));
            if (margins.Min() > best.Worst + 1e-9 || (Math.Abs(margins.Min() - best.Worst) <= 1e-9 && mrrs.Average() > best.Mean))
            {
                best = (w, margins.Min(), mrrs.Average());
            }
        }

        return best.Weight;
    }

    private static void PrintGrid(string title, double[,] worst)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine("| a \\ b | " + string.Join(" | ", LeadSlopes.Select(b => b.ToString("0.##", Inv))) + " |");
        Console.WriteLine("|---:|" + string.Concat(LeadSlopes.Select(_ => "---:|")));
        for (var i = 0; i < LeadBases.Length; i++)
        {
            Console.WriteLine(string.Create(Inv, $"| {LeadBases[i]:F3} | ") + string.Join(" | ", Enumerable.Range(0, LeadSlopes.Length).Select(j => Signed(worst[i, j]))) + " |");
        }
    }

    /// <summary>Per set, the fusion's MRR@10 minus the better leg's on one half (tuning or reporting), and the fusion's MRR@10.</summary>
    private static (List<double> Margins, List<double> Mrrs) Margins(List<(RetrievalSet Set, List<QueryLegs> Queries)> sets, bool tuning, Func<QueryLegs, IReadOnlyList<string>> rank)
    {
        var margins = new List<double>();
        var mrrs = new List<double>();
        foreach (var (_, queries) in sets)
        {
            var half = queries.Where(q => q.Query.Tuning == tuning).ToList();
            var fused = Mrr(half, rank);
            margins.Add(fused - Math.Max(Mrr(half, q => q.DenseTop), Mrr(half, q => q.KeywordIds)));
            mrrs.Add(fused);
        }

        return (margins, mrrs);
    }

    private static double Mrr(List<QueryLegs> queries, Func<QueryLegs, IReadOnlyList<string>> rank) => Measure(queries, rank).Mrr;

    private static RetrievalMetrics Measure(List<QueryLegs> queries, Func<QueryLegs, IReadOnlyList<string>> rank) =>
        RetrievalMetrics.Measure(queries.Select(q => (rank(q), q.Query.Relevant)).ToList());

    /// <summary>Logistic regression of relevance on one feature, positives and negatives weighted equally (Newton's method).</summary>
    internal static (double Slope, double Intercept) BalancedLogistic(List<(double X, bool Relevant)> samples)
    {
        var positives = samples.Count(s => s.Relevant);
        var negatives = samples.Count - positives;
        double wp = samples.Count / (2.0 * Math.Max(positives, 1)), wn = samples.Count / (2.0 * Math.Max(negatives, 1));
        double a = 1, b = 0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            foreach (var (x, relevant) in samples)
            {
                var p = RelevanceCalibration.Logistic((a * x) + b);
                var weight = relevant ? wp : wn;
                var residual = weight * ((relevant ? 1 : 0) - p);
                ga += residual * x;
                gb += residual;
                var curvature = weight * p * (1 - p);
                haa += curvature * x * x;
                hab += curvature * x;
                hbb += curvature;
            }

            var det = (haa * hbb) - (hab * hab);
            if (Math.Abs(det) < 1e-12)
            {
                break;
            }

            // Damped Newton step: halve it until the weighted log-likelihood does not get worse.
            double da = ((hbb * ga) - (hab * gb)) / det, db = ((haa * gb) - (hab * ga)) / det;
            var before = LogLikelihood(samples, a, b, wp, wn);
            for (var halving = 0; halving < 30 && LogLikelihood(samples, a + da, b + db, wp, wn) < before; halving++)
            {
                da /= 2;
                db /= 2;
            }

            a += da;
            b += db;
        }

        return (a, b);
    }

    private static double LogLikelihood(List<(double X, bool Relevant)> samples, double a, double b, double wp, double wn) =>
        samples.Sum(s => s.Relevant ? wp * Math.Log(Math.Max(RelevanceCalibration.Logistic((a * s.X) + b), 1e-300)) : wn * Math.Log(Math.Max(1 - RelevanceCalibration.Logistic((a * s.X) + b), 1e-300)));

    /// <summary>Score ranges of one query's candidates.</summary>
    private readonly record struct Ranges(double MinCosine, double MaxCosine, double MinKeywordScore, double MaxKeywordScore);

    /// <summary>Both legs of one query: the cosine of every document, the dense top candidates, the keyword hits with BM25.</summary>
    private sealed record QueryLegs(EvaluationQuery Query, Dictionary<string, double> Cosines, List<string> DenseTop, List<(string Id, double KeywordScore)> Keyword)
    {
        public List<string> KeywordIds => Keyword.Select(h => h.Id).ToList();

        /// <summary>True when every word of the query is an identifier (the engine then uses <see cref="KeywordWeight.Identifier"/>).</summary>
        public bool IdentifiersOnly { get; } = KeywordQuery.Words(Query.Text) is { Count: > 0 } words && words.All(KeywordWeight.IsIdentifier);

        /// <summary>The engine's fusion (<see cref="Fusion.Convex"/>) over the union of both legs' candidates, with one keyword weight.</summary>
        public IReadOnlyList<string> Convex(double keywordWeight)
        {
            var bm25 = Keyword.ToDictionary(h => h.Id, h => h.KeywordScore);
            var ids = DenseTop.Union(bm25.Keys).ToArray();
            var fused = Fusion.Convex(ids.Select(id => Cosines.GetValueOrDefault(id, -1)).ToArray(), ids.Select(id => bm25.GetValueOrDefault(id)).ToArray(), Math.Clamp(keywordWeight, 0, 1));
            return Order(ids, fused);
        }

        /// <summary>The engine's rule (<see cref="KeywordWeight.For"/>) with base weight <paramref name="a"/> and slope <paramref name="b"/>.</summary>
        public IReadOnlyList<string> DenseLead(double a, double b)
        {
            var dense = DenseTop.Take(2).Select(id => new ScoredRow(0, Cosines[id])).ToList();
            return Convex(IdentifiersOnly ? KeywordWeight.Identifier : KeywordWeight.FromDenseLead(KeywordWeight.DenseLead(dense), a, b));
        }

        /// <summary>Convex combination after other per-leg normalisations (the ablation).</summary>
        public IReadOnlyList<string> ConvexOf(double keywordWeight, Func<double, Ranges, double> dense, Func<double, Ranges, double> keyword)
        {
            var bm25 = Keyword.ToDictionary(h => h.Id, h => h.KeywordScore);
            var ids = DenseTop.Union(bm25.Keys).ToArray();
            var cosines = ids.Select(id => Cosines.GetValueOrDefault(id, -1)).ToArray();
            var ranges = new Ranges(cosines.Min(), cosines.Max(), Keyword.Count > 0 ? Keyword.Min(h => h.KeywordScore) : 0, Keyword.Count > 0 ? Keyword.Max(h => h.KeywordScore) : 1);
            var fused = ids.Select((id, i) => ((1 - keywordWeight) * dense(cosines[i], ranges)) + (bm25.TryGetValue(id, out var b) ? keywordWeight * keyword(b, ranges) : 0)).ToArray();
            return Order(ids, fused);
        }

        public IReadOnlyList<string> Rrf()
        {
            var ids = DenseTop.Union(KeywordIds).ToList();
            var rowIds = ids.Select((id, i) => (id, (long)i)).ToDictionary(p => p.id, p => p.Item2);
            var scores = Fusion.ReciprocalRank(DenseTop.Select(id => new ScoredRow(rowIds[id], 0)).ToList(), KeywordIds.Select(id => new ScoredRow(rowIds[id], 0)).ToList());
            return Order(ids.ToArray(), ids.Select(id => scores[rowIds[id]]).ToArray());
        }

        private static List<string> Order(string[] ids, double[] scores) =>
            ids.Select((id, i) => (Id: id, Score: scores[i])).OrderByDescending(c => c.Score).ThenBy(c => c.Id, StringComparer.Ordinal).Select(c => c.Id).ToList();
    }
}
