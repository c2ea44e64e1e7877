using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

/// <summary>
/// Deterministic 384-dimension vectors for storage tests that need thousands of documents (the real model would take
/// minutes): a text's first word <c>c{N}</c> picks cluster N's centre, and the rest of the text seeds Gaussian noise
/// around it (cosine to the centre about 0.6), like sentence embeddings grouped by topic. The HNSW graph and the exact
/// scan see the same real vectors; only the model is replaced.
/// </summary>
public sealed class ClusteredEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 384;
    private readonly EmbeddingGeneratorMetadata _metadata = new("clustered-test-embedding", null, "sentence-transformers/all-MiniLM-L6-v2", Dimensions);

    /// <summary>A document text of cluster <paramref name="cluster"/>, distinct per <paramref name="index"/>.</summary>
    public static string Text(int cluster, int index) => string.Create(CultureInfo.InvariantCulture, $"c{cluster} item {index}");

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v)))));

    public static float[] Embed(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var head = space < 0 ? text : text[..space];
        var cluster = head.Length > 1 && head[0] == 'c' && int.TryParse(head.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : -1;
        var vector = Gaussian(new Random(StableHash(text)), 0.068f);
        if (cluster >= 0)
        {
            var centre = Gaussian(new Random(cluster * 7919 + 1), 1f);
            TensorPrimitives.Divide(centre, TensorPrimitives.Norm(centre), centre);
            TensorPrimitives.Add(vector, centre, vector);
        }

        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

    public void Dispose()
    {
    }

    private static float[] Gaussian(Random random, float scale)
    {
        var vector = new float[Dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            vector[i] = scale * (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return vector;
    }

    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * 16777619u;
        }

        return (int)hash;
    }
}
