using Microsoft.Extensions.VectorData;

namespace GopiAI.Toolkit.SemanticMemory.VectorData;

/// <summary>
/// The GopiAI semantic memory as a Microsoft.Extensions.VectorData <see cref="VectorStore"/>, so Semantic Kernel and
/// Microsoft.Extensions.AI apps can use it (on SQLite or PostgreSQL) through the abstraction. A collection is a
/// namespace of the one memory: its records are documents of the conversation named like the collection, stored under
/// the id <c>{collection}:{key}</c>. The memory embeds texts itself, so records carry text (<see cref="MemoryRecord"/>)
/// and searches take text. Built on <see cref="SemanticMemoryManager"/>'s public API only.
/// </summary>
/// <param name="memory">The open memory; the caller disposes it (asynchronously) after the store.</param>
public sealed class SemanticMemoryVectorStore(SemanticMemoryManager memory) : VectorStore
{
    private readonly SemanticMemoryManager _memory = memory ?? throw new ArgumentNullException(nameof(memory));

    /// <summary>
    /// The collection <paramref name="name"/> of <see cref="MemoryRecord"/>s keyed by strings.
    /// </summary>
    /// <typeparam name="TKey">Must be <see cref="string"/>.</typeparam>
    /// <typeparam name="TRecord">Must be <see cref="MemoryRecord"/>.</typeparam>
    /// <param name="name">The collection name (a conversation id of the memory); not blank.</param>
    /// <param name="definition">Ignored: the record shape is <see cref="MemoryRecord"/>'s.</param>
    /// <returns>The collection.</returns>
    /// <exception cref="NotSupportedException">The key is not a string or the record type is not <see cref="MemoryRecord"/>.</exception>
    public override VectorStoreCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (typeof(TKey) != typeof(string) || typeof(TRecord) != typeof(MemoryRecord))
        {
            throw new NotSupportedException(
                $"The GopiAI memory stores texts it embeds itself: use GetCollection<string, MemoryRecord>(\"{name}\") (asked for <{typeof(TKey).Name}, {typeof(TRecord).Name}>).");
        }

        return (VectorStoreCollection<TKey, TRecord>)(object)new SemanticMemoryCollection(_memory, name);
    }

    /// <summary>Not supported: records are <see cref="MemoryRecord"/>s.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override VectorStoreCollection<object, Dictionary<string, object?>> GetDynamicCollection(string name, VectorStoreCollectionDefinition definition) =>
        throw new NotSupportedException("The GopiAI memory has no dynamic collections; use GetCollection<string, MemoryRecord>(name).");

    /// <summary>Not supported: the memory keeps no catalogue of collections (a collection exists while it holds records).</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override IAsyncEnumerable<string> ListCollectionNamesAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The GopiAI memory keeps no catalogue of collections; a collection exists while it holds records (CollectionExistsAsync).");

    /// <summary>Whether the collection holds at least one record.</summary>
    /// <param name="name">The collection name.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>True when it holds records.</returns>
    public override async Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        using var collection = new SemanticMemoryCollection(_memory, name);
        return await collection.CollectionExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes every record of the collection.</summary>
    /// <param name="name">The collection name.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>A task that completes when the records are gone.</returns>
    public override async Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        using var collection = new SemanticMemoryCollection(_memory, name);
        await collection.EnsureCollectionDeletedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the <see cref="SemanticMemoryManager"/> or <see cref="VectorStoreMetadata"/> when asked for them.</summary>
    /// <param name="serviceType">The type asked for.</param>
    /// <param name="serviceKey">Not used.</param>
    /// <returns>The service, or null.</returns>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(SemanticMemoryManager) ? _memory
            : serviceType == typeof(VectorStoreMetadata) ? new VectorStoreMetadata { VectorStoreSystemName = SemanticMemoryCollection.SystemName }
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }
}
