using GopiAI.Toolkit.SemanticMemory.Storage.Postgres;
using GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>Opens the <see cref="IMemoryStore"/> that <see cref="MemoryConfig.Provider"/> names: the one place a provider is chosen.</summary>
internal static class MemoryStoreFactory
{
    /// <summary>Opens (or creates) the memory; <paramref name="observer"/> is told about every committed change.</summary>
    /// <exception cref="MemoryStoreException">The memory cannot be opened (the message says why); it is left untouched.</exception>
    /// <exception cref="NotSupportedException">The provider is not available in this build.</exception>
    public static async Task<IMemoryStore> OpenAsync(MemoryConfig config, int dimensions, IStoreObserver observer, CancellationToken cancellationToken) =>
        config.Provider switch
        {
            MemoryProvider.Sqlite => await SqliteMemoryStore.OpenAsync(config, dimensions, observer, cancellationToken).ConfigureAwait(false),
            MemoryProvider.Postgres => await PostgresMemoryStore.OpenAsync(config, dimensions, observer, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentException($"Unknown memory provider {config.Provider}.", nameof(config)),
        };
}
