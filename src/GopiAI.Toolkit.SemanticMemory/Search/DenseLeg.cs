using GopiAI.Toolkit.SemanticMemory.Storage;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.SemanticMemory.Search;

/// <summary>The dense leg: embeds the query (as <see cref="DenseQuery"/> prepares it), normalises it and asks the store for the nearest rows.</summary>
internal sealed class DenseLeg
{
    private readonly IMemoryStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly int? _modelMaxTokens; // the bundled model's truncation, when it is the generator (DenseQuery)

    public DenseLeg(IMemoryStore store, IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        _store = store;
        _generator = generator;
        _modelMaxTokens = (generator as OnnxEmbeddingGenerator ?? generator.GetService(typeof(OnnxEmbeddingGenerator)) as OnnxEmbeddingGenerator)?.MaxTokens;
    }

    /// <summary>The unit query vector and the rows at or above <paramref name="threshold"/>, best first, scores clamped to [−1, 1].</summary>
    public async Task<(float[] Query, IReadOnlyList<ScoredRow> Rows)> RunAsync(string query, RowFilter filter, int k, float threshold, CancellationToken cancellationToken)
    {
        var embedding = await _generator.GenerateAsync([DenseQuery.Text(query, _modelMaxTokens)], cancellationToken: cancellationToken).ConfigureAwait(false);
        var vector = VectorMath.Normalized(embedding[0].Vector.Span);
        var found = await _store.SearchDenseAsync(vector, filter, k, threshold, cancellationToken).ConfigureAwait(false);

        // Stored vectors are validated as unit length within a tolerance (int8 rounding): a cosine is never reported above 1.
        var rows = new ScoredRow[found.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = found[i] with { Score = Math.Clamp(found[i].Score, -1.0, 1.0) };
        }

        return (vector, rows);
    }
}
