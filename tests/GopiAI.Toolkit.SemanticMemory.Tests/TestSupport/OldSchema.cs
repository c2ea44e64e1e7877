namespace GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

/// <summary>Turns a current memory file back into an older schema version, rows kept, to test the migrations.</summary>
internal static class OldSchema
{
    /// <summary>Undoes migration 2 → 3 (counters, their triggers, the retrieval column and its index).</summary>
    public const string Version2Sql = """
        DROP TRIGGER documents_counted_insert;
        DROP TRIGGER documents_counted_delete;
        DROP TABLE counters;
        DROP INDEX ix_documents_retrieved;
        ALTER TABLE documents DROP COLUMN retrieved_ms;
        PRAGMA user_version = 2;
        """;

    /// <summary>Undoes migrations 1 → 2 and 2 → 3.</summary>
    public const string Version1Sql = Version2Sql + " DROP TABLE fts_vocab; PRAGMA user_version = 1;";
}
