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
/// <c>--show</c> prints the scripted contexts that miss their answer with the default windows.
/// </summary>
internal static class ContextEvaluationHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly int[] Budgets = [100, 150, 200, 300, 600];

    public static async Task RunAsync(string repositoryRoot, bool fit, bool show)
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
