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

    /// <summary>FTS5's BM25 k1: a term's contribution tends to idf × (k1 + 1) as its frequency in a row grows.</summary>
    private const double K1 = 1.2;

    /// <summary>
    /// The highest BM25 FTS5 can give a row for these (selected) words in a store of <paramref name="searchableRows"/>
    /// rows: Σ idf × (k1 + 1) over the words found in some row, with FTS5's idf = ln((N − n + 0.5) / (n + 0.5)) (at
    /// least 1e-6). A word of several tokens (an identifier phrase) counts as found in one row, its highest idf, so no
    /// row can exceed the result; a word found nowhere adds nothing (no row can match it).
    /// </summary>
    public static double IdealScore(SqliteConnection connection, IReadOnlyList<string> words, long searchableRows)
    {
        using var lookup = connection.CreateCommand();
        lookup.CommandText = "SELECT doc FROM fts_vocab WHERE term = $t;";
        var term = lookup.Parameters.Add("$t", SqliteType.Text);
        var rows = Math.Max(searchableRows, 1);
        var ideal = 0.0;
        foreach (var word in words)
        {
            long documents = 1;
            if (KeywordQuery.SingleTerm(word) is { } single)
            {
                term.Value = single;
                documents = lookup.ExecuteScalar() is long count ? count : 0;
                if (documents == 0)
                {
                    continue;
                }
            }

            ideal += Math.Max(Math.Log((rows - documents + 0.5) / (documents + 0.5)), 1e-6) * (K1 + 1);
        }

        return ideal > 0 ? ideal : 1;
    }
}
