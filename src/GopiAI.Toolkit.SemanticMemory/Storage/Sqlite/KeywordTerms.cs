using Microsoft.Data.Sqlite;
using GopiAI.Toolkit.SemanticMemory.Search;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// The SQLite side of <see cref="KeywordTermChoice"/> (which words of a keyword query are matched, the same rule on
/// every provider): the document counts come from <c>fts_vocab</c>, one indexed read per candidate word, the frequent
/// words' counts remembered (<see cref="KeywordTermCounts"/>).
/// </summary>
internal static class KeywordTerms
{
    /// <summary>
    /// The words to match (<see cref="KeywordTermChoice"/>), counting their documents with <paramref name="counts"/>.
    /// </summary>
    public static KeywordPlan Select(SqliteConnection connection, IReadOnlyList<string> words, long searchableRows, KeywordTermCounts counts, long writeVersion)
    {
        if (words.Count > 1 && KeywordTermChoice.UseAll(words, searchableRows))
        {
            return new KeywordPlan(words, [], KeywordTermChoice.RankBudget, new Dictionary<string, long>(StringComparer.Ordinal), 0);
        }

        using var lookup = connection.CreateCommand();
        lookup.CommandText = "SELECT doc FROM fts_vocab WHERE term = $t;";
        var term = lookup.Parameters.Add("$t", SqliteType.Text);
        var fresh = new Dictionary<string, long>(StringComparer.Ordinal);
        var lookups = 0;
        var counted = new List<(string Word, long Documents, bool Phrase)>();
        foreach (var word in words.Count > 1 ? KeywordTermChoice.Candidates(words) : words)
        {
            if (KeywordQuery.SingleTerm(word) is not { } single)
            {
                // An identifier phrase (several tokens) has no single count; it is specific, so it counts as rare.
                counted.Add((word, 0, true));
                continue;
            }

            var (documents, read) = counts.Count(lookup, term, single, writeVersion);
            if (read)
            {
                fresh[single] = documents;
                lookups++;
            }

            counted.Add((word, documents, false));
        }

        var known = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (word, documents, _) in counted)
        {
            known.TryAdd(word, documents);
        }

        var chosen = words.Count > 1 ? KeywordTermChoice.Choose(counted, searchableRows) : words;
        var (required, scoring, rows) = KeywordTermChoice.Split(chosen.Select(w => (w, known.GetValueOrDefault(w))).ToList());
        return new KeywordPlan(required, scoring, rows, fresh, lookups);
    }

    /// <summary>FTS5's BM25 k1: a term's contribution tends to idf × (k1 + 1) as its frequency in a row grows.</summary>
    private const double K1 = 1.2;

    /// <summary>
    /// The highest BM25 FTS5 can give a row for these (selected) words in a store of <paramref name="searchableRows"/>
    /// rows: Σ idf × (k1 + 1) over the words found in some row, with FTS5's idf = ln((N − n + 0.5) / (n + 0.5)) (at
    /// least 1e-6). A word of several tokens (an identifier phrase) counts as found in one row, its highest idf, so no
    /// row can exceed the result; a word found nowhere adds nothing (no row can match it).
    /// </summary>
    public static double IdealScore(SqliteConnection connection, KeywordPlan plan, long searchableRows) =>
        IdealScore(connection, plan.Required, plan.ExactCounts, searchableRows) + (plan.Scoring.Count == 0 ? 0 : IdealScore(connection, plan.Scoring, plan.ExactCounts, searchableRows));

    private static double IdealScore(SqliteConnection connection, IReadOnlyList<string> words, IReadOnlyDictionary<string, long> exactCounts, long searchableRows)
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
                // Exact counts only (the score must not depend on what was remembered): read now unless just read.
                if (!exactCounts.TryGetValue(single, out documents))
                {
                    term.Value = single;
                    documents = lookup.ExecuteScalar() is long count ? count : 0;
                }

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

/// <summary>
/// What a keyword query matches (<see cref="KeywordTermChoice.Split"/>): the <c>Required</c> words (their rows are
/// ranked), the <c>Scoring</c> words (they only add to the score), the rows the required words' counts add up to
/// (<c>Rows</c>, which decides how many are ranked: <see cref="KeywordTermChoice.RowsToRank"/>), the counts read
/// exactly during the choice (by FTS5 term) and how many were read from the index (<c>Lookups</c>).
/// </summary>
internal sealed record KeywordPlan(
    IReadOnlyList<string> Required, IReadOnlyList<string> Scoring, long Rows, IReadOnlyDictionary<string, long> ExactCounts, int Lookups)
{
    /// <summary>The match expression (<see cref="KeywordQuery.ToMatchExpression(IReadOnlyList{string}, IReadOnlyList{string})"/>).</summary>
    public string? MatchExpression => KeywordQuery.ToMatchExpression(Required, Scoring);

    /// <summary>The required words alone (their score is counted twice in <see cref="MatchExpression"/> when there are scoring words).</summary>
    public string? RequiredExpression => KeywordQuery.ToMatchExpression(Required);
}
