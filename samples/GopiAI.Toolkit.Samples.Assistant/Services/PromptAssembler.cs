using System.Text;

namespace GopiAI.Toolkit.Samples.Assistant.Services;

/// <summary>A scratch buffer for assembling prompts, pooled so that each question does not allocate a new 8 KB builder.</summary>
[Pooled(MaxRetained = 8)]
public sealed partial class PromptScratchBuffer
{
    /// <summary>Gets the text being assembled.</summary>
    public StringBuilder Text { get; } = new(8 * 1024);

    /// <summary>Clears the buffer before it goes back to the pool.</summary>
    public void Reset() => Text.Clear();
}

/// <summary>An assembled prompt.</summary>
/// <param name="Text">The prompt text.</param>
/// <param name="Tokens">Its size in tokens.</param>
public sealed record AssembledPrompt(string Text, int Tokens);

/// <summary>Assembles the prompt a language model would receive: instructions, the memory context, the tool and the question.</summary>
public sealed partial class PromptAssembler
{
    /// <summary>Assembles the prompt.</summary>
    /// <param name="question">The user's question.</param>
    /// <param name="context">The grounding context.</param>
    /// <param name="tool">The suggested tool.</param>
    /// <returns>The prompt and its size in tokens.</returns>
    [Monitored(Name = "PromptAssembler.Assemble")]
    public partial AssembledPrompt Assemble(string question, AnswerContext context, AssistantTool tool);

    private AssembledPrompt AssembleCore(string question, AnswerContext context, AssistantTool tool)
    {
        using var buffer = PromptScratchBuffer.RentScoped();
        var text = buffer.Value.Text;
        text.AppendLine("You are a helpful assistant. Answer from the notes below; say so when they do not cover the question.")
            .AppendLine()
            .AppendLine("## Notes from earlier conversations")
            .AppendLine(context.Text.Length == 0 ? "(nothing relevant)" : context.Text)
            .AppendLine()
            .Append("## Tool available: ").Append(tool.Name).Append(" — ").AppendLine(tool.Description)
            .AppendLine()
            .Append("## Question").AppendLine()
            .AppendLine(question);
        var prompt = text.ToString();
        return new AssembledPrompt(prompt, TokenCounter.Instance.Count(prompt));
    }
}
