using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// Exact top-10 over the engine's in-memory vector matrix (float32, or int8 plus float re-scoring of the 8x candidates),
/// next to the memory-bandwidth floor for the same bytes: one <see cref="TensorPrimitives.Sum{T}(ReadOnlySpan{T})"/>
/// pass over a buffer of the matrix's size, which no scan of those bytes can beat.
/// </summary>
public class VectorSearchBenchmarks
{
    private VectorIndex _index = null!;
    private float[] _query = [];
    private float[] _floorFloats = [];
    private sbyte[] _floorBytes = [];

    [Params(10_000, 100_000)]
    public int Vectors { get; set; }

    [Params(false, true)]
    public bool Int8 { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = new SyntheticVectors();
        _index = new VectorIndex(SyntheticVectors.Dimensions, Int8);
        var changes = new VectorChange[Vectors];
        for (var i = 0; i < Vectors; i++)
        {
            changes[i] = new VectorChange(i + 1, data.Next());
        }

        _index.Apply(changes);
        _query = data.Next();
        if (Int8)
        {
            _floorBytes = new sbyte[Vectors * SyntheticVectors.Dimensions];
            Random.Shared.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_floorBytes.AsSpan()));
        }
        else
        {
            _floorFloats = new float[Vectors * SyntheticVectors.Dimensions];
            for (var i = 0; i < _floorFloats.Length; i++)
            {
                _floorFloats[i] = (float)Random.Shared.NextDouble();
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _index.Dispose();

    [Benchmark(Baseline = true, Description = "Bandwidth floor: TensorPrimitives.Sum over the same bytes")]
    public float Floor() => Int8 ? TensorPrimitives.Sum<sbyte>(_floorBytes) : TensorPrimitives.Sum(_floorFloats);

    [Benchmark(Description = "VectorIndex exact top-10")]
    public int ExactTop10() => _index.Search(_query, 10, -1f, null).Count;
}
