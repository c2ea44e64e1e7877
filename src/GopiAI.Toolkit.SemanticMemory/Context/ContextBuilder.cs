using System.Text;
using Microsoft.ML.Tokenizers;

namespace GopiAI.Toolkit.SemanticMemory.Context;

/// <summary>
/// Packs ranked results into a context string: by relevance, skipping any item that would overflow the budget and
/// trying the next, dropping duplicate texts, with a source citation per item. The budget is checked by counting the
/// whole candidate string (BPE counts are not additive across joins), so the result can never exceed it.
/// </summary>
internal sealed class ContextBuilder(Tokenizer tokenizer)
{
    private const string Separator = "\n\n";
    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    /// <summary>o200k_base, the tokenizer of GPT-4o and later OpenAI models.</summary>
    public static Tokenizer DefaultTokenizer => O200k.Value;

    public Tokenizer Tokenizer { get; } = tokenizer;

    /// <summary>How many search results to consider for a budget (more than can fit, so skipped items have replacements).</summary>
    public static int CandidateCount(int maxTokens) => Math.Clamp(maxTokens / 16, 10, 100);

    public string Build(IReadOnlyList<MemoryResult> results, int maxTokens)
    {
        var context = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var result in results)
        {
            if (!seen.Add(Normalize(result.Content)))
            {
                continue;
            }

            var item = $"[{number + 1}] {result.Content.Trim()}\n(source: {result.Source})";
            var candidate = context.Length == 0 ? item : string.Concat(context.ToString(), Separator, item);
            if (Tokenizer.CountTokens(candidate) > maxTokens)
            {
                seen.Remove(Normalize(result.Content));
                continue;
            }

            if (context.Length > 0)
            {
                context.Append(Separator);
            }

            context.Append(item);
            number++;
        }

        return context.ToString();
    }

    private static string Normalize(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}
