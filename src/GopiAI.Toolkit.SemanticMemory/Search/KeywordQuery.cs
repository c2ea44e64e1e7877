using System.Text;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>Turns free text into a safe FTS5 MATCH expression: every word becomes a quoted phrase, joined with OR.</summary>
internal static class KeywordQuery
{
    /// <summary>Returns null when the text has no letters or digits (nothing to match).</summary>
    public static string? ToMatchExpression(string text)
    {
        var builder = new StringBuilder();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            // Identifiers such as ERR_CONN_4471 or user.id stay one quoted phrase: FTS5 tokenises inside the quotes,
            // so the pieces must appear next to each other, which is what an exact identifier means.
            var cleaned = word.Replace("\"", string.Empty, StringComparison.Ordinal);
            if (!cleaned.Any(char.IsLetterOrDigit))
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(" OR ");
            }

            builder.Append('"').Append(cleaned).Append('"');
        }

        return builder.Length == 0 ? null : builder.ToString();
    }
}
