namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>
/// What a memory does when a batch would take it past <see cref="MemoryConfig.MaxDocuments"/>
/// (<see cref="MemoryConfig.Retention"/>). Whatever the policy, a batch and the evictions it causes commit together or not at all.
/// </summary>
public enum MemoryRetention
{
    /// <summary>The batch is refused with <see cref="InvalidOperationException"/> and nothing of it is stored (the default).</summary>
    Reject = 0,

    /// <summary>
    /// The batch is stored and, in the same transaction, as many of the documents stored before it as needed are deleted,
    /// oldest <see cref="MemoryDocument.Timestamp"/> first (ties: the one stored first).
    /// </summary>
    EvictOldest = 1,

    /// <summary>
    /// The batch is stored and, in the same transaction, as many of the documents stored before it as needed are deleted,
    /// those least recently returned by a search or picked for a context first (a document never retrieved counts from
    /// when it was stored; ties: the one stored first). Retrievals are recorded in memory and written to the store with the
    /// next batch, at most a minute later, or when the memory is closed; see docs/semantic-memory.md for the accuracy.
    /// </summary>
    EvictLeastRecentlyRetrieved = 2,
}
