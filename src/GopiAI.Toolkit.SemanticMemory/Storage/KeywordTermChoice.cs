namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>
/// Which words of a keyword query a provider matches on, so that the work stays bounded whatever the query (shared by
/// the providers; each supplies the document counts from its own index): at most <see cref="MaxLookups"/> candidates
/// are counted (the longest words, which are the rarer ones), words found in more than <see cref="FrequentTermShare"/>
/// of the rows are left out when rarer ones remain, and at most <see cref="SemanticMemoryManager.MaxKeywordTerms"/> of
/// the rarest are kept.
/// </summary>
internal static class KeywordTermChoice
{
    /// <summary>Share of rows above which a term is left out of a keyword query that has rarer terms.</summary>
    public const double FrequentTermShare = 0.2;

    /// <summary>Most document-count lookups per query.</summary>
    public const int MaxLookups = 256;

    /// <summary>Below this many searchable rows, a short query is matched on all its words (counting costs more than it saves).</summary>
    public const long SmallStore = 20;

    /// <summary>Whether the words are used as they are, without counting (a single word, or a short query on a small store).</summary>
    public static bool UseAll(IReadOnlyList<string> words, long searchableRows) =>
        words.Count <= 1 || (searchableRows < SmallStore && words.Count <= SemanticMemoryManager.MaxKeywordTerms);

    /// <summary>The words whose document counts are looked up: all of them, or the <see cref="MaxLookups"/> longest in query order.</summary>
    public static IReadOnlyList<string> Candidates(IReadOnlyList<string> words) =>
        words.Count <= MaxLookups
            ? words
            : words.Select((word, position) => (word, position)).OrderByDescending(c => c.word.Length).ThenBy(c => c.position)
                .Take(MaxLookups).OrderBy(c => c.position).Select(c => c.word).ToList();

    /// <summary>
    /// Chooses from counted candidates (in query order; <c>Phrase</c>: a word of several tokens, which has no single count
    /// and counts as rare).
    /// </summary>
    public static IReadOnlyList<string> Choose(List<(string Word, long Documents, bool Phrase)> counted, long searchableRows)
    {
        var limit = SemanticMemoryManager.MaxKeywordTerms;
        if (counted.Count > limit)
        {
            // Cutting down: a word in no document cannot match, so it is the first to go.
            counted.RemoveAll(c => !c.Phrase && c.Documents == 0);
            if (counted.Count == 0)
            {
                return [];
            }
        }

        var selective = searchableRows < SmallStore ? counted : counted.Where(c => c.Documents <= searchableRows * FrequentTermShare).ToList();
        if (selective.Count == 0)
        {
            return [counted.MinBy(c => c.Documents).Word];
        }

        return selective.Count <= limit
            ? selective.Select(c => c.Word).ToList()
            : selective.Select((c, position) => (c, position)).OrderBy(x => x.c.Documents).ThenBy(x => x.position).Take(limit)
                .OrderBy(x => x.position).Select(x => x.c.Word).ToList();
    }
}
