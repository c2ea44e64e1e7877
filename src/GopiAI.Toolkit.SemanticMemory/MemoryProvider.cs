namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>Where a <see cref="SemanticMemoryManager"/> keeps the memory (<see cref="MemoryConfig.Provider"/>).</summary>
public enum MemoryProvider
{
    /// <summary>One SQLite file at <see cref="MemoryConfig.IndexPath"/>, for one app on one machine. The default.</summary>
    Sqlite = 0,

    /// <summary>
    /// A PostgreSQL database with the pgvector extension at <see cref="MemoryConfig.ConnectionString"/>, shared by
    /// several instances or machines.
    /// </summary>
    Postgres = 1,
}
