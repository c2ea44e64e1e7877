using Microsoft.Data.Sqlite;
using GopiAI.Toolkit.SemanticMemory.Search;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// The SQLite side of <see cref="KeywordTermChoice"/> (which words of a keyword query are matched, the same rule on
/// every provider): the document counts come from <c>fts_vocab</c>, one indexed read per candidate word.
/// </summary>
internal static class KeywordTerms
{
    public static IReadOnlyList<string> Select(SqliteConnection connection, IReadOnlyList<string> words, long searchableRows)
    {
        if (KeywordTermChoice.UseAll(words, searchableRows))
        {
            return words;
        }

        using var lookup = connection.CreateCommand();
        lookup.CommandText = "SELECT doc FROM fts_vocab WHERE term = $t;";
        var term = lookup.Parameters.Add("$t", SqliteType.Text);
        var counted = new List<(string Word, long Documents, bool Phrase)>();
        foreach (var word in KeywordTermChoice.Candidates(words))
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

        return KeywordTermChoice.Choose(counted, searchableRows);
    }
}
