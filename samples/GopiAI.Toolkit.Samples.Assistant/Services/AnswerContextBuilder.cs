namespace GopiAI.Toolkit.Samples.Assistant.Services;

/// <summary>A context assembled for an answer, with its size in tokens.</summary>
/// <param name="Text">The context: relevant memories with their sources.</param>
/// <param name="Tokens">Its size in o200k_base tokens.</param>
/// <param name="Budget">The token budget it had to fit.</param>
public sealed record AnswerContext(string Text, int Tokens, int Budget)
{
    /// <summary>Gets a value indicating whether the context fits its budget.</summary>
    public bool WithinBudget => Tokens <= Budget;
}

/// <summary>Builds the context an answer is grounded on, within a token budget; cached for five minutes per question and budget.</summary>
public sealed partial class AnswerContextBuilder(MemoryStore store)
{
    /// <summary>Builds the context for <paramref name="question"/>.</summary>
    /// <param name="question">The question.</param>
    /// <param name="maxTokens">The token budget.</param>
    /// <param name="cancellationToken">Cancels the work (not part of the cache key).</param>
    /// <returns>The context and its size.</returns>
    [Monitored(Name = "AnswerContextBuilder.Build")]
    [Cached(300)]
    public partial Task<AnswerContext> BuildAsync(string question, int maxTokens, CancellationToken cancellationToken = default);

    private async Task<AnswerContext> BuildAsyncCore(string question, int maxTokens, CancellationToken cancellationToken)
    {
        var text = await store.Manager.GetContextAsync(question, maxTokens, cancellationToken).ConfigureAwait(false);
        return new AnswerContext(text, TokenCounter.Instance.Count(text), maxTokens);
    }
}
