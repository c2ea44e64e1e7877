namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>
/// Which words of a keyword query a provider matches on, so that the work stays bounded whatever the query (shared by
/// the providers; each supplies the document counts from its own index): at most <see cref="MaxLookups"/> candidates
/// are counted (the longest words, which are the rarer ones), words found in more than <see cref="FrequentTermShare"/>
/// of the rows are left out when rarer ones remain, and at most <see cref="SemanticMemoryManager.MaxKeywordTerms"/> of
/// the rarest are kept (<see cref="Choose"/>). <see cref="Split"/> then bounds the ranking: BM25 costs about a
/// microsecond per matching row plus a fifth of one per word per row, so ranking every row that holds any chosen word
/// grows with the store. Only the most selective words decide which rows are ranked (<c>Required</c>, at most
/// <see cref="RankBudget"/> rows by their counts); the others still add to the score of those rows (<c>Scoring</c>)
/// within <see cref="EvaluationBudget"/> and <see cref="ScoringPostings"/>.
/// </summary>
internal static class KeywordTermChoice
{
    /// <summary>Share of rows above which a term is left out of a keyword query that has rarer terms.</summary>
    public const double FrequentTermShare = 0.2;

    /// <summary>
    /// Most rows the required words of one query may match by their document counts (the rarest word is required even
    /// when it alone matches more; the provider then ranks only <see cref="CommonQueryRows"/> of them).
    /// </summary>
    public const int RankBudget = 4_096;

    /// <summary>
    /// Most (ranked row, phrase) pairs BM25 evaluates: each ranked row is scored against every phrase of the match
    /// expression; with scoring words a required word is evaluated three times (see <see cref="Split"/>).
    /// </summary>
    public const int EvaluationBudget = 32_768;

    /// <summary>Most postings of the scoring words (FTS5 counts each word's rows to weigh it, ~20 ns a posting).</summary>
    public const int ScoringPostings = 65_536;

    /// <summary>
    /// Rows ranked, the newest, when even the rarest word of a query matches more than <see cref="RankBudget"/> (a query
    /// of common words only: its keyword evidence is weak and the dense leg carries the search).
    /// </summary>
    public const int CommonQueryRows = 1_024;

    /// <summary>Most document-count lookups per query (each reads the index: tens of microseconds).</summary>
    public const int MaxLookups = 32;

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

    /// <summary>
    /// Splits chosen words (<see cref="Choose"/>, with their document counts) into <c>Required</c>: the most selective,
    /// whose rows are ranked, while their counts add up to at most <see cref="RankBudget"/> rows (<c>Rows</c>) and those
    /// rows times three evaluations per word to at most <see cref="EvaluationBudget"/>; and <c>Scoring</c>: the next
    /// rarest, which only add to the score of those rows, while the evaluations stay within
    /// <see cref="EvaluationBudget"/> and their counts within <see cref="ScoringPostings"/>. Words beyond both are left
    /// out. Within the budgets (every small store) all chosen words are required: the query is what
    /// <see cref="Choose"/> gives, ranked as before.
    /// </summary>
    public static (IReadOnlyList<string> Required, IReadOnlyList<string> Scoring, long Rows) Split(IReadOnlyList<(string Word, long Documents)> chosen)
    {
        var byRarity = chosen.Select((c, position) => (c.Word, c.Documents, position)).OrderBy(c => c.Documents).ThenBy(c => c.position).ToList();
        var required = new List<(string Word, int Position)>();
        long rows = 0;
        var next = 0;
        for (; next < byRarity.Count; next++)
        {
            var (word, documents, position) = byRarity[next];
            var more = rows + documents;
            if (required.Count > 0 && (more > RankBudget || more * 3 * (required.Count + 1) > EvaluationBudget))
            {
                break;
            }

            required.Add((word, position));
            rows = more;
        }

        if (next == byRarity.Count)
        {
            return (chosen.Select(c => c.Word).ToList(), [], rows);
        }

        var ranked = Math.Min(rows, RowsToRank(rows));
        var scoring = new List<(string Word, int Position)>();
        long postings = 0;
        for (; next < byRarity.Count; next++)
        {
            var (word, documents, position) = byRarity[next];
            if (postings + documents > ScoringPostings || ranked * ((3 * required.Count) + scoring.Count + 1) > EvaluationBudget)
            {
                break;
            }

            scoring.Add((word, position));
            postings += documents;
        }

        return (InQueryOrder(required), InQueryOrder(scoring), rows);
    }

    /// <summary>
    /// Most rows to rank for required words whose document counts add up to <paramref name="rows"/>: all of them within
    /// the budget, else the newest <see cref="CommonQueryRows"/>.
    /// </summary>
    public static int RowsToRank(long rows) => rows <= RankBudget ? RankBudget : CommonQueryRows;

    private static List<string> InQueryOrder(List<(string Word, int Position)> words) => words.OrderBy(w => w.Position).Select(w => w.Word).ToList();
}
