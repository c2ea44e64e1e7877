using GopiAI.Toolkit.SemanticMemory.Storage;
using GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Conformance;

/// <summary>Conversation windows on the SQLite provider (a plain file).</summary>
public sealed class SqliteConversationWindowTests : ConversationWindowConformanceTests, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private protected override async Task<IMemoryStore> OpenAsync() =>
        await SqliteMemoryStore.OpenAsync(new MemoryConfig { IndexPath = _temp.File($"windows-{Guid.NewGuid():N}.db"), EmbeddingModel = "test/4d" }, 4, new NoObserver(), CancellationToken.None);

    private sealed class NoObserver : IStoreObserver
    {
        public void OnStoreChanged(StoreChange change)
        {
        }
    }
}
