using GopiAI.Toolkit.SemanticMemory;

namespace GopiAI.Toolkit.Samples.Assistant.Services;

/// <summary>
/// Hosts the all-MiniLM-L6-v2 embedding model (an ONNX Runtime session, ~90 MB). Loading it is the most expensive step of
/// startup, so it is a <c>[LazyStartup]</c> component: built once, on first use or warmed in the background, and listed in
/// the startup timeline with its load time.
/// </summary>
[LazyStartup(Priority = 100, Eager = true)]
public sealed partial class EmbeddingModelHost : IDisposable
{
    /// <summary>Initializes a new instance of the <see cref="EmbeddingModelHost"/> class by loading the bundled model.</summary>
    public EmbeddingModelHost() => Generator = new OnnxEmbeddingGenerator();

    /// <summary>Gets the embedding generator.</summary>
    public OnnxEmbeddingGenerator Generator { get; }

    /// <inheritdoc/>
    public void Dispose() => Generator.Dispose();
}
