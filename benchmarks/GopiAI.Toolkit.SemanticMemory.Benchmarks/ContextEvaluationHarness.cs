using System.Globalization;
using GopiAI.Toolkit.SemanticMemory.Context;
using GopiAI.Toolkit.SemanticMemory.Tests.Evaluation;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// Conversation-aware context on the assistant sample (issue 13): <c>harness context</c> stores the sample's turns,
/// asks its 12 scripted questions through <c>GetContextAsync</c> with the real model, and prints the share of contexts
/// that hold the answer phrase for several budgets, without conversation windows (the behaviour before) and with them;
/// then the same on the larger opening-question set (<see cref="ContextEvaluation.OpeningQuestions"/>).
/// <c>--fit</c> sweeps <see cref="ContextBuilder.NeighbourWeight"/> on the opening set's tuning half only.
/// <c>--show</c> prints the scripted contexts that miss their answer with the default windows; <c>--latency</c> measures only
/// the cost of <c>GetContextAsync</c> with windows against without.
/// </summary>
internal static class ContextEvaluationHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly int[] Budgets = [100, 150, 200, 300, 600];

    public static async Task RunAsync(string repositoryRoot, bool fit, bool show, bool latencyOnly = false)
    {
        using var generator = new OnnxEmbeddingGenerator();
        var folder = Path.Combine(Path.GetTempPath(), "gopiai-context-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var evaluation = new ContextEvaluation(repositoryRoot);
            var all = Path.Combine(folder, "assistant.db");
            var withoutOpenings = Path.Combine(folder, "without-openings.db");
            await evaluation.StoreAsync(generator, all).ConfigureAwait(false);
            await evaluation.StoreAsync(generator, withoutOpenings, withoutOpenings: true).ConfigureAwait(false);
            var openings = evaluation.OpeningQuestions();
            if (latencyOnly)
            {
                await LatencyAsync(generator, all, evaluation.ScriptedQuestions().Concat(openings.Select(q => q.Question)).Select(q => q.Question).ToList()).ConfigureAwait(false);
                return;
            }

            var defaults = new MemoryConfig();
            (int Before, int After)[] windows = [(0, 0), (1, 1), (defaults.ContextTurnsBefore, defaults.ContextTurnsAfter), (4, 4)];

            if (fit)
            {
                var tuning = openings.Where(q => q.Tuning).Select(q => q.Question).ToList();
                Console.WriteLine($"## Neighbour weight on the opening questions' tuning half ({tuning.Count} questions), window −{defaults.ContextTurnsBefore}/+{defaults.ContextTurnsAfter}: answers held, summed over budgets {string.Join('/', Budgets)}");
                Console.WriteLine("| Weight | " + string.Join(" | ", Budgets.Select(b => b + " tokens")) + " | Sum |");
                Console.WriteLine("|---:|" + string.Concat(Budgets.Select(_ => "---:|")) + "---:|");
                var none = new List<int>();
                foreach (var budget in Budgets)
                {
                    none.Add((await ContextEvaluation.MeasureAsync(generator, withoutOpenings, tuning, 0, 0, budget).ConfigureAwait(false)).Contained);
                }

                Console.WriteLine($"| no window | {string.Join(" | ", none)} | {none.Sum()} |");
                foreach (var weight in new[] { 0.3, 0.5, 0.7, 0.85, 1.0 })
                {
                    var held = new List<int>();
                    foreach (var budget in Budgets)
                    {
                        held.Add((await ContextEvaluation.MeasureAsync(generator, withoutOpenings, tuning, defaults.ContextTurnsBefore, defaults.ContextTurnsAfter, budget, weight).ConfigureAwait(false)).Contained);
                    }

                    Console.WriteLine(string.Create(Inv, $"| {weight:0.##} | {string.Join(" | ", held)} | {held.Sum()} |"));
                }
            }

            await TableAsync("the 12 scripted questions of the assistant sample, all 414 turns stored", evaluation.ScriptedQuestions(), all).ConfigureAwait(false);
            await TableAsync("opening questions, reporting half (answer = the assistant's whole reply; openings not stored)", openings.Where(q => !q.Tuning).Select(q => q.Question).ToList(), withoutOpenings).ConfigureAwait(false);

            await LatencyAsync(generator, all, evaluation.ScriptedQuestions().Concat(openings.Select(q => q.Question)).Select(q => q.Question).ToList()).ConfigureAwait(false);

            if (show)
            {
                await using var memory = await SemanticMemoryManager.OpenAsync(new MemoryConfig { IndexPath = all }, generator).ConfigureAwait(false);
                foreach (var budget in new[] { 150, 300 })
                {
                    foreach (var question in evaluation.ScriptedQuestions())
                    {
                        var context = await memory.GetContextAsync(question.Question, budget).ConfigureAwait(false);
                        if (!context.Contains(question.Expect, StringComparison.OrdinalIgnoreCase))
                        {
                            Console.WriteLine($"### {budget} tokens, missed: {question.Question} (expect \"{question.Expect}\" from {question.Conversation})\n{context}\n");
                        }
                    }
                }
            }
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        static async Task LatencyAsync(OnnxEmbeddingGenerator generator, string path, IReadOnlyList<string> questions)
        {
            // Same file, same questions, the two settings interleaved question by question (load hits both alike); no result cache.
            await using var off = await SemanticMemoryManager.OpenAsync(new MemoryConfig { IndexPath = path, ResultCacheSize = 0, ContextTurnsBefore = 0, ContextTurnsAfter = 0 }, generator).ConfigureAwait(false);
            await using var on = await SemanticMemoryManager.OpenAsync(new MemoryConfig { IndexPath = path, ResultCacheSize = 0 }, generator).ConfigureAwait(false);
            Console.WriteLine($"## GetContextAsync latency, {questions.Count} questions (the 12 scripted + the opening questions), windows off vs default, interleaved");
            Console.WriteLine("| Budget | Off p50 | Off p95 | Default p50 | Default p95 | p50 ratio |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var budget in new[] { 300, 2000 })
            {
                var times = (Off: new List<double>(), On: new List<double>());
                await off.GetContextAsync("warm up", budget).ConfigureAwait(false);
                await on.GetContextAsync("warm up", budget).ConfigureAwait(false);
                foreach (var question in questions)
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await off.GetContextAsync(question, budget).ConfigureAwait(false);
                    times.Off.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await on.GetContextAsync(question, budget).ConfigureAwait(false);
                    times.On.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                static double P(List<double> values, double q) => values.Order().ElementAt((int)Math.Min(values.Count - 1, Math.Floor(q * values.Count)));
                Console.WriteLine(string.Create(Inv, $"| {budget} | {P(times.Off, 0.5):F1} ms | {P(times.Off, 0.95):F1} ms | {P(times.On, 0.5):F1} ms | {P(times.On, 0.95):F1} ms | {P(times.On, 0.5) / P(times.Off, 0.5):F2}× |"));
            }
        }

        async Task TableAsync(string title, IReadOnlyList<ContextQuestion> questions, string path)
        {
            var defaults = new MemoryConfig();
            (int Before, int After)[] windows = [(0, 0), (1, 1), (defaults.ContextTurnsBefore, defaults.ContextTurnsAfter), (4, 4)];
            Console.WriteLine($"## Contexts holding the answer: {title}");
            Console.WriteLine("| Budget (tokens) | " + string.Join(" | ", windows.Select(w => w == (0, 0) ? "no window (before)" : $"window −{w.Before}/+{w.After}")) + " |");
            Console.WriteLine("|---:|" + string.Concat(windows.Select(_ => "---:|")));
            foreach (var budget in Budgets)
            {
                var cells = new List<string>();
                foreach (var (before, after) in windows)
                {
                    var outcome = await ContextEvaluation.MeasureAsync(generator, path, questions, before, after, budget).ConfigureAwait(false);
                    cells.Add(string.Create(Inv, $"{outcome.Contained}/{outcome.Total}") + (outcome.Missed.Count is > 0 and <= 4 ? " (missed " + string.Join(", ", outcome.Missed) + ")" : string.Empty));
                }

                Console.WriteLine($"| {budget} | {string.Join(" | ", cells)} |");
            }
        }
    }
}
