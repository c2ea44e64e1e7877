namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>The file format: an application id, a schema version (PRAGMA user_version) and ordered migrations.</summary>
internal static class Schema
{
    /// <summary>"GPAI" in ASCII, stored in the SQLite header so that a foreign database is recognised before anything is written.</summary>
    public const int ApplicationId = 0x47504149;

    public static int CurrentVersion => Migrations.Length;

    /// <summary>Migration i brings the file from version i to i + 1. Append only; never edit a shipped step.</summary>
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE documents (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind INTEGER NOT NULL,              -- 0 searchable document, 1 parent of chunks, 2 chunk
            parent_id TEXT,
            chunk_index INTEGER,
            conversation_id TEXT,
            role TEXT,
            content TEXT NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}',
            source TEXT,
            timestamp INTEGER NOT NULL,         -- Unix milliseconds, UTC
            content_hash BLOB NOT NULL          -- SHA-256 of the UTF-8 content
        );
        CREATE INDEX ix_documents_parent ON documents(parent_id) WHERE parent_id IS NOT NULL;
        CREATE INDEX ix_documents_conversation ON documents(conversation_id, timestamp) WHERE conversation_id IS NOT NULL;
        CREATE INDEX ix_documents_timestamp ON documents(timestamp);
        CREATE INDEX ix_documents_hash ON documents(content_hash, ifnull(conversation_id, '')) WHERE kind <> 2;
        CREATE TABLE vectors (
            rowid INTEGER PRIMARY KEY,          -- = documents.rowid of a searchable row
            format INTEGER NOT NULL,            -- 0 float32, 1 int8 (symmetric, one scale)
            scale REAL NOT NULL,
            data BLOB NOT NULL
        );
        CREATE VIRTUAL TABLE fts USING fts5(content, tokenize = 'unicode61 remove_diacritics 2');
        """,

        // 1 -> 2: per-term document counts, so that keyword search can leave out terms found in most rows.
        """
        CREATE VIRTUAL TABLE fts_vocab USING fts5vocab(fts, 'row');
        """,

        // 2 -> 3: row counts kept by triggers in the same transaction as every insert and delete (the write path reads
        // them instead of scanning), and when each document was last retrieved (for MemoryRetention.EvictLeastRecentlyRetrieved).
        // Counted once here for an existing file; a document never retrieved counts from its timestamp.
        $"""
        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO counters(name, value) VALUES
            ('{Counter.Documents}', (SELECT count(*) FROM documents WHERE kind <> 2)),
            ('{Counter.Searchable}', (SELECT count(*) FROM documents WHERE kind <> 1));
        CREATE TRIGGER documents_counted_insert AFTER INSERT ON documents BEGIN
            UPDATE counters SET value = value + 1 WHERE name = '{Counter.Documents}' AND new.kind <> 2;
            UPDATE counters SET value = value + 1 WHERE name = '{Counter.Searchable}' AND new.kind <> 1;
        END;
        CREATE TRIGGER documents_counted_delete AFTER DELETE ON documents BEGIN
            UPDATE counters SET value = value - 1 WHERE name = '{Counter.Documents}' AND old.kind <> 2;
            UPDATE counters SET value = value - 1 WHERE name = '{Counter.Searchable}' AND old.kind <> 1;
        END;
        ALTER TABLE documents ADD COLUMN retrieved_ms INTEGER;  -- Unix milliseconds, UTC: last retrieved, or stored; null: before version 3
        CREATE INDEX ix_documents_retrieved ON documents(coalesce(retrieved_ms, timestamp)) WHERE kind <> 2;
        """,
    ];

    /// <summary>Names of the rows of the <c>counters</c> table (version 3 on), each kept equal to a count by triggers.</summary>
    public static class Counter
    {
        /// <summary>Documents (rows of kind <see cref="RowKind.Document"/> or <see cref="RowKind.Parent"/>): what <see cref="MemoryConfig.MaxDocuments"/> bounds.</summary>
        public const string Documents = "documents";

        /// <summary>Searchable rows (documents and chunks): what the keyword leg's statistics are relative to.</summary>
        public const string Searchable = "searchable";

        /// <summary>The SQL that reads a counter (one primary-key lookup).</summary>
        public static string Read(string name) => $"SELECT value FROM counters WHERE name = '{name}';";
    }
}
