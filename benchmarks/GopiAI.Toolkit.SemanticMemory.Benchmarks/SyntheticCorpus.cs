using System.Globalization;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// Deterministic documents over a 20,000-word vocabulary with a Zipf-like word distribution (a few very common words,
/// a long tail of rare ones), 8 to 40 words each, so that BM25 posting lists look like real text's.
/// </summary>
public sealed class SyntheticCorpus
{
    private const int Vocabulary = 20_000;

    public string Document(int index)
    {
        var random = new Random(index * 31 + 17);
        var words = random.Next(8, 41);
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => Word(random)));
    }

    /// <summary>Four words taken from document <paramref name="index"/>, so the query has real matches.</summary>
    public string Query(int index)
    {
        var words = Document(index).Split(' ');
        var random = new Random(index);
        return string.Join(' ', Enumerable.Range(0, 4).Select(_ => words[random.Next(words.Length)]));
    }

    private static string Word(Random random)
    {
        // Rank r with probability ~ 1/r: r = floor(exp(u * ln V)).
        var rank = (int)Math.Exp(random.NextDouble() * Math.Log(Vocabulary));
        return "w" + rank.ToString(CultureInfo.InvariantCulture);
    }
}
