using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// Turns free text into a safe FTS5 MATCH expression: every word becomes a quoted phrase, joined with OR. Common
/// English function words are left out when the query has other words: they match nearly every row, which costs a
/// BM25 evaluation per row and adds nothing to the ranking.
/// </summary>
internal static class KeywordQuery
{
    private static readonly FrozenSet<string> StopWords = new[]
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does", "for",
        "from", "had", "has", "have", "he", "her", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
        "me", "my", "no", "not", "of", "on", "or", "our", "she", "so", "than", "that", "the", "their", "them",
        "then", "there", "these", "they", "this", "to", "was", "we", "were", "what", "when", "where", "which",
        "who", "why", "will", "with", "would", "you", "your",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns null when the text has no letters or digits (nothing to match).</summary>
    public static string? ToMatchExpression(string text) => ToMatchExpression(Words(text));

    /// <summary>The words worth matching: quotes removed, function words dropped (unless nothing else is left), each once.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            // Identifiers such as ERR_CONN_4471 or user.id stay one quoted phrase: FTS5 tokenises inside the quotes,
            // so the pieces must appear next to each other, which is what an exact identifier means.
            var cleaned = word.Replace("\"", string.Empty, StringComparison.Ordinal);
            if (cleaned.Any(char.IsLetterOrDigit))
            {
                words.Add(cleaned);
            }
        }

        var content = words.Where(w => !StopWords.Contains(w.Trim(Punctuation))).ToList();
        return (content.Count > 0 ? content : words).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Joins words into an OR of quoted phrases; null when there are none.</summary>
    public static string? ToMatchExpression(IEnumerable<string> words)
    {
        var builder = new StringBuilder();
        foreach (var word in words)
        {
            if (builder.Length > 0)
            {
                builder.Append(" OR ");
            }

            builder.Append('"').Append(word).Append('"');
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>
    /// A match expression whose rows are those holding a <paramref name="required"/> word, scored by every word:
    /// <c>(R…) AND (R… OR S…)</c>. FTS5 scores each phrase of the expression, so a required word counts twice (the
    /// store subtracts the required words' own score once); null when there is no required word. Without scoring words
    /// it is <see cref="ToMatchExpression(IEnumerable{string})"/>.
    /// </summary>
    public static string? ToMatchExpression(IReadOnlyList<string> required, IReadOnlyList<string> scoring)
    {
        if (ToMatchExpression(required) is not { } rows)
        {
            return null;
        }

        return scoring.Count == 0 ? rows : $"({rows}) AND ({rows} OR {ToMatchExpression(scoring)})";
    }

    /// <summary>
    /// The FTS5 term a word becomes when it is a single token (letters and digits only): lower-cased, diacritics removed,
    /// as the unicode61 tokenizer does. Null for a word of several tokens (an identifier phrase), which is always kept.
    /// </summary>
    public static string? SingleTerm(string word)
    {
        var trimmed = word.Trim(Punctuation);
        if (trimmed.Length == 0 || !trimmed.All(char.IsLetterOrDigit))
        {
            return null;
        }

        var decomposed = trimmed.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private static readonly char[] Punctuation = ['?', '!', '.', ',', ';', ':', '\'', '(', ')'];
}
