using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// A fake embedding model for the 100k-document end-to-end benchmark (embedding 100k texts with the real model would take
/// hours on the 2-core benchmark machine): each word maps to a fixed random unit vector, a text to the normalised sum of its
/// words' vectors. Deterministic, cheap, and texts that share words are close, so dense search has real neighbours.
/// </summary>
public sealed class HashEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ConcurrentDictionary<string, float[]> _words = new(StringComparer.Ordinal);
    private readonly EmbeddingGeneratorMetadata _metadata = new("hash-embedding", null, "sentence-transformers/all-MiniLM-L6-v2", SyntheticVectors.Dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
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
        var vector = new float[SyntheticVectors.Dimensions];

        // Like the model it stands in for, it reads a bounded prefix (MiniLM stops after 256 word pieces).
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(256))
        {
            TensorPrimitives.Add(vector, _words.GetOrAdd(word, WordVector), vector);
        }

        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

    public void Dispose()
    {
    }

    /// <summary>FNV-1a: string.GetHashCode is randomised per process, and the data must be the same on every run.</summary>
    private static int StableHash(string word)
    {
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    private static float[] WordVector(string word)
    {
        var random = new Random(StableHash(word));
        var vector = new float[SyntheticVectors.Dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(random.NextDouble() - 0.5);
        }

        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }
}
