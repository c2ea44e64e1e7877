using System.Numerics.Tensors;
using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Search;

public sealed class VectorIndexTests(Xunit.Abstractions.ITestOutputHelper output)
{
    internal static float[][] ClusteredVectors(int count, int dims, int seed)
    {
        // Real embeddings have low intrinsic dimension; mixing 24 latent directions plus noise imitates that.
        var random = new Random(seed);
        var basis = Enumerable.Range(0, 24).Select(_ => Gaussian(random, dims)).ToArray();
        return Enumerable.Range(0, count).Select(_ =>
        {
            var v = Gaussian(random, dims, 0.15f);
            foreach (var b in basis)
            {
                TensorPrimitives.MultiplyAdd(b, (float)(random.NextDouble() * 2 - 1), v, v);
            }

            TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
            return v;
        }).ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Search_ExactTopK_MatchesBruteForce(bool int8)
    {
        var vectors = ClusteredVectors(2000, 384, 1);
        using var index = new VectorIndex(384, int8);
        index.Apply(vectors.Select((v, i) => new VectorChange(i + 1, v)).ToList());
        var queries = ClusteredVectors(50, 384, 2);
        var hits = 0;

        foreach (var query in queries)
        {
            var expected = vectors.Select((v, i) => (RowId: (long)(i + 1), Score: TensorPrimitives.Dot(query, v))).OrderByDescending(x => x.Score).Take(10).ToList();
            var actual = index.Search(query, 10, -1f, allowed: null);

            hits += actual.Select(a => a.RowId).Intersect(expected.Select(e => e.RowId)).Count();
            Assert.True(Math.Abs(expected[0].Score - actual[0].Score) <= (int8 ? 0.01f : 1e-5f), $"top score {actual[0].Score} vs exact {expected[0].Score}");
            Assert.True(actual.Zip(actual.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        }

        output.WriteLine($"{(int8 ? "int8 + float re-scoring" : "float32")} recall@10 vs brute force: {hits / 500.0:F3}");

        // float32 is exact; int8 (rows dequantised for re-scoring) must keep recall@10 at 0.98 or more (measured 0.990).
        Assert.True(hits >= (int8 ? 490 : 500), $"recall@10 {hits / 500.0}");
    }

    [Fact]
    public void Apply_RemoveAndReplace_KeepsRowsConsistent()
    {
        var vectors = ClusteredVectors(10, 16, 3);
        using var index = new VectorIndex(16, int8: false);
        index.Apply(vectors.Select((v, i) => new VectorChange(i, v)).ToList());

        index.Apply([new VectorChange(0, null), new VectorChange(5, vectors[9]), new VectorChange(42, null)]);

        Assert.Equal(9, index.Count);
        Assert.Null(index.Similarity(vectors[0], 0));
        Assert.Equal(1f, index.Similarity(vectors[9], 5)!.Value, 5);
        Assert.Equal(1f, index.Similarity(vectors[9], 9)!.Value, 5);
        var top = index.Search(vectors[9], 2, -1f, null);
        Assert.Equal([5L, 9L], top.Select(t => t.RowId).Order());
    }

    [Fact]
    public void Search_AllowedSetAndThreshold_FilterRows()
    {
        var vectors = ClusteredVectors(100, 32, 4);
        using var index = new VectorIndex(32, int8: true);
        index.Apply(vectors.Select((v, i) => new VectorChange(i, v)).ToList());

        var allowed = index.Search(vectors[0], 10, -1f, [3, 4, 5]);
        var thresholded = index.Search(vectors[0], 100, 0.99f, null);

        Assert.Equal([3L, 4L, 5L], allowed.Select(a => a.RowId).Order());
        Assert.Equal([0L], thresholded.Select(a => a.RowId));
    }

    [Fact]
    public void DotInt8_RandomVectors_EqualsScalarSum()
    {
        var random = new Random(5);
        foreach (var length in new[] { 1, 15, 16, 31, 32, 33, 384, 1000 })
        {
            var a = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
            var b = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();

            Assert.Equal(a.Zip(b, (x, y) => x * y).Sum(), VectorMath.DotInt8(a, b));
        }
    }

    private static float[] Gaussian(Random random, int dims, float scale = 1f) =>
        Enumerable.Range(0, dims).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())) * scale).ToArray();
}
