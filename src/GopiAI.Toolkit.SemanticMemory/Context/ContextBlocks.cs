using System.Globalization;
using System.Text;

namespace GopiAI.Toolkit.SemanticMemory.Context;

/// <summary>
/// Lays chosen items out as numbered blocks: the items of one conversation whose positions are known form one block,
/// in conversation order (overlapping and adjacent windows merge; a gap between two windows shows as a line "…"), every
/// other item is a block of its own. Blocks come in the order their first item was chosen (the best hit first).
/// </summary>
/// <remarks>
/// A block of one item keeps the plain shape <c>[n] text</c> + <c>(source: …)</c>. A block of several turns shows each as
/// <c>role: text</c> and cites <c>conversation:{id} turns a–b</c> (1-based positions, ranges for runs), followed by
/// the source the caller gave its turns when they all share one (per-turn sources are not repeated: the turn numbers locate them).
/// </remarks>
internal static class ContextBlocks
{
    /// <summary>Between two blocks.</summary>
    public const string Separator = "\n\n";

    /// <summary>The line that marks turns left out between two windows of one block.</summary>
    public const string Gap = "…";

    /// <summary>The blocks of <paramref name="chosen"/> (in the order chosen), each a list of items in conversation order.</summary>
    public static List<List<ContextItem>> Group(IEnumerable<ContextItem> chosen)
    {
        var blocks = new List<List<ContextItem>>();
        var byConversation = new Dictionary<string, List<ContextItem>>(StringComparer.Ordinal);
        foreach (var item in chosen)
        {
            if (item is { ConversationId: { } conversation, Position: not null })
            {
                if (!byConversation.TryGetValue(conversation, out var block))
                {
                    byConversation[conversation] = block = [];
                    blocks.Add(block);
                }

                block.Add(item);
            }
            else
            {
                blocks.Add([item]);
            }
        }

        foreach (var block in blocks)
        {
            block.Sort(static (a, b) => Nullable.Compare(a.Position, b.Position));
        }

        return blocks;
    }

    /// <summary>The context text of <paramref name="chosen"/>.</summary>
    public static string Render(IEnumerable<ContextItem> chosen)
    {
        var text = new StringBuilder();
        var number = 0;
        foreach (var block in Group(chosen))
        {
            if (number > 0)
            {
                text.Append(Separator);
            }

            text.Append(CultureInfo.InvariantCulture, $"[{++number}] ");
            if (block.Count == 1)
            {
                text.Append(block[0].Content.Trim()).Append("\n(source: ").Append(block[0].Source).Append(')');
                continue;
            }

            for (var i = 0; i < block.Count; i++)
            {
                if (i > 0)
                {
                    text.Append('\n');
                    if (block[i].Position != block[i - 1].Position + 1)
                    {
                        text.Append(Gap).Append('\n');
                    }
                }

                if (block[i].Role is { Length: > 0 } role)
                {
                    text.Append(role.Trim()).Append(": ");
                }

                text.Append(block[i].Content.Trim());
            }

            text.Append("\n(source: ").Append(Citation(block)).Append(')');
        }

        return text.ToString();
    }

    /// <summary><c>conversation:{id} turns 3–5, 9</c>, then the caller's source when every turn of the block has that one.</summary>
    public static string Citation(IReadOnlyList<ContextItem> block)
    {
        var citation = new StringBuilder("conversation:").Append(block[0].ConversationId).Append(" turns ");
        var start = 0;
        for (var i = 1; i <= block.Count; i++)
        {
            if (i < block.Count && block[i].Position == block[i - 1].Position + 1)
            {
                continue;
            }

            if (start > 0)
            {
                citation.Append(", ");
            }

            citation.Append(block[start].Position!.Value + 1);
            if (i - 1 > start)
            {
                citation.Append('–').Append(block[i - 1].Position!.Value + 1);
            }

            start = i;
        }

        // Turn numbers locate each turn; a source the caller gave is repeated only when the whole block shares it.
        if (block.All(item => item.ExplicitSource) && block.Skip(1).All(item => string.Equals(item.Source, block[0].Source, StringComparison.Ordinal)))
        {
            citation.Append("; ").Append(block[0].Source);
        }

        return citation.ToString();
    }
}
