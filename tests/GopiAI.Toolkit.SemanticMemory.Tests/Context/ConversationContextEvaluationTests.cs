using GopiAI.Toolkit.SemanticMemory.Tests.Evaluation;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Xunit.Abstractions;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Context;

/// <summary>
/// Issue 13's measure of conversation-aware context: of the assistant sample's 12 scripted questions, how many contexts
/// hold the answer phrase, without conversation windows (the behaviour before) and with the default windows, at the
/// sample's 300-token budget, with the real model.
/// </summary>
[Collection(ModelCollection.Name)]
[Trait("Category", "Evaluation")]
public sealed class ConversationContextEvaluationTests(ModelFixture model, ITestOutputHelper output)
{
    /// <summary>The sample's default budget (AssistantOptions.TokenBudget).</summary>
    private const int Budget = 300;

    [Fact]
    public async Task GetContextAsync_ScriptedQuestions_DefaultWindowsHoldMoreAnswersThanNone()
    {
        var evaluation = new ContextEvaluation(TestPaths.RepoRoot);
        using var folder = new TempDirectory();
        var path = folder.File("assistant.db");
        await evaluation.StoreAsync(model.Generator, path);
        var defaults = new MemoryConfig();

        var before = await ContextEvaluation.MeasureAsync(model.Generator, path, evaluation.ScriptedQuestions(), 0, 0, Budget);
        var after = await ContextEvaluation.MeasureAsync(model.Generator, path, evaluation.ScriptedQuestions(), defaults.ContextTurnsBefore, defaults.ContextTurnsAfter, Budget);

        foreach (var outcome in new[] { before, after })
        {
            output.WriteLine($"window -{outcome.TurnsBefore}/+{outcome.TurnsAfter}, {outcome.Budget} tokens: {outcome.Contained}/{outcome.Total} contexts hold the answer (mean {outcome.MeanTokens:F0} tokens); missed: {string.Join(", ", outcome.Missed)}");
        }

        Assert.True(after.Contained > before.Contained, $"with windows {after.Contained}/{after.Total}, without {before.Contained}/{before.Total}");
    }
}
