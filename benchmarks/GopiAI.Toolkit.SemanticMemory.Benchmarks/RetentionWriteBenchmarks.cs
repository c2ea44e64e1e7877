using BenchmarkDotNet.Attributes;
using GopiAI.Toolkit.SemanticMemory.Storage;
using GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// The write path of a SQLite memory at its limit (<see cref="MemoryRetention.EvictOldest"/>): one batch of 100 fresh
/// documents that evicts the 100 oldest, next to the same batch with nothing to evict (<see cref="MemoryRetention.Reject"/>
/// far from its limit), what each batch paid before retention existed on top of its writes — the
/// <c>SELECT count(*) … kind &lt;&gt; 2</c> scan — and what it reads now (the trigger-kept counter).
/// </summary>
public class RetentionWriteBenchmarks
{
    private const int BatchSize = 100;
    private readonly SyntheticVectors _vectors = new();
    private readonly SyntheticCorpus _corpus = new();
    private string _folder = string.Empty;
    private SqliteMemoryStore _store = null!;
    private List<PreparedDocument> _next = [];
    private int _written;

    [Params(10_000, 100_000)]
    public int Documents { get; set; }

    /// <summary><see cref="MemoryRetention.Reject"/> runs with no limit in reach: the same batch, nothing evicted.</summary>
    [Params(MemoryRetention.EvictOldest, MemoryRetention.Reject)]
    public MemoryRetention Policy { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"gopiai-retention-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        var config = new MemoryConfig { IndexPath = Path.Combine(_folder, "memory.db"), EmbeddingModel = "bench/384", MaxDocuments = Policy == MemoryRetention.Reject ? int.MaxValue : Documents, Retention = Policy };
        _store = SqliteMemoryStore.OpenAsync(config, SyntheticVectors.Dimensions, new NoObserver(), CancellationToken.None).GetAwaiter().GetResult();
        while (_written < Documents)
        {
            _store.WriteBatchAsync(Batch(1000), CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    [IterationSetup(Target = nameof(WriteBatchEvicting))]
    public void NextBatch() => _next = Batch(BatchSize);

    [Benchmark(Description = "WriteBatchAsync: 100 new documents (EvictOldest: 100 oldest evicted)")]
    public Task WriteBatchEvicting() => _store.WriteBatchAsync(_next, CancellationToken.None);

    [Benchmark(Description = "Before: SELECT count(*) per batch")]
    public Task CountStar() => _store.RunOnWriterAsync(connection => SqliteCommands.Scalar(connection, $"SELECT count(*) FROM documents WHERE kind <> {RowKindSql.Chunk};"));

    [Benchmark(Baseline = true, Description = "Now: the counter")]
    public Task Counter() => _store.RunOnWriterAsync(connection => SqliteRetention.CountDocuments(connection));

    private List<PreparedDocument> Batch(int count)
    {
        var chunker = new Chunker(null, new MemoryConfig());
        var batch = new List<PreparedDocument>(count);
        for (var i = 0; i < count; i++, _written++)
        {
            var document = new MemoryDocument { Id = $"d{_written}", Content = _corpus.Document(_written), Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(_written) };
            var prepared = chunker.Prepare(document, document.Id, idGiven: true, inputIndex: i, DateTimeOffset.UnixEpoch);
            foreach (var chunk in prepared.Chunks)
            {
                chunk.Vector = _vectors.Next();
            }

            batch.Add(prepared);
        }

        return batch;
    }

    private sealed class NoObserver : IStoreObserver
    {
        public void OnStoreChanged(StoreChange change)
        {
        }
    }
}
