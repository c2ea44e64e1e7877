using System.Numerics.Tensors;

namespace GopiAI.Toolkit.Testing;

/// <summary>
/// Deterministic clustered unit vectors standing in for sentence embeddings, shared by the tests' fake embedding model
/// and the benchmarks' (linked into both from tests/Shared, so the scale figures and the HNSW tests see the same data):
/// a cluster's centre is a random unit vector seeded by its number, and a text's vector is that centre plus Gaussian
/// noise seeded by the text's FNV-1a hash (cosine to the centre about 0.6), normalised. The same text always gets the
/// same vector, on every run and machine.
/// </summary>
internal static class ClusteredVectors
{
    /// <summary>Dimensions of every vector (all-MiniLM-L6-v2's).</summary>
    public const int Dimensions = 384;

    /// <summary>Per-component standard deviation of the noise: |noise| ≈ 0.068 × √384 ≈ 1.33, so cosine to the centre ≈ 0.6.</summary>
    public const float Noise = 0.068f;

    /// <summary>The unit centre of cluster <paramref name="cluster"/>; <paramref name="salt"/> tells apart the families of centres of different fakes.</summary>
    public static float[] Centre(int cluster, int salt)
    {
        var centre = Gaussian(new Random(cluster * 7919 + salt), 1f);
        TensorPrimitives.Divide(centre, TensorPrimitives.Norm(centre), centre);
        return centre;
    }

    /// <summary>The unit vector of <paramref name="text"/>: noise seeded by its hash, around <paramref name="centre"/> (none: noise alone).</summary>
    public static float[] Around(float[]? centre, string text)
    {
        var vector = Gaussian(new Random(StableHash(text)), Noise);
        if (centre is not null)
        {
            TensorPrimitives.Add(vector, centre, vector);
        }

        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    /// <summary><see cref="Dimensions"/> independent normal values (Box-Muller) times <paramref name="scale"/>, drawn from <paramref name="random"/>.</summary>
    public static float[] Gaussian(Random random, float scale)
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

    /// <summary>FNV-1a: <see cref="string.GetHashCode()"/> is randomised per process, and the data must be the same on every run.</summary>
    public static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
