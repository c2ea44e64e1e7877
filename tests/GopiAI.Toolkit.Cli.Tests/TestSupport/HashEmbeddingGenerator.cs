using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.Cli.Tests.TestSupport;

/// <summary>
/// A fast deterministic stand-in for the model, for tests of what the tool prints around embedding (progress), where
/// hundreds of real model runs would only cost time: each text maps to a unit vector seeded by a stable hash of it.
/// </summary>
public sealed class HashEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("hash-embedding", null, "sentence-transformers/all-MiniLM-L6-v2", 384);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            var hash = 2166136261u;
            foreach (var c in value)
            {
                hash = (hash ^ c) * 16777619u;
            }

            var random = new Random((int)hash);
            var vector = new float[384];
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = (float)(random.NextDouble() - 0.5);
            }

            TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
            result.Add(new Embedding<float>(vector));
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

    public void Dispose()
    {
    }
}
