using System.Reflection;

namespace GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

/// <summary>One real all-MiniLM-L6-v2 session shared by the tests (loading it takes about a second).</summary>
public sealed class ModelFixture : IDisposable
{
    private readonly Lazy<OnnxEmbeddingGenerator> _float32 = new(() => new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { Precision = EmbeddingPrecision.Float32 }));

    /// <summary>The default generator (int8).</summary>
    public OnnxEmbeddingGenerator Generator { get; } = new();

    /// <summary>The same model in fp32, the reference the int8 gates are measured against.</summary>
    public OnnxEmbeddingGenerator Float32 => _float32.Value;

    public void Dispose()
    {
        Generator.Dispose();
        if (_float32.IsValueCreated)
        {
            _float32.Value.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ModelCollection : ICollectionFixture<ModelFixture>
{
    public const string Name = "Model";
}

/// <summary>A fresh folder under the temp directory, deleted afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gopiai-memory-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Paths written into the test assembly by MSBuild.</summary>
public static class TestPaths
{
    public static string RepoRoot => Metadata("RepoRoot");

    public static string IngestChildPath => Metadata("IngestChildPath");

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");
}

public static class Memory
{
    public static Task<SemanticMemoryManager> OpenAsync(ModelFixture model, string path, Func<MemoryConfig, MemoryConfig>? configure = null)
    {
        var config = new MemoryConfig { IndexPath = path };
        return SemanticMemoryManager.OpenAsync(configure?.Invoke(config) ?? config, model.Generator);
    }
}
