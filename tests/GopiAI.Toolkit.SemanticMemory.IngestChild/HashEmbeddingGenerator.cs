using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.SemanticMemory.Faults;

/// <summary>
/// Deterministic embeddings for the fault-injection trials (shared with the test project): each word maps to a fixed
/// random unit vector and a text to the normalised sum, so texts that share words are close. The trials test what a
/// kill -9 or a damaged file does to the SQLite store; a real model run per document would only make every trial
/// slower (the kill-mid-ingest test with the real model covers that path).
/// </summary>
public sealed class HashEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model name stored in files written with this generator.</summary>
    public const string ModelId = "gopiai-tests/hash-384";

    public const int Dimensions = 384;

    private readonly EmbeddingGeneratorMetadata _metadata = new("hash-embedding", null, ModelId, Dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vector = new float[Dimensions];
            var word = new float[Dimensions];
            foreach (var token in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var random = new Random(StableHash(token));
                for (var i = 0; i < word.Length; i++)
                {
                    word[i] = (float)(random.NextDouble() - 0.5);
                }

                TensorPrimitives.Add(vector, word, vector);
            }

            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, vector);
            }

            result.Add(new Embedding<float>(vector));
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

    public void Dispose()
    {
    }

    /// <summary>FNV-1a: string.GetHashCode differs per process, and the child and the test must agree.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
