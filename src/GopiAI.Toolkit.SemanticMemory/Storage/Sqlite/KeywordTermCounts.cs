using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// Document counts of keyword terms for choosing which words a query matches (<see cref="KeywordTerms.Select"/>),
/// the frequent ones remembered. <c>fts5vocab</c> keeps no count: it reads the term's whole posting list (about 45 ns
/// per row holding it), so counting the common words of a long query at 100,000 rows would cost more than ranking.
/// A count of at least <see cref="RememberFrom"/> is kept for <see cref="MaxAgeInWrites"/> commits of this store (the
/// choice is a heuristic: a count a few commits old chooses as well); a rarer term is counted afresh, which is cheap.
/// The scores never use these counts (<see cref="KeywordTerms.IdealScore(SqliteConnection, KeywordPlan, long)"/> counts the chosen words afresh).
/// </summary>
internal sealed class KeywordTermCounts
{
    /// <summary>Counts at least this are remembered (counting a rarer term reads under ~25 µs of postings).</summary>
    public const long RememberFrom = 512;

    /// <summary>Commits after which a remembered count is read again.</summary>
    public const long MaxAgeInWrites = 16;

    /// <summary>Most terms remembered; when full, the memory starts over (frequent terms are few, see Zipf).</summary>
    public const int Capacity = 8_192;

    private readonly ConcurrentDictionary<string, (long Documents, long Version)> _counts = new(StringComparer.Ordinal);

    /// <summary>
    /// Rows holding the FTS5 term <paramref name="single"/>, remembered or read with <paramref name="lookup"/> (through
    /// its parameter <paramref name="term"/>); <c>Read</c>: read from the index now (exact).
    /// </summary>
    public (long Documents, bool Read) Count(SqliteCommand lookup, SqliteParameter term, string single, long writeVersion)
    {
        if (_counts.TryGetValue(single, out var known) && writeVersion - known.Version <= MaxAgeInWrites)
        {
            return (known.Documents, false);
        }

        term.Value = single;
        var documents = lookup.ExecuteScalar() is long count ? count : 0;
        if (documents >= RememberFrom)
        {
            if (_counts.Count >= Capacity)
            {
                _counts.Clear();
            }

            _counts[single] = (documents, writeVersion);
        }

        return (documents, true);
    }

    /// <summary>Forgets every count (the store's content was replaced).</summary>
    public void Clear() => _counts.Clear();
}
