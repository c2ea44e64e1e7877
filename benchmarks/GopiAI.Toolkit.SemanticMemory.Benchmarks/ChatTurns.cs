namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>Deterministic mixed-length chat turns: a few words up to a few hundred, as an assistant's memory sees them.</summary>
public static class ChatTurns
{
    /// <summary>The sentences turns are made of.</summary>
    internal static readonly string[] Sentences =
    [
        "Can you remind me what we decided about the database migration?",
        "We agreed to move the orders table to the new cluster on Friday night after the freeze.",
        "Thanks!",
        "The deployment failed because the health check on port 8080 timed out after thirty seconds.",
        "I prefer my coffee black, no sugar.",
        "Please summarise the quarterly report, focusing on revenue growth, churn and the new enterprise tier.",
        "Sure.",
        "The invoice INV-2024-0117 was paid twice; finance will refund the second payment next week.",
        "What is the capital of Australia?",
        "Canberra, not Sydney, although Sydney is the largest city.",
        "My daughter's birthday is on the 14th of March and she loves dinosaurs and astronomy.",
        "Rewrite the function so that it streams the file instead of loading it into memory at once.",
        "The build is green again after pinning the SDK version in global.json.",
        "Remember that the staging API key rotates every thirty days and the next rotation is on Monday.",
        "ok",
        "Let's schedule the design review for Tuesday at 10:00 with Priya, Marco and the platform team.",
    ];

    /// <summary>Gets <paramref name="count"/> turns whose lengths cycle from one sentence to about twenty.</summary>
    public static string[] Create(int count, int seed = 42)
    {
        var random = new Random(seed);
        var turns = new string[count];
        for (var i = 0; i < count; i++)
        {
            // Mostly short turns with a long tail, like real chat: 1, 1, 2, 3, 5, 8, 13, 20 sentences.
            int[] lengths = [1, 1, 2, 3, 5, 8, 13, 20];
            var sentences = lengths[i % lengths.Length];
            turns[i] = string.Join(' ', Enumerable.Range(0, sentences).Select(_ => Sentences[random.Next(Sentences.Length)]));
        }

        return turns;
    }

    /// <summary>
    /// An endless supply of distinct chat turns of 1 to 6 sentences (uniform), each starting with a unique tag, so no
    /// measured round ever repeats a text (an embedding cache or any memoisation would answer a repeat for free).
    /// </summary>
    public sealed class Fresh(int seed = 7)
    {
        private readonly Random _random = new(seed);
        private long _next;

        /// <summary>The next <paramref name="count"/> turns never handed out before.</summary>
        public string[] Next(int count)
        {
            var turns = new string[count];
            for (var i = 0; i < count; i++)
            {
                var sentences = 1 + _random.Next(6);
                turns[i] = $"[{_next++}] " + string.Join(' ', Enumerable.Range(0, sentences).Select(_ => Sentences[_random.Next(Sentences.Length)]));
            }

            return turns;
        }

        /// <summary>A distinct one-sentence query, the way a search request looks.</summary>
        public string Query() => $"[{_next++}] " + Sentences[_random.Next(Sentences.Length)];
    }
}
