using System.Globalization;
using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage.Postgres;
using GopiAI.Toolkit.SemanticMemory.Tests.Evaluation;
using GopiAI.Toolkit.Testing;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// The keyword calibration of the PostgreSQL provider (<c>harness eval-pg [--fit] [--pg connection-string]</c>): the
/// evaluation sets stored in SQLite and in PostgreSQL (a PGlite server on loopback unless <c>--pg</c> names one), with the
/// real model. Prints MRR@10 / recall@10 of each mode on each provider (reporting halves); with <c>--fit</c> fits the
/// curve of <see cref="PostgresKeywordCalibration"/> on the tuning halves only (class-balanced logistic in
/// ln <c>ts_rank_cd</c>, as <see cref="RetrievalEvaluationHarness"/> fits SQLite's); and checks on the reporting halves
/// that a keyword Score means the same on both providers (the share of relevant and irrelevant hits at or above 0.5, and
/// the class-balanced share of relevant hits in each band of Score).
/// </summary>
internal static class PostgresCalibrationHarness
{
    private const int Fetch = 50; // keyword candidates per query, as the engine over-fetches for fusion
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(string repositoryRoot, bool fit, string? connectionString)
    {
        PGliteServer? server = null;
        if (connectionString is null)
        {
            server = await PGliteServer.StartAsync().ConfigureAwait(false);
            connectionString = server.ConnectionString(maxPoolSize: 4);
        }

        using var generator = new OnnxEmbeddingGenerator();
        var folder = Directory.CreateTempSubdirectory("gopiai-eval-pg-");
        try
        {
            var table = new List<string>();
            // Keyword hits: provider, tuning half?, relevant?, Score, ts_rank_cd (PostgreSQL only).
            var hits = new List<(string Provider, bool Tuning, bool Relevant, double Score, double Rank)>();
            foreach (var set in RetrievalSet.All(repositoryRoot))
            {
                var schema = "eval_" + Guid.NewGuid().ToString("N")[..12];
                foreach (var provider in new[] { "SQLite", "PostgreSQL" })
                {
                    await using var evaluator = await RetrievalEvaluator.OpenAsync(set, generator, Path.Combine(folder.FullName, schema + ".db"),
                        provider == "SQLite" ? null : c => c with { Provider = MemoryProvider.Postgres, ConnectionString = connectionString, PostgresSchema = schema }).ConfigureAwait(false);
                    var cells = new List<string>();
                    foreach (var mode in new[] { SearchMode.Dense, SearchMode.Keyword, SearchMode.Hybrid })
                    {
                        var m = await evaluator.MeasureAsync(set.ReportingHalf, new SearchOptions { Mode = mode }).ConfigureAwait(false);
                        cells.Add(string.Create(Inv, $"{m.Mrr:F3} / {m.Recall:F3}"));
                    }

                    table.Add($"| {set.Name} | {provider} | {string.Join(" | ", cells)} |");
                    foreach (var query in set.Queries)
                    {
                        foreach (var (id, score, _) in await evaluator.ScoredAsync(query.Text, new SearchOptions { Mode = SearchMode.Keyword, SimilarityThreshold = 0 }, Fetch).ConfigureAwait(false))
                        {
                            var rank = provider == "SQLite" ? 0 : PostgresKeywordCalibration.RankFor(RelevanceCalibration.KeywordScoreFor(score));
                            hits.Add((provider, query.Tuning, query.Relevant.Contains(id), score, rank));
                        }
                    }
                }
            }

            Console.WriteLine("## Retrieval quality on both providers (reporting halves; MRR@10 / recall@10)");
            Console.WriteLine("| Set | Provider | Dense | Keyword | Hybrid |");
            Console.WriteLine("|---|---|---:|---:|---:|");
            table.ForEach(Console.WriteLine);

            if (fit)
            {
                var samples = hits.Where(h => h.Provider == "PostgreSQL" && h.Tuning && h.Rank > 0).Select(h => (Math.Log(h.Rank), h.Relevant)).ToList();
                var (slope, intercept) = RetrievalEvaluationHarness.BalancedLogistic(samples);
                Console.WriteLine();
                Console.WriteLine(string.Create(Inv, $"## PostgreSQL keyword calibration (tuning halves, class-balanced logistic in ln ts_rank_cd): exponent {slope:F3}, midpoint (ts_rank_cd) {Math.Exp(-intercept / slope):G4} ({samples.Count} samples, {samples.Count(s => s.Relevant)} relevant)"));
                Console.WriteLine(string.Create(Inv, $"   in use: exponent {PostgresKeywordCalibration.Exponent}, midpoint {PostgresKeywordCalibration.Midpoint}"));
            }

            Console.WriteLine();
            Console.WriteLine("## Keyword Score on each provider (reporting halves, calibration in use)");
            Console.WriteLine("| Provider | Hits | Relevant | Relevant >= 0.5 | Irrelevant >= 0.5 | Class-balanced share relevant by Score band: [0, .2) | [.2, .4) | [.4, .6) | [.6, .8) | [.8, 1] |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var provider in new[] { "SQLite", "PostgreSQL" })
            {
                var reporting = hits.Where(h => h.Provider == provider && !h.Tuning).ToList();
                var relevant = reporting.Where(h => h.Relevant).ToList();
                var irrelevant = reporting.Where(h => !h.Relevant).ToList();
                var bands = Enumerable.Range(0, 5).Select(b =>
                {
                    bool In(double s) => s >= b * 0.2 && (s < (b + 1) * 0.2 || b == 4);
                    double r = relevant.Count(h => In(h.Score)), i = irrelevant.Count(h => In(h.Score));
                    var share = (r / Math.Max(relevant.Count, 1)) / Math.Max((r / Math.Max(relevant.Count, 1)) + (i / Math.Max(irrelevant.Count, 1)), 1e-12);
                    return r + i == 0 ? "–" : string.Create(Inv, $"{share:F2} ({r + i:N0})");
                });
                Console.WriteLine(string.Create(Inv,
                    $"| {provider} | {reporting.Count:N0} | {relevant.Count:N0} | {Share(relevant):P0} | {Share(irrelevant):P0} | {string.Join(" | ", bands)} |"));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }

        static double Share(List<(string, bool, bool, double Score, double)> hits) => hits.Count == 0 ? 0 : hits.Count(h => h.Score >= 0.5) / (double)hits.Count;
    }
}
