using GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>Opens the <see cref="IMemoryStore"/> a <see cref="MemoryConfig"/> asks for.</summary>
internal static class MemoryStoreFactory
{
    /// <summary>Opens (or creates) the memory; <paramref name="observer"/> is told about every committed change.</summary>
    /// <exception cref="MemoryStoreException">The memory cannot be opened (the message says why); it is left untouched.</exception>
    public static async Task<IMemoryStore> OpenAsync(MemoryConfig config, int dimensions, IStoreObserver observer, CancellationToken cancellationToken) =>
        await SqliteMemoryStore.OpenAsync(config, dimensions, observer, cancellationToken).ConfigureAwait(false);
}
