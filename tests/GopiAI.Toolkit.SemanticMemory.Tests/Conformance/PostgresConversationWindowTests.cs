using GopiAI.Toolkit.SemanticMemory.Storage;
using GopiAI.Toolkit.SemanticMemory.Storage.Postgres;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Conformance;

/// <summary>Conversation windows on PostgreSQL + pgvector (PGlite over the wire protocol), a fresh schema per test.</summary>
public sealed class PostgresConversationWindowTests(PGliteFixture pglite) : ConversationWindowConformanceTests, IClassFixture<PGliteFixture>
{
    private protected override async Task<IMemoryStore> OpenAsync() =>
        await PostgresMemoryStore.OpenAsync(
            new MemoryConfig
            {
                Provider = MemoryProvider.Postgres,
                ConnectionString = pglite.ConnectionString(),
                PostgresSchema = "windows_" + Guid.NewGuid().ToString("N")[..16],
                EmbeddingModel = "test/4d",
            },
            4,
            new NoObserver(),
            CancellationToken.None);

    private sealed class NoObserver : IStoreObserver
    {
        public void OnStoreChanged(StoreChange change)
        {
        }
    }
}
