namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>
/// The part of a long query that the bundled model reads. It stops after <see cref="OnnxEmbeddingGenerator.MaxTokens"/>
/// word pieces, and its tokenizer splits on white space before it cuts words into pieces, so the first words of the
/// query hold those pieces: cutting after twice that many words embeds the same vector (a word yields at least one
/// piece; the factor two covers words made only of characters the tokenizer drops) while the tokenizer no longer
/// reads tens of thousands of characters it would throw away.
/// </summary>
internal static class DenseQuery
{
    public static string Text(string query, int? maxTokens)
    {
        if (maxTokens is not { } max || query.Length <= max * 8)
        {
            return query;
        }

        var limit = 2 * max;
        var words = 0;
        var inWord = false;
        for (var i = 0; i < query.Length; i++)
        {
            var space = char.IsWhiteSpace(query[i]);
            if (!space && !inWord && ++words > limit)
            {
                return query[..i];
            }

            inWord = !space;
        }

        return query;
    }
}
