using Microsoft.Data.Sqlite;
using GopiAI.Toolkit.SemanticMemory.Search;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// Chooses the words of a keyword query that FTS5 matches on, so that the work stays bounded whatever the query:
/// at most <see cref="MaxLookups"/> candidates are looked up in the <c>fts_vocab</c> document counts (the longest words,
/// which are the rarer ones), words found in more than <see cref="FrequentTermShare"/> of the rows are left out when
/// rarer ones remain (BM25 gives them almost no weight, yet scoring them means scoring most of the table), and at most
/// <see cref="SemanticMemoryManager.MaxKeywordTerms"/> of the rarest are kept.
/// </summary>
internal static class KeywordTerms
{
    /// <summary>Share of rows above which a term is left out of a keyword query that has rarer terms.</summary>
    public const double FrequentTermShare = 0.2;

    /// <summary>Most document-count lookups per query (one indexed read each).</summary>
    public const int MaxLookups = 256;

    /// <summary>Below this many searchable rows, a short query is matched on all its words (counting costs more than it saves).</summary>
    private const long SmallStore = 20;

    public static IReadOnlyList<string> Select(SqliteConnection connection, IReadOnlyList<string> words, long searchableRows)
    {
        var limit = SemanticMemoryManager.MaxKeywordTerms;
        if (words.Count <= 1 || (searchableRows < SmallStore && words.Count <= limit))
        {
            return words;
        }

        var candidates = words.Count <= MaxLookups
            ? words
            : words.Select((word, position) => (word, position)).OrderByDescending(c => c.word.Length).ThenBy(c => c.position)
                .Take(MaxLookups).OrderBy(c => c.position).Select(c => c.word).ToList();

        using var lookup = connection.CreateCommand();
        lookup.CommandText = "SELECT doc FROM fts_vocab WHERE term = $t;";
        var term = lookup.Parameters.Add("$t", SqliteType.Text);
        var counted = new List<(string Word, long Documents, bool Phrase)>(candidates.Count);
        foreach (var word in candidates)
        {
            if (KeywordQuery.SingleTerm(word) is not { } single)
            {
                // An identifier phrase (several tokens) has no single count; it is specific, so it counts as rare.
                counted.Add((word, 0, true));
                continue;
            }

            term.Value = single;
            counted.Add((word, lookup.ExecuteScalar() is long documents ? documents : 0, false));
        }

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
