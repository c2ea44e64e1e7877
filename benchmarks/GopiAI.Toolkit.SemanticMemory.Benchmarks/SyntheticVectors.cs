using System.Numerics.Tensors;
using GopiAI.Toolkit.Testing;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// Deterministic clustered unit vectors standing in for sentence embeddings: real embeddings are clustered by topic,
/// and uniformly random vectors in 384 dimensions (all nearly equidistant) would make nearest-neighbour recall meaningless.
/// Each vector is a random topic centre plus Gaussian noise (cosine to its centre about 0.6), normalised.
/// </summary>
public sealed class SyntheticVectors
{
    public const int Dimensions = ClusteredVectors.Dimensions;
    private const float Noise = ClusteredVectors.Noise;
    private readonly float[][] _centres;
    private readonly Random _random;

    public SyntheticVectors(int topics = 1000, int seed = 7)
    {
        _random = new Random(seed);
        _centres = new float[topics][];
        for (var i = 0; i < topics; i++)
        {
            _centres[i] = Gaussian(1f);
            Normalize(_centres[i]);
        }
    }

    /// <summary>A new vector near a random topic centre.</summary>
    public float[] Next()
    {
        var vector = Gaussian(Noise);
        TensorPrimitives.Add(vector, _centres[_random.Next(_centres.Length)], vector);
        Normalize(vector);
        return vector;
    }

    public float[][] Many(int count)
    {
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            vectors[i] = Next();
        }

        return vectors;
    }

    private float[] Gaussian(float scale) => ClusteredVectors.Gaussian(_random, scale);

    private static void Normalize(float[] vector) => TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
}
