using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Conformance;

/// <summary>
/// The engine's promises on PostgreSQL + pgvector: real PostgreSQL (PGlite, compiled to WebAssembly, with pgvector)
/// over the wire protocol, one server per class on a free loopback port, a fresh schema per test.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class PostgresConformanceTests(ModelFixture model, PGliteFixture pglite) : MemoryConformanceTests(model), IClassFixture<PGliteFixture>
{
    protected override MemoryConfig NewConfig() => new()
    {
        Provider = MemoryProvider.Postgres,
        ConnectionString = pglite.ConnectionString(),
        PostgresSchema = "conformance_" + Guid.NewGuid().ToString("N")[..16],
    };
}
