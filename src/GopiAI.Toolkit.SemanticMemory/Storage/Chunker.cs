using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GopiAI.Toolkit.SemanticMemory.Context;
using Microsoft.ML.Tokenizers;

namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>
/// Splits long documents into overlapping chunks of at most <see cref="MemoryConfig.ChunkTokens"/> tokens, on word
/// boundaries of the original text, counted with the embedding model's word pieces (or the context tokenizer when
/// the generator is not the bundled one).
/// </summary>
internal sealed class Chunker
{
    private readonly OnnxEmbeddingGenerator? _onnx;
    private readonly Tokenizer _fallback;
    private readonly int _chunkTokens;
    private readonly int _overlap;

    public Chunker(OnnxEmbeddingGenerator? onnx, MemoryConfig config)
    {
        _onnx = onnx;
        _fallback = config.ContextTokenizer ?? ContextBuilder.DefaultTokenizer;
        _chunkTokens = onnx is null ? config.ChunkTokens : Math.Min(config.ChunkTokens, onnx.MaxTokens - 2);
        _overlap = Math.Min(config.ChunkOverlapTokens, _chunkTokens / 2);
    }

    public PreparedDocument Prepare(MemoryDocument document, string id, bool idGiven, int inputIndex, DateTimeOffset now)
    {
        var content = document.Content;
        return new PreparedDocument
        {
            InputIndex = inputIndex,
            Id = id,
            IdGiven = idGiven,
            Content = content,
            ConversationId = string.IsNullOrEmpty(document.ConversationId) ? null : document.ConversationId,
            Role = string.IsNullOrEmpty(document.Role) ? null : document.Role,
            MetadataJson = SerializeMetadata(document.Metadata),
            Source = string.IsNullOrWhiteSpace(document.Source) ? null : document.Source,
            TimestampMs = (document.Timestamp ?? now).ToUnixTimeMilliseconds(),
            TimestampGiven = document.Timestamp is not null,
            ContentHash = SHA256.HashData(Encoding.UTF8.GetBytes(content)),
            Chunks = Split(content),
        };
    }

    internal static string SerializeMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return "{}";
        }

        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            ArgumentNullException.ThrowIfNull(key, "metadata key");
            sorted[key] = value ?? string.Empty;
        }

        return JsonSerializer.Serialize(sorted, MetadataJsonContext.Default.SortedDictionaryStringString);
    }

    internal IReadOnlyList<PreparedChunk> Split(string content)
    {
        // Cheap exits: a text whose length in chars is below the token limit cannot exceed it in tokens (every word
        // piece covers at least one char), and a short text is counted whole.
        if (content.Length <= _chunkTokens || (content.Length <= WholeCountLimit && Count(content) <= _chunkTokens))
        {
            return [new PreparedChunk(content)];
        }

        // One pass over the words, counting each distinct word once (natural text repeats its words): a long document
        // costs one tokenizer call per distinct word and a few ints per word, never a copy per word or per chunk.
        var words = new List<(int Start, int End, int Tokens)>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        var total = 0;
        var i = 0;
        while (i < content.Length)
        {
            while (i < content.Length && char.IsWhiteSpace(content[i]))
            {
                i++;
            }

            var start = i;
            while (i < content.Length && !char.IsWhiteSpace(content[i]))
            {
                i++;
            }

            if (i > start)
            {
                var word = content.AsSpan(start, i - start);
                if (!lookup.TryGetValue(word, out var tokens))
                {
                    tokens = Math.Max(1, Count(word));
                    if (counts.Count < MaxCountedWords)
                    {
                        lookup[word] = tokens;
                    }
                }

                words.Add((start, i, tokens));
                total += tokens;
            }
        }

        if (total <= _chunkTokens)
        {
            return [new PreparedChunk(content)];
        }

        var chunks = new List<PreparedChunk>();
        var first = 0;
        while (first < words.Count)
        {
            var last = first;
            var tokens = words[first].Tokens;
            while (last + 1 < words.Count && tokens + words[last + 1].Tokens <= _chunkTokens)
            {
                last++;
                tokens += words[last].Tokens;
            }

            chunks.Add(new PreparedChunk(content, words[first].Start, words[last].End - words[first].Start));
            if (last + 1 >= words.Count)
            {
                break;
            }

            // Step back from the end so that about _overlap tokens are shared, always moving forward by one word at least.
            var next = last + 1;
            var shared = 0;
            while (next - 1 > first && shared + words[next - 1].Tokens <= _overlap)
            {
                next--;
                shared += words[next].Tokens;
            }

            first = next;
        }

        return chunks;
    }

    /// <summary>Texts up to this length are counted with one tokenizer call before deciding whether to chunk them.</summary>
    private const int WholeCountLimit = 4_096;

    /// <summary>Distinct words remembered while splitting one document (bounds the memory of the count cache).</summary>
    private const int MaxCountedWords = 200_000;

    private int Count(ReadOnlySpan<char> text) => _onnx is not null ? _onnx.Tokenizer.CountTokens(text) : _fallback.CountTokens(text);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(SortedDictionary<string, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class MetadataJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
