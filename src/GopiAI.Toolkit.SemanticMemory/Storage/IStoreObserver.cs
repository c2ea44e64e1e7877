namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>What kind of change a store reports to its <see cref="IStoreObserver"/>.</summary>
internal enum StoreChange
{
    /// <summary>Rows were written, replaced or deleted, or the indexes were rebuilt.</summary>
    Written,

    /// <summary>The whole content was replaced (a restore, or another process's commits the store cannot follow row by row); <see cref="IMemoryStore.Epoch"/> moved.</summary>
    Replaced,
}

/// <summary>
/// Told by a store about every committed change, before the call that made it completes (so a reader that starts
/// after the call sees the change). Passed to the store when it is opened: Storage never holds a settable callback
/// into Search. Implementations must be quick and must not call back into the store (on SQLite most calls come from the writer thread).
/// </summary>
internal interface IStoreObserver
{
    /// <summary>Called after a change committed.</summary>
    void OnStoreChanged(StoreChange change);
}
