using GopiAI.Toolkit.SemanticMemory.Storage;
using Microsoft.ML.Tokenizers;

namespace GopiAI.Toolkit.SemanticMemory.Context;

/// <summary>
/// Packs ranked results, and the conversation turns around them, into a context string within a token budget.
/// Candidates are tried best first: a hit by its relevance (<see cref="MemoryResult.Score"/>), a turn next to a chosen
/// hit by that relevance times <see cref="NeighbourWeight"/> per position away (so the hit comes before its turns, the
/// closest turns first, and a turn two steps from a strong hit can still win over a weak hit). A candidate that would
/// overflow the budget is skipped and the next one tried; one already in the context, or a near-duplicate of a text in
/// it (<see cref="NearDuplicates"/>), is dropped. The chosen items are laid out by <see cref="ContextBlocks"/>, a
/// conversation's turns merged into one cited block. The budget is checked by counting the whole candidate string
/// (BPE counts are not additive across joins), so the result can never exceed it.
/// </summary>
internal sealed class ContextBuilder(Tokenizer tokenizer, double neighbourWeight = ContextBuilder.NeighbourWeight)
{
    /// <summary>
    /// The share of a hit's relevance given to a turn of its conversation one position away (squared two away, …): 0.5,
    /// so a turn next to a hit ranks like a hit half as likely relevant. A neighbour is only tried once its hit is in.
    /// </summary>
    public const double NeighbourWeight = 0.5;

    /// <summary>Tokens that joining a text to a context can save at most (merges at its two boundaries, a gap line or citation that changes).</summary>
    private const int JoinSlack = 8;

    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));
    private static readonly IReadOnlyDictionary<string, ConversationWindow> NoWindows = new Dictionary<string, ConversationWindow>();

    /// <summary>o200k_base, the tokenizer of GPT-4o and later OpenAI models.</summary>
    public static Tokenizer DefaultTokenizer => O200k.Value;

    public Tokenizer Tokenizer { get; } = tokenizer;

    /// <summary>How many search results to consider for a budget (more than can fit, so skipped items have replacements).</summary>
    public static int CandidateCount(int maxTokens) => Math.Clamp(maxTokens / 16, 10, 100);

    /// <summary>The context of <paramref name="results"/> alone (no conversation windows).</summary>
    public string Build(IReadOnlyList<MemoryResult> results, int maxTokens) => Build(results, NoWindows, maxTokens);

    /// <summary>The context of <paramref name="results"/> and the turns of <paramref name="windows"/> (keyed by result id).</summary>
    public string Build(IReadOnlyList<MemoryResult> results, IReadOnlyDictionary<string, ConversationWindow> windows, int maxTokens)
    {
        // Best first; among equals, the one enqueued first (results keep their rank, neighbours their planned order).
        var queue = new PriorityQueue<Candidate, (double Priority, long Sequence)>(Comparer<(double Priority, long Sequence)>.Create(
            static (a, b) => b.Priority.CompareTo(a.Priority) is var c && c != 0 ? c : a.Sequence.CompareTo(b.Sequence)));
        var sequence = 0L;
        foreach (var result in results)
        {
            var window = windows.GetValueOrDefault(result.Id);
            queue.Enqueue(new Candidate(ContextItem.Of(result, window?.Position), IsHit: true, result, window), (Priority(result.Score), sequence++));
        }

        var chosen = new List<ContextItem>();
        var keys = new HashSet<(string?, long?, string?)>();
        var fingerprints = new List<NearDuplicates.Fingerprint>();
        var used = 0;
        while (used < maxTokens && queue.TryDequeue(out var candidate, out _))
        {
            var item = candidate.Item;
            if (keys.Contains(item.Key))
            {
                continue;
            }

            // A text that alone needs more tokens than are left (plus what joins and a merged gap can save) cannot fit:
            // skip it without counting the whole context again. Only the exact count below ever accepts a candidate.
            if (used > 0 && used + Tokenizer.CountTokens(item.Content.Trim()) - JoinSlack > maxTokens)
            {
                continue;
            }

            var fingerprint = NearDuplicates.Of(item.Content);
            if (fingerprints.Exists(f => NearDuplicates.Similar(f, fingerprint)))
            {
                continue;
            }

            chosen.Add(item);
            var tokens = Tokenizer.CountTokens(ContextBlocks.Render(chosen));
            if (tokens > maxTokens)
            {
                chosen.RemoveAt(chosen.Count - 1);
                continue;
            }

            used = tokens;
            keys.Add(item.Key);
            fingerprints.Add(fingerprint);
            if (candidate is { IsHit: true, Window: { } hitWindow })
            {
                foreach (var (neighbour, distance) in Neighbours(candidate.Result, hitWindow))
                {
                    queue.Enqueue(new Candidate(neighbour, IsHit: false, candidate.Result, null), (Priority(candidate.Result.Score * Math.Pow(neighbourWeight, distance)), sequence++));
                }
            }
        }

        return ContextBlocks.Render(chosen);
    }

    /// <summary>
    /// The valid turns of a hit's window with their distance from it, in the order they should be tried among equals:
    /// closest first; at the same distance the turn after a user's turn first (what answered it), the turn before any
    /// other turn first (what it answered).
    /// </summary>
    public static IEnumerable<(ContextItem Item, long Distance)> Neighbours(MemoryResult hit, ConversationWindow window)
    {
        var afterFirst = string.Equals(hit.Role, "user", StringComparison.OrdinalIgnoreCase);
        return window.Neighbours
            .Where(n => n.Position != window.Position && RowValidator.TryParseMetadata(n.Row.MetadataJson, out _) && RowValidator.TryParseTimestamp(n.Row.TimestampMs, out _))
            .Select(n => (Item: new ContextItem(
                    n.Row.Content,
                    n.Row.Role,
                    n.Row.Source ?? $"conversation:{window.ConversationId}",
                    n.Row.Source is not null,
                    window.ConversationId,
                    n.Position,
                    n.Row.Id),
                Distance: Math.Abs(n.Position - window.Position),
                After: n.Position > window.Position))
            .OrderBy(n => n.Distance)
            .ThenBy(n => n.After == afterFirst ? 0 : 1)
            .Select(n => (n.Item, n.Distance));
    }

    private static double Priority(double score) => double.IsFinite(score) ? score : 0;

    private sealed record Candidate(ContextItem Item, bool IsHit, MemoryResult Result, ConversationWindow? Window);
}
