namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>Settings of an <see cref="OnnxEmbeddingGenerator"/>.</summary>
public sealed record OnnxEmbeddingOptions
{
    /// <summary>
    /// Folder holding <c>model.onnx</c> and <c>vocab.txt</c>; <see langword="null"/> means
    /// <see cref="OnnxEmbeddingGenerator.DefaultModelDirectory"/> (<c>models/all-MiniLM-L6-v2</c> next to the application).
    /// </summary>
    public string? ModelDirectory { get; init; }

    /// <summary>Identifier reported in <see cref="Microsoft.Extensions.AI.EmbeddingGeneratorMetadata"/> and used in cache keys.</summary>
    public string ModelId { get; init; } = OnnxEmbeddingGenerator.DefaultModelId;

    /// <summary>Word pieces per text, [CLS] and [SEP] included; longer texts are truncated (the model was trained at 256).</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>
    /// Most texts per ONNX Runtime call. Texts are sorted by length over the whole input and split into batches of at
    /// most this many rows where that costs least (padding against per-call overhead); concurrent calls share batches.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// Threads one inference may use (ONNX Runtime intra-op threads); 0 means <see cref="Environment.ProcessorCount"/>.
    /// Inter-op parallelism is fixed at 1 because this graph is a single sequential chain.
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's worker threads spin between the parallel sections of a run instead of blocking. Off by
    /// default: a spinning worker burns a core that the rest of the application (or another process) needs, which cost
    /// 1.6-2x throughput on a busy 2-core machine. On a machine dedicated to embedding, spinning gains about 10-15 %
    /// throughput and about 1.5 ms per lone fp32 query (docs/benchmarks.md, "Session tuning").
    /// </summary>
    public bool SpinningThreads { get; init; }

    /// <summary>Embeddings kept in the LRU cache keyed by (model, SHA-256 of the text); 0 disables the cache.</summary>
    public int CacheSize { get; init; } = 10_000;

    /// <summary>
    /// Arithmetic of the model's matrix multiplications. Default <see cref="EmbeddingPrecision.Int8"/>: 1.25-1.8x the
    /// throughput of <see cref="EmbeddingPrecision.Float32"/> and faster lone queries on a CPU with int8 dot-product
    /// instructions (docs/benchmarks.md), with STS-B, reference-cosine and retrieval quality within the gates of
    /// docs/semantic-memory.md.
    /// </summary>
    public EmbeddingPrecision Precision { get; init; } = EmbeddingPrecision.Int8;

    /// <summary>
    /// Folder for the int8 model built from <c>model.onnx</c> at first use (one hash-checked file per source model);
    /// <see langword="null"/> means <c>GopiAI.Toolkit/quantized-models</c> under the user's local application data.
    /// When the folder is not writable the model is rebuilt in memory at each start (about a second).
    /// </summary>
    public string? QuantizedModelCacheDirectory { get; init; }
}
