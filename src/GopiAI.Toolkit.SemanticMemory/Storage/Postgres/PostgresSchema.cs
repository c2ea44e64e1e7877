using System.Globalization;
using Npgsql;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema of a memory: one database schema (<see cref="MemoryConfig.PostgresSchema"/>) holding
/// <c>meta</c> (model, dimensions, schema version), <c>state</c> (the change counter whose row lock serialises writers,
/// the document count and the searchable-row count)
/// and <c>documents</c> (rows, their <c>vector(n)</c> and generated <c>tsvector</c>), created and migrated by the engine
/// under a transaction-level advisory lock, so that instances starting at once never race on DDL. Versioned: migration i brings the
/// schema from version i to i + 1; append only, never edit a shipped step.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The text search configuration of the keyword leg: no stemming and no stop words, like the SQLite provider's unicode61.</summary>
    public const string TextSearchConfig = "simple";

    /// <summary>Migration i takes <c>{0}</c> = the quoted schema name and <c>{1}</c> = the vector dimension.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE {0}.documents (
            row_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text COLLATE "C" NOT NULL UNIQUE,
            kind smallint NOT NULL,                 -- RowKind: 0 searchable document, 1 parent of chunks, 2 chunk
            parent_id text COLLATE "C",
            chunk_index integer,
            conversation_id text,
            role text,
            content text NOT NULL,
            metadata jsonb NOT NULL DEFAULT '{{}}',
            source text,
            timestamp_ms bigint NOT NULL,           -- Unix milliseconds, UTC
            content_hash bytea NOT NULL,            -- SHA-256 of the UTF-8 content
            embedding vector({1}),                  -- unit length; null on parent rows
            search tsvector GENERATED ALWAYS AS (CASE WHEN kind <> 1 THEN to_tsvector('simple'::regconfig, content) END) STORED
        );
        CREATE INDEX documents_parent ON {0}.documents (parent_id) WHERE parent_id IS NOT NULL;
        CREATE INDEX documents_conversation ON {0}.documents (conversation_id, timestamp_ms) WHERE conversation_id IS NOT NULL;
        CREATE INDEX documents_timestamp ON {0}.documents (timestamp_ms);
        CREATE INDEX documents_hash ON {0}.documents (content_hash, coalesce(conversation_id, '')) WHERE kind <> 2;
        CREATE INDEX documents_metadata ON {0}.documents USING gin (metadata jsonb_path_ops);
        CREATE INDEX documents_search ON {0}.documents USING gin (search);
        CREATE INDEX documents_embedding ON {0}.documents USING hnsw (embedding vector_cosine_ops);
        """,

        // 1 -> 2: the document count, kept in the state row by every write transaction (which holds that row's lock
        // already), so the write path reads it instead of scanning; and when each document was last retrieved
        // (MemoryRetention.EvictLeastRecentlyRetrieved). Counted once here; a document never retrieved counts from its timestamp.
        """
        ALTER TABLE {0}.state ADD COLUMN documents bigint NOT NULL DEFAULT 0;
        UPDATE {0}.state SET documents = (SELECT count(*) FROM {0}.documents WHERE kind <> 2);
        ALTER TABLE {0}.documents ADD COLUMN retrieved_ms bigint;   -- Unix milliseconds, UTC: last retrieved, or stored; null: before version 2
        CREATE INDEX documents_retrieved ON {0}.documents ((coalesce(retrieved_ms, timestamp_ms))) WHERE kind <> 2;
        """,

        // 2 -> 3: the searchable rows (documents and chunks), kept beside the document count by every write transaction,
        // so the legs read them (one primary-key read) instead of counting every row after each change. Counted once here.
        """
        ALTER TABLE {0}.state ADD COLUMN searchable bigint NOT NULL DEFAULT 0;
        UPDATE {0}.state SET searchable = (SELECT count(*) FROM {0}.documents WHERE kind <> 1);
        """,
    ];

    /// <summary>The schema version this library writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>
    /// Creates the <c>vector</c> extension when it is missing, then creates or migrates the schema, all in one transaction
    /// that first takes an advisory lock keyed on the schema name. Checks that the memory holds vectors of this
    /// model and dimension.
    /// </summary>
    /// <exception cref="MemoryStoreException">The schema is newer or incompatible, or pgvector is missing and cannot be created.</exception>
    public static async Task EnsureAsync(NpgsqlConnection connection, PostgresLocation location, MemoryConfig config, int dimensions, CancellationToken cancellationToken)
    {
        var schema = location.QuotedSchema;
        // One transaction, serialised across instances by a transaction-level advisory lock (released at commit or rollback).
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await Exec(connection, $"SELECT pg_advisory_xact_lock({LockKey(location.Schema).ToString(CultureInfo.InvariantCulture)})", cancellationToken).ConfigureAwait(false);
        await EnsureVectorExtensionAsync(connection, location, cancellationToken).ConfigureAwait(false);
        await Exec(connection, $"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.meta (key text PRIMARY KEY, value text NOT NULL);
            CREATE TABLE IF NOT EXISTS {schema}.state (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), version bigint NOT NULL);
            INSERT INTO {schema}.state (singleton, version) VALUES (true, 0) ON CONFLICT DO NOTHING;
            """, cancellationToken).ConfigureAwait(false);
        var version = int.Parse(await Meta(connection, schema, "schema_version", cancellationToken).ConfigureAwait(false) ?? "0", CultureInfo.InvariantCulture);
        await CheckCompatibilityAsync(connection, location, version, config, dimensions, cancellationToken).ConfigureAwait(false);
        for (var v = version; v < CurrentVersion; v++)
        {
            await Exec(connection, string.Format(CultureInfo.InvariantCulture, Migrations[v], schema, dimensions), cancellationToken).ConfigureAwait(false);
        }

        if (version == 0)
        {
            await using var meta = new NpgsqlCommand(
                $"INSERT INTO {schema}.meta (key, value) VALUES ('model', $1), ('dimensions', $2), ('created', $3) ON CONFLICT (key) DO NOTHING", connection);
            meta.Parameters.AddWithValue(config.EmbeddingModel);
            meta.Parameters.AddWithValue(dimensions.ToString(CultureInfo.InvariantCulture));
            meta.Parameters.AddWithValue(config.TimeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            await meta.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (version < CurrentVersion)
        {
            await using var set = new NpgsqlCommand(
                $"INSERT INTO {schema}.meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", connection);
            set.Parameters.AddWithValue(CurrentVersion.ToString(CultureInfo.InvariantCulture));
            await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks a memory that may only be read (a standby, a read-only role): it must exist at the current version.</summary>
    public static async Task CheckReadableAsync(NpgsqlConnection connection, PostgresLocation location, MemoryConfig config, int dimensions, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        exists.Parameters.AddWithValue(location.QuotedSchema + ".meta");
        var version = (bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!
            ? int.Parse(await Meta(connection, location.QuotedSchema, "schema_version", cancellationToken).ConfigureAwait(false) ?? "0", CultureInfo.InvariantCulture)
            : 0;
        if (version < CurrentVersion)
        {
            throw new MemoryStoreException(location.Display, MemoryStoreError.ReadOnly,
                $"{location.Display} is read-only here (a standby or a read-only role) and holds no memory of schema version {CurrentVersion} (found {version}). Open it once with a role that can write, so the engine can create or migrate it.");
        }

        await CheckCompatibilityAsync(connection, location, version, config, dimensions, cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureVectorExtensionAsync(NpgsqlConnection connection, PostgresLocation location, CancellationToken cancellationToken)
    {
        await using (var installed = new NpgsqlCommand("SELECT extversion FROM pg_extension WHERE extname = 'vector'", connection))
        {
            if (await installed.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string)
            {
                return;
            }
        }

        try
        {
            // A savepoint, so that a failure leaves the transaction usable for the clear error below.
            await Exec(connection, "SAVEPOINT create_vector; CREATE EXTENSION IF NOT EXISTS vector; RELEASE SAVEPOINT create_vector", cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.UndefinedFile or PostgresErrorCodes.FeatureNotSupported or PostgresErrorCodes.UndefinedObject)
        {
            throw new MemoryStoreException(location.Display, MemoryStoreError.Incompatible,
                $"{location.Display} has no pgvector extension and it could not be created ({ex.MessageText}). Install pgvector 0.7 or later on the server and run 'CREATE EXTENSION vector;' as a privileged role once.", ex);
        }
    }

    private static async Task CheckCompatibilityAsync(NpgsqlConnection connection, PostgresLocation location, int version, MemoryConfig config, int dimensions, CancellationToken cancellationToken)
    {
        if (version > CurrentVersion)
        {
            throw new MemoryStoreException(location.Display, MemoryStoreError.Incompatible,
                $"{location.Display} has schema version {version}, newer than this library's {CurrentVersion}. Upgrade GopiAI.Toolkit.SemanticMemory to open it.");
        }

        if (version == 0)
        {
            return;
        }

        var model = await Meta(connection, location.QuotedSchema, "model", cancellationToken).ConfigureAwait(false);
        var dims = await Meta(connection, location.QuotedSchema, "dimensions", cancellationToken).ConfigureAwait(false);
        if (model is not null && !string.Equals(model, config.EmbeddingModel, StringComparison.Ordinal))
        {
            throw new MemoryStoreException(location.Display, MemoryStoreError.Incompatible,
                $"{location.Display} holds vectors of the model '{model}', but MemoryConfig.EmbeddingModel is '{config.EmbeddingModel}'. Use the same model or another MemoryConfig.PostgresSchema.");
        }

        if (dims is not null && dims != dimensions.ToString(CultureInfo.InvariantCulture))
        {
            throw new MemoryStoreException(location.Display, MemoryStoreError.Incompatible,
                $"{location.Display} holds {dims}-dimensional vectors, but the embedding generator produces {dimensions}.");
        }
    }

    private static async Task<string?> Meta(NpgsqlConnection connection, string schema, string key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT value FROM {schema}.meta WHERE key = $1", connection);
        command.Parameters.AddWithValue(key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>A stable 64-bit advisory lock key for a schema name (FNV-1a over "gopiai-memory:" + name).</summary>
    internal static long LockKey(string schema)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in "gopiai-memory:" + schema)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    private static async Task Exec(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
