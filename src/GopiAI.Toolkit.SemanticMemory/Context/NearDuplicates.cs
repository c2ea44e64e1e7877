namespace GopiAI.Toolkit.SemanticMemory.Context;

/// <summary>
/// Tells texts that say the same thing apart from texts that merely share a topic, so a context does not spend its
/// budget twice on one fact (the same turn stored in two conversations, a re-stored answer with a word fixed, two
/// overlapping chunks). Two texts are near-duplicates when their words (letters and digits, case folded; punctuation
/// and white space ignored) are equal, or, for texts of at least <see cref="MinWords"/> words, when the Jaccard
/// resemblance of their word 3-shingles (Broder, 1997) is at least <see cref="Threshold"/>. Shorter texts have too few
/// shingles for a resemblance to mean much ("What can I do?" and "So what can I do?" share 2 of 3), so they must match word for word. Shingles rather
/// than bags of words: two different answers on one topic share many words but few word triples. The threshold keeps a
/// one-word change in a text of 25 words or more a duplicate (resemblance ≥ 20/26 ≈ 0.77) while no two distinct turns
/// of the assistant sample's 414 come near it (the highest resemblance among them is checked by a test). A text without
/// letters or digits (emoji only) is compared by its white-space-normalised form.
/// </summary>
internal static class NearDuplicates
{
    /// <summary>Words per shingle.</summary>
    public const int ShingleSize = 3;

    /// <summary>Fewest words a text needs to be compared by shingles (8 shingles); shorter texts are compared word for word.</summary>
    public const int MinWords = 10;

    /// <summary>Least shingle resemblance that counts as the same text.</summary>
    public const double Threshold = 0.7;

    /// <summary>The words of a text, case folded, without punctuation and white space.</summary>
    public static string[] Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToUpperInvariant());
                start = -1;
            }
        }

        return [.. words];
    }

    /// <summary>The text's fingerprint: its words, and its shingles when it is long enough to have more than one.</summary>
    public static Fingerprint Of(string text)
    {
        var words = Words(text);
        if (words.Length == 0)
        {
            return new Fingerprint("\0" + string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), null);
        }

        if (words.Length < MinWords)
        {
            return new Fingerprint(string.Join(' ', words), null);
        }

        var shingles = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + ShingleSize <= words.Length; i++)
        {
            shingles.Add(string.Join(' ', words, i, ShingleSize));
        }

        return new Fingerprint(string.Join(' ', words), shingles);
    }

    /// <summary>Whether two fingerprints are of near-duplicate texts.</summary>
    public static bool Similar(Fingerprint a, Fingerprint b)
    {
        if (string.Equals(a.Words, b.Words, StringComparison.Ordinal))
        {
            return true;
        }

        return a.Shingles is not null && b.Shingles is not null && Resemblance(a.Shingles, b.Shingles) >= Threshold;
    }

    /// <summary>|A ∩ B| / |A ∪ B|.</summary>
    public static double Resemblance(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var shared = small.Count(large.Contains);
        return (double)shared / (a.Count + b.Count - shared);
    }

    /// <summary>A text's words joined by single spaces, and its word shingles (null for texts of fewer than <see cref="MinWords"/> words).</summary>
    internal sealed record Fingerprint(string Words, HashSet<string>? Shingles);
}
