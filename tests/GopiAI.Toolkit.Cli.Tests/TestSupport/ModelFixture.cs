using GopiAI.Toolkit.SemanticMemory;

namespace GopiAI.Toolkit.Cli.Tests.TestSupport;

/// <summary>One real all-MiniLM-L6-v2 generator shared by the in-process tests (loading it per command would only cost time).</summary>
public sealed class ModelFixture : IDisposable
{
    public OnnxEmbeddingGenerator Generator { get; } = new();

    public void Dispose() => Generator.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ModelCollection : ICollectionFixture<ModelFixture>
{
    public const string Name = "model";
}
