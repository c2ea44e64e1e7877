using System.Collections.Concurrent;
using System.Globalization;
using GopiAI.Toolkit.Testing;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// The scale benchmark's deterministic data: documents about topics, and a fake embedding model that maps a text to a
/// clustered unit vector. A document is 8 to 40 words: about three in four drawn from a 20,000-word general vocabulary
/// with a Zipf-like distribution (as <see cref="SyntheticCorpus"/>), the rest from its topic's own words
/// (<c>t{topic}</c> and <c>t{topic}k{j}</c>, j &lt; 20), so BM25 sees common words and rare, selective ones.
/// </summary>
/// <remarks>
/// The embedding reads the topic back from the text (the most frequent topic among its topic words) and returns that
/// topic's centre plus Gaussian noise seeded by the text's FNV-1a hash, cosine to the centre about 0.6
/// (<see cref="ClusteredVectors"/>: the tests' clustered fake vectors, linked from tests/Shared): the same text always
/// gets the same vector, texts of one topic form a cluster, and a query built from a document's words lands in that
/// document's cluster. One topic per 100 documents.
/// </remarks>
public sealed class TopicCorpus : IEmbeddingGenerator<string, Embedding<float>>
{
    private const int Vocabulary = 20_000;
    private const int WordsPerTopic = 20;
    private readonly ConcurrentDictionary<int, float[]> _centres = new();
    private readonly EmbeddingGeneratorMetadata _metadata = new("topic-embedding", null, "sentence-transformers/all-MiniLM-L6-v2", SyntheticVectors.Dimensions);

    public TopicCorpus(int documents) => Topics = Math.Max(100, documents / 100);

    public int Topics { get; }

    public string Document(int index)
    {
        var random = new Random(index * 31 + 17);
        var topic = random.Next(Topics);
        var words = random.Next(8, 41);
        var text = new string[words];
        for (var w = 0; w < words; w++)
        {
            text[w] = random.NextDouble() < 0.25 ? TopicWord(topic, random) : GeneralWord(random);
        }

        // Every document names its topic at least once.
        text[random.Next(words)] = TopicWord(topic, random);
        return string.Join(' ', text);
    }

    /// <summary>Four words of document <paramref name="index"/>, one of them a topic word, so the query has real matches in both legs.</summary>
    public string Query(int index)
    {
        var words = Document(index).Split(' ');
        var random = new Random(~index);
        var topical = words.Where(w => TopicOf(w) >= 0).ToArray();
        return string.Join(' ', Enumerable.Range(0, 3).Select(_ => words[random.Next(words.Length)]).Append(topical[random.Next(topical.Length)]));
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            result.Add(new Embedding<float>(Embed(value)));
        }

        return Task.FromResult(result);
    }

    public float[] Embed(string text)
    {
        var votes = new Dictionary<int, int>();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TopicOf(word) is var t and >= 0)
            {
                votes[t] = votes.GetValueOrDefault(t) + 1;
            }
        }

        return ClusteredVectors.Around(votes.Count > 0 ? _centres.GetOrAdd(votes.MaxBy(v => (v.Value, -v.Key)).Key, Centre) : null, text);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

    public void Dispose()
    {
    }

    private static string TopicWord(int topic, Random random)
    {
        var j = random.Next(WordsPerTopic + 1);
        return j == WordsPerTopic
            ? "t" + topic.ToString(CultureInfo.InvariantCulture)
            : "t" + topic.ToString(CultureInfo.InvariantCulture) + "k" + j.ToString(CultureInfo.InvariantCulture);
    }

    private static string GeneralWord(Random random)
    {
        // Rank r with probability ~ 1/r: r = floor(exp(u * ln V)).
        var rank = (int)Math.Exp(random.NextDouble() * Math.Log(Vocabulary));
        return "w" + rank.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The topic a word belongs to (<c>t12</c>, <c>t12k3</c>), or -1 for a general word.</summary>
    private static int TopicOf(string word)
    {
        if (word.Length < 2 || word[0] != 't')
        {
            return -1;
        }

        var end = word.IndexOf('k', StringComparison.Ordinal);
        return int.TryParse(word.AsSpan(1, (end < 0 ? word.Length : end) - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var topic) ? topic : -1;
    }

    private static float[] Centre(int topic) => ClusteredVectors.Centre(topic, salt: 3);
}
