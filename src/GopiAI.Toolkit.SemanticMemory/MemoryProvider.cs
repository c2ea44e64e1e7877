namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>Where a <see cref="SemanticMemoryManager"/> keeps its memory (<see cref="MemoryConfig.Provider"/>).</summary>
public enum MemoryProvider
{
    /// <summary>One SQLite file at <see cref="MemoryConfig.IndexPath"/>: embedded, for one application on one machine (the default).</summary>
    Sqlite = 0,

    /// <summary>
    /// A PostgreSQL database with pgvector at <see cref="MemoryConfig.ConnectionString"/> (schema <see cref="MemoryConfig.PostgresSchema"/>):
    /// shared by every instance and process that opens it. Needs PostgreSQL 15 or later with pgvector 0.7 or later.
    /// </summary>
    Postgres = 1,
}
