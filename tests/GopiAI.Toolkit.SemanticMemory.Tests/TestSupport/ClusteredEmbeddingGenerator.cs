using System.Globalization;
using GopiAI.Toolkit.Testing;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

/// <summary>
/// Deterministic 384-dimension vectors for storage tests that need thousands of documents (the real model would take
/// minutes): a text's first word <c>c{N}</c> picks cluster N's centre, and the rest of the text seeds Gaussian noise
/// around it (cosine to the centre about 0.6; <see cref="ClusteredVectors"/>, shared with the scale benchmark's
/// <c>TopicCorpus</c>), like sentence embeddings grouped by topic. The HNSW graph and the exact scan see the same real
/// vectors; only the model is replaced.
/// </summary>
public sealed class ClusteredEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = ClusteredVectors.Dimensions;
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
        return ClusteredVectors.Around(cluster >= 0 ? ClusteredVectors.Centre(cluster, salt: 1) : null, text);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

    public void Dispose()
    {
    }
}
