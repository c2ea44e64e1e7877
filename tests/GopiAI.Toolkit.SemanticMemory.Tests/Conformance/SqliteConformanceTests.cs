using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Conformance;

/// <summary>The engine's promises on the default provider: a SQLite file.</summary>
[Collection(ModelCollection.Name)]
public sealed class SqliteConformanceTests(ModelFixture model) : MemoryConformanceTests(model), IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    protected override MemoryConfig NewConfig() => new() { IndexPath = _temp.File($"memory-{Guid.NewGuid():N}.db") };
}
