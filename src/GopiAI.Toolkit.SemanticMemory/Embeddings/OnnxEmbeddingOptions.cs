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

    /// <summary>Texts per ONNX Runtime call. Texts are sorted by length first, so a batch carries little padding.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// Threads one inference may use (ONNX Runtime intra-op threads); 0 means <see cref="Environment.ProcessorCount"/>.
    /// Inter-op parallelism is fixed at 1 because this graph is a single sequential chain.
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Embeddings kept in the LRU cache keyed by (model, SHA-256 of the text); 0 disables the cache.</summary>
    public int CacheSize { get; init; } = 10_000;
}
