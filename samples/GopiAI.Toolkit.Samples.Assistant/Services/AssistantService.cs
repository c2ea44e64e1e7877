using GopiAI.Toolkit.SemanticMemory;
using Microsoft.Extensions.Logging;

namespace GopiAI.Toolkit.Samples.Assistant.Services;

/// <summary>The answer to one question: what memory found, the context within budget, the tool and the prompt.</summary>
/// <param name="Question">The question.</param>
/// <param name="Results">The top results, best first.</param>
/// <param name="Context">The context assembled within the token budget.</param>
/// <param name="Tool">The suggested tool.</param>
/// <param name="Prompt">The assembled prompt.</param>
public sealed record AssistantAnswer(string Question, IReadOnlyList<MemoryResult> Results, AnswerContext Context, AssistantTool Tool, AssembledPrompt Prompt);

/// <summary>The assistant's entry point: every public method is timed by <c>[Monitored]</c> on the class.</summary>
[Monitored(SlowThresholdMs = 1000)]
public sealed partial class AssistantService
{
    private readonly KnowledgeBase _knowledge;
    private readonly AnswerContextBuilder _contexts;
    private readonly ToolCatalog _tools;
    private readonly PromptAssembler _prompts;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="AssistantService"/> class.</summary>
    /// <param name="knowledge">Searches memory.</param>
    /// <param name="contexts">Builds contexts.</param>
    /// <param name="tools">Picks tools.</param>
    /// <param name="prompts">Assembles prompts.</param>
    /// <param name="logger">Receives slow-call warnings.</param>
    public AssistantService(KnowledgeBase knowledge, AnswerContextBuilder contexts, ToolCatalog tools, PromptAssembler prompts, ILogger<AssistantService> logger)
    {
        _knowledge = knowledge;
        _contexts = contexts;
        _tools = tools;
        _prompts = prompts;
        _logger = logger;
    }

    /// <summary>Answers a question from memory.</summary>
    /// <param name="question">The question; not empty.</param>
    /// <param name="top">How many results to return.</param>
    /// <param name="tokenBudget">The context's token budget.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentException"><paramref name="question"/> is empty or white space.</exception>
    public partial Task<AssistantAnswer> AskAsync(string question, int top, int tokenBudget, CancellationToken cancellationToken = default);

    private async Task<AssistantAnswer> AskAsyncCore(string question, int top, int tokenBudget, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        var results = await _knowledge.SearchAsync(question, top, cancellationToken).ConfigureAwait(false);
        var context = await _contexts.BuildAsync(question, tokenBudget, cancellationToken).ConfigureAwait(false);
        var topic = results.Count > 0 && results[0].Metadata.TryGetValue("topic", out var t) ? t : "general";
        var tool = _tools.ResolveTool(topic);
        var prompt = _prompts.Assemble(question, context, tool);
        return new AssistantAnswer(question, results, context, tool, prompt);
    }
}
