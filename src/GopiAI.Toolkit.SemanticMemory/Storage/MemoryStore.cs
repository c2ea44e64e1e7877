using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using GopiAI.Toolkit.SemanticMemory.Search;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>
/// The SQLite file: the single source of truth. Documents, vectors and the FTS5 index change together in one
/// transaction per batch; every write runs on the <see cref="WriteQueue{TState}"/>; reads use pooled read connections
/// (WAL lets them run while a write is in progress). Opening takes no lock unless the schema must be created or
/// migrated, so a memory that another process is writing, or a read-only file, can still be searched.
/// </summary>
internal sealed partial class MemoryStore : IAsyncDisposable
{
    private readonly MemoryConfig _config;
    private readonly StoreAccess _access;
    private readonly string _readConnectionString;
    private readonly SqliteConnection _writer;
    private readonly WriteQueue<SqliteConnection> _queue;
    private readonly ConcurrentBag<SqliteConnection> _readers = [];
    private int _disposed;
    private int _damaged;
    private long _dataVersion;
    private long _writeVersion;
    private RowCount _rowCount = new(-1, -1);

    private MemoryStore(MemoryConfig config, string filePath, int dimensions, SqliteConnection writer, StoreAccess access)
    {
        _config = config;
        FilePath = filePath;
        Dimensions = dimensions;
        _writer = writer;
        _access = access;
        _readConnectionString = StoreConnections.For(filePath, access, config.BusyTimeout);
        _queue = new WriteQueue<SqliteConnection>(writer);
    }

    public string FilePath { get; }

    public int Dimensions { get; }

    /// <summary>Whether the file (or its folder) cannot be written: search, context, stats and backup work, changes throw.</summary>
    public bool IsReadOnly => _access != StoreAccess.ReadWrite;

    /// <summary>Called on the writer thread after each commit, before the write task completes.</summary>
    public Action<IReadOnlyList<VectorChange>>? VectorsChanged { get; set; }

    /// <summary>Called on the writer thread after the whole content was replaced (restore).</summary>
    public Action? Reset { get; set; }

    public static async Task<MemoryStore> OpenAsync(MemoryConfig config, int dimensions, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(config.IndexPath);
        var inspection = await Task.Run(() => MemoryFileInspector.Inspect(path, config, dimensions), cancellationToken).ConfigureAwait(false);
        var access = inspection.Writable ? StoreAccess.ReadWrite : inspection.ReadAccess;
        SqliteConnection? writer = null;
        try
        {
            if (access == StoreAccess.ReadWrite)
            {
                try
                {
                    writer = OpenWriter(path, config, dimensions, inspection);
                }
                catch (SqliteException ex) when (StoreErrors.IsCantOpen(ex) && inspection.Exists && inspection.Version == Schema.CurrentVersion)
                {
                    // The file is writable but its folder is not (SQLite cannot create the -wal and -shm files there).
                    writer?.Dispose();
                    writer = null;
                    access = StoreAccess.ReadOnly;
                }
            }

            if (writer is null)
            {
                (writer, access) = OpenReadOnly(path, config, inspection, access);
            }
        }
        catch (Exception ex) when (ex is SqliteException or UnauthorizedAccessException or IOException && ex is not MemoryStoreException)
        {
            writer?.Dispose();
            throw StoreErrors.Translate(ex, path, "open");
        }
        catch
        {
            writer?.Dispose();
            throw;
        }

        var store = new MemoryStore(config, path, dimensions, writer, access);
        store._dataVersion = Convert.ToInt64(Scalar(writer, "PRAGMA data_version;"), CultureInfo.InvariantCulture);
        return store;
    }

    /// <summary>The read-write connection; creates the folder and the schema when needed, and takes the write lock only then.</summary>
    private static SqliteConnection OpenWriter(string path, MemoryConfig config, int dimensions, FileInspection inspection)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var writer = new SqliteConnection(StoreConnections.For(path, StoreAccess.ReadWrite, config.BusyTimeout, create: true));
        try
        {
            writer.Open();
            Configure(writer, config);
            if (!string.Equals(Scalar(writer, "PRAGMA journal_mode;") as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                Exec(writer, "PRAGMA journal_mode = WAL;");
            }

            if (inspection.Version < Schema.CurrentVersion)
            {
                Migrate(writer, path, config, dimensions);
            }

            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>A read-only connection for the writer thread; falls back to an immutable one where SQLite cannot create the WAL index.</summary>
    private static (SqliteConnection Connection, StoreAccess Access) OpenReadOnly(string path, MemoryConfig config, FileInspection inspection, StoreAccess access)
    {
        if (inspection.Version == 0)
        {
            throw new MemoryStoreException(path, MemoryStoreError.ReadOnly,
                $"'{path}' is read-only (the file or its folder cannot be written) and holds no memory yet, so there is nothing to read. Make it writable or choose another MemoryConfig.IndexPath.");
        }

        if (inspection.Version < Schema.CurrentVersion)
        {
            throw new MemoryStoreException(path, MemoryStoreError.ReadOnly,
                $"'{path}' has schema version {inspection.Version} and must be upgraded to {Schema.CurrentVersion} before it can be used, which needs write access. Make the file and its folder writable once.");
        }

        var connection = new SqliteConnection(StoreConnections.For(path, access, config.BusyTimeout));
        try
        {
            connection.Open();
            Scalar(connection, "PRAGMA schema_version;");
            return (connection, access);
        }
        catch (SqliteException ex) when (StoreErrors.IsCantOpen(ex) && access == StoreAccess.ReadOnly)
        {
            connection.Dispose();
            var immutable = new SqliteConnection(StoreConnections.For(path, StoreAccess.Immutable, config.BusyTimeout));
            immutable.Open();
            return (immutable, StoreAccess.Immutable);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Throws when the memory was opened read-only.</summary>
    public void ThrowIfReadOnly(string action)
    {
        if (IsReadOnly)
        {
            throw new MemoryStoreException(FilePath, MemoryStoreError.ReadOnly,
                $"Cannot {action} '{FilePath}': the memory is read-only (the file or its folder cannot be written), so it can be searched but not changed. Make it writable to change it.");
        }
    }

    /// <summary>Throws when the memory cannot be changed: opened read-only, or found damaged by an earlier operation.</summary>
    public void ThrowIfNotWritable(string action)
    {
        ThrowIfReadOnly(action);
        if (Volatile.Read(ref _damaged) != 0)
        {
            throw new MemoryStoreException(FilePath, MemoryStoreError.NotAMemoryFile,
                $"Cannot {action} '{FilePath}': SQLite reported the file as damaged earlier, so nothing more is written to it. Restore a backup (RestoreAsync) or choose another MemoryConfig.IndexPath.");
        }
    }

    private static void Configure(SqliteConnection connection, MemoryConfig config)
    {
        Exec(connection, $"PRAGMA busy_timeout = {(long)config.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;");
        if (config.MaxPageCount is { } pages)
        {
            Exec(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA max_page_count = {pages};"));
        }
    }

    private static void Migrate(SqliteConnection connection, string path, MemoryConfig config, int dimensions)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        MemoryFileInspector.CheckCompatibility(connection, path, version, config, dimensions);
        for (var v = version; v < Schema.CurrentVersion; v++)
        {
            Exec(connection, Schema.Migrations[v]);
        }

        if (version == 0)
        {
            Exec(connection, $"PRAGMA application_id = {Schema.ApplicationId};");
            using var meta = connection.CreateCommand();
            meta.CommandText = "INSERT INTO meta(key, value) VALUES ('model', $m), ('dimensions', $d), ('created', $c);";
            meta.Parameters.AddWithValue("$m", config.EmbeddingModel);
            meta.Parameters.AddWithValue("$d", dimensions.ToString(CultureInfo.InvariantCulture));
            meta.Parameters.AddWithValue("$c", config.TimeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            meta.ExecuteNonQuery();
        }

        if (version < Schema.CurrentVersion)
        {
            Exec(connection, $"PRAGMA user_version = {Schema.CurrentVersion};");
        }

        transaction.Commit();
    }

    public Task<BatchOutcome> WriteBatchAsync(IReadOnlyList<PreparedDocument> batch, CancellationToken cancellationToken) =>
        RunWriteAsync("write", connection =>
        {
            ThrowIfNotWritable("write to");
            var changes = new List<VectorChange>();
            var ids = new string?[batch.Count];
            var pending = new List<int>();
            int stored = 0, duplicates = 0;
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                foreach (var document in batch.Select((d, i) => (d, i)))
                {
                    var (doc, index) = document;
                    DocumentIdentity.ThrowIfIdsCollide(connection, doc);
                    if (DocumentIdentity.StoredAs(connection, doc) is { } existing)
                    {
                        ids[index] = existing;
                        duplicates++;
                        continue;
                    }

                    if (doc.Chunks.Any(c => c.Vector.Length == 0))
                    {
                        // Skipped as a duplicate before embedding, but no longer one (deleted meanwhile): embed and retry.
                        pending.Add(index);
                        continue;
                    }

                    DeleteCore(connection, doc.Id, null, changes);
                    Insert(connection, doc, changes);
                    ids[index] = doc.Id;
                    stored++;
                }

                var count = Convert.ToInt64(Scalar(connection, CountDocumentsSql), CultureInfo.InvariantCulture);
                if (count > _config.MaxDocuments)
                {
                    transaction.Rollback();
                    throw new InvalidOperationException(
                        $"Storing this batch would hold {count} documents, more than MemoryConfig.MaxDocuments ({_config.MaxDocuments}). Delete documents or raise the limit.");
                }

                transaction.Commit();
            }

            Interlocked.Increment(ref _writeVersion);
            VectorsChanged?.Invoke(changes);
            return new BatchOutcome(ids, stored, duplicates, pending);
        }, cancellationToken);

    /// <summary>Positions in the batch of documents already stored exactly (no need to embed them); a hint only, re-checked when writing.</summary>
    public Task<HashSet<int>> FindDuplicatesAsync(IReadOnlyList<PreparedDocument> batch, CancellationToken cancellationToken) =>
        RunReadAsync(connection =>
        {
            var duplicates = new HashSet<int>();
            for (var i = 0; i < batch.Count; i++)
            {
                if (DocumentIdentity.StoredAs(connection, batch[i]) is not null)
                {
                    duplicates.Add(i);
                }
            }

            return duplicates;
        }, cancellationToken);

    private void Insert(SqliteConnection connection, PreparedDocument document, List<VectorChange> changes)
    {
        var chunked = document.Chunks.Count > 1;
        var rowId = InsertRow(connection, document, document.Id, chunked ? RowKind.Parent : RowKind.Document, null, null, document.Content);
        if (!chunked)
        {
            InsertSearchable(connection, rowId, document.Content, document.Chunks[0].Vector, changes);
            return;
        }

        for (var i = 0; i < document.Chunks.Count; i++)
        {
            var chunk = document.Chunks[i];
            var chunkRow = InsertRow(connection, document, $"{document.Id}#{i}", RowKind.Chunk, document.Id, i, chunk.Text);
            InsertSearchable(connection, chunkRow, chunk.Text, chunk.Vector, changes);
        }
    }

    private static long InsertRow(SqliteConnection connection, PreparedDocument d, string id, RowKind kind, string? parentId, int? chunkIndex, string content)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO documents(id, kind, parent_id, chunk_index, conversation_id, role, content, metadata, source, timestamp, content_hash)
            VALUES ($id, $kind, $parent, $chunk, $conversation, $role, $content, $metadata, $source, $timestamp, $hash)
            RETURNING rowid;
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$kind", (int)kind);
        command.Parameters.AddWithValue("$parent", (object?)parentId ?? DBNull.Value);
        command.Parameters.AddWithValue("$chunk", (object?)chunkIndex ?? DBNull.Value);
        command.Parameters.AddWithValue("$conversation", (object?)d.ConversationId ?? DBNull.Value);
        command.Parameters.AddWithValue("$role", (object?)d.Role ?? DBNull.Value);
        command.Parameters.AddWithValue("$content", content);
        command.Parameters.AddWithValue("$metadata", d.MetadataJson);
        command.Parameters.AddWithValue("$source", (object?)d.Source ?? DBNull.Value);
        command.Parameters.AddWithValue("$timestamp", d.TimestampMs);
        command.Parameters.AddWithValue("$hash", kind == RowKind.Chunk ? Embeddings.Hash256.Of(content).ToBytes() : d.ContentHash);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private void InsertSearchable(SqliteConnection connection, long rowId, string content, float[] vector, List<VectorChange> changes)
    {
        if (vector.Length != Dimensions)
        {
            throw new InvalidOperationException($"The embedding generator returned {vector.Length} dimensions; this memory file holds {Dimensions}.");
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO vectors(rowid, format, scale, data) VALUES ($r, $f, $s, $d);";
            command.Parameters.AddWithValue("$r", rowId);
            if (_config.EnableCompression)
            {
                var quantized = new sbyte[vector.Length];
                var scale = VectorMath.Quantize(vector, quantized);
                command.Parameters.AddWithValue("$f", (int)VectorFormat.Int8);
                command.Parameters.AddWithValue("$s", (double)scale);
                command.Parameters.AddWithValue("$d", MemoryMarshal.AsBytes(quantized.AsSpan()).ToArray());
            }
            else
            {
                command.Parameters.AddWithValue("$f", (int)VectorFormat.Float32);
                command.Parameters.AddWithValue("$s", 1.0);
                command.Parameters.AddWithValue("$d", MemoryMarshal.AsBytes(vector.AsSpan()).ToArray());
            }

            command.ExecuteNonQuery();
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO fts(rowid, content) VALUES ($r, $c);";
            command.Parameters.AddWithValue("$r", rowId);
            command.Parameters.AddWithValue("$c", content);
            command.ExecuteNonQuery();
        }

        changes.Add(new VectorChange(rowId, vector));
    }

    public Task<int> DeleteAsync(string? id, string? conversationId, CancellationToken cancellationToken) =>
        RunWriteAsync("delete", connection =>
        {
            ThrowIfNotWritable("delete from");
            var changes = new List<VectorChange>();
            int removed;
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                removed = DeleteCore(connection, id, conversationId, changes);
                transaction.Commit();
            }

            Interlocked.Increment(ref _writeVersion);

            if (changes.Count > 0)
            {
                VectorsChanged?.Invoke(changes);
            }

            return removed;
        }, cancellationToken);

    /// <summary>Deletes a document (and its chunks) or a conversation from all three tables; returns the documents removed.</summary>
    private static int DeleteCore(SqliteConnection connection, string? id, string? conversationId, List<VectorChange> changes)
    {
        var rows = new List<(long RowId, long Kind)>();
        using (var select = connection.CreateCommand())
        {
            if (id is not null)
            {
                // A chunk id stands for its whole document: deleting part of a document would leave a torn one.
                select.CommandText = $"""
                    WITH target(root) AS (SELECT coalesce((SELECT parent_id FROM documents WHERE id = $id AND kind = {RowKindSql.Chunk}), $id))
                    SELECT rowid, kind FROM documents, target WHERE id = target.root OR parent_id = target.root;
                    """;
                select.Parameters.AddWithValue("$id", id);
            }
            else
            {
                select.CommandText = "SELECT rowid, kind FROM documents WHERE conversation_id = $c;";
                select.Parameters.AddWithValue("$c", conversationId);
            }

            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        using var deleteFts = connection.CreateCommand();
        deleteFts.CommandText = "DELETE FROM fts WHERE rowid = $r;";
        var ftsRow = deleteFts.Parameters.Add("$r", SqliteType.Integer);
        using var deleteVector = connection.CreateCommand();
        deleteVector.CommandText = "DELETE FROM vectors WHERE rowid = $r;";
        var vectorRow = deleteVector.Parameters.Add("$r", SqliteType.Integer);
        using var deleteDocument = connection.CreateCommand();
        deleteDocument.CommandText = "DELETE FROM documents WHERE rowid = $r;";
        var documentRow = deleteDocument.Parameters.Add("$r", SqliteType.Integer);
        foreach (var (rowId, kind) in rows)
        {
            ftsRow.Value = rowId;
            vectorRow.Value = rowId;
            documentRow.Value = rowId;
            deleteFts.ExecuteNonQuery();
            deleteVector.ExecuteNonQuery();
            deleteDocument.ExecuteNonQuery();
            if (kind != (long)RowKind.Parent)
            {
                changes.Add(new VectorChange(rowId, null));
            }
        }

        return rows.Count(r => r.Kind != (long)RowKind.Chunk);
    }

    /// <summary>
    /// Detects commits made by other processes (PRAGMA data_version on the writer connection changes only for those),
    /// and then raises <see cref="Reset"/> so that the in-memory vectors are reloaded instead of drifting from the file.
    /// </summary>
    public Task<bool> CheckExternalChangesAsync(CancellationToken cancellationToken) =>
        RunWriteAsync("read", connection =>
        {
            var version = Convert.ToInt64(Scalar(connection, "PRAGMA data_version;"), CultureInfo.InvariantCulture);
            var previous = Interlocked.Exchange(ref _dataVersion, version);
            if (previous == version)
            {
                return false;
            }

            Interlocked.Increment(ref _writeVersion);
            Reset?.Invoke();
            return true;
        }, cancellationToken);

    /// <summary>Runs an operation on the writer thread, between two writes.</summary>
    public Task<T> RunOnWriterAsync<T>(Func<T> operation, CancellationToken cancellationToken) =>
        RunWriteAsync("update", _ => operation(), cancellationToken);

    /// <summary>
    /// Loads every vector (as stored) on the writer thread, so no committed change can be missed or applied twice.
    /// Rows that <see cref="RowValidator.CheckVector"/> rejects are left out (GetStatsAsync reports them).
    /// </summary>
    public Task<T> LoadVectorsAsync<T>(Func<IEnumerable<StoredVector>, T> consume, CancellationToken cancellationToken) =>
        RunWriteAsync("load vectors", connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT rowid, format, scale, data FROM vectors ORDER BY rowid;";
            using var reader = command.ExecuteReader();
            return consume(Rows(reader, Dimensions));

            static IEnumerable<StoredVector> Rows(SqliteDataReader reader, int dimensions)
            {
                while (reader.Read())
                {
                    if (RowValidator.CheckVector(reader.GetInt64(0), reader.GetValue(1), reader.GetValue(2), reader.GetValue(3), dimensions, out var vector) is null)
                    {
                        yield return vector;
                    }
                }
            }
        }, cancellationToken);

    /// <summary>BM25 ranks (lower is better) of rows matching any of the query words that <see cref="KeywordTerms"/> selects, filters applied in SQL.</summary>
    public Task<List<(long RowId, double Bm25)>> KeywordSearchAsync(IReadOnlyList<string> words, int limit, SearchOptions options, CancellationToken cancellationToken) =>
        RunReadAsync(connection =>
        {
            var matchExpression = KeywordQuery.ToMatchExpression(words.Count > 1 ? KeywordTerms.Select(connection, words, SearchableRows(connection)) : words);
            if (matchExpression is null)
            {
                return [];
            }

            using var command = connection.CreateCommand();
            // Without filters FTS5 ranks on its own (ORDER BY rank = bm25); the join is paid only when filtering.
            var sql = new StringBuilder(HasFilters(options)
                ? "SELECT fts.rowid, fts.rank FROM fts JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH $q"
                : "SELECT fts.rowid, fts.rank FROM fts WHERE fts MATCH $q");
            AppendFilters(sql, command, options);
            sql.Append(" ORDER BY fts.rank LIMIT $limit;");
            command.CommandText = sql.ToString();
            command.Parameters.AddWithValue("$q", matchExpression);
            command.Parameters.AddWithValue("$limit", limit);
            var results = new List<(long, double)>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                results.Add((reader.GetInt64(0), reader.GetDouble(1)));
            }

            return results;
        }, cancellationToken);

    /// <summary>Searchable rows (documents and chunks), counted from indexes only and cached until the next write.</summary>
    private long SearchableRows(SqliteConnection connection)
    {
        var version = Volatile.Read(ref _writeVersion);
        var cached = Volatile.Read(ref _rowCount);
        if (cached.Version == version && cached.Rows >= 0)
        {
            return cached.Rows;
        }

        var rows = Convert.ToInt64(Scalar(connection,
            "SELECT (SELECT count(*) FROM documents) - (SELECT count(DISTINCT parent_id) FROM documents WHERE parent_id IS NOT NULL);"), CultureInfo.InvariantCulture);
        Volatile.Write(ref _rowCount, new RowCount(version, rows));
        return rows;
    }

    private sealed record RowCount(long Version, long Rows);

    /// <summary>The searchable rows that pass the filters (for dense search).</summary>
    public Task<HashSet<long>> FilterAsync(SearchOptions options, CancellationToken cancellationToken) =>
        RunReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder("SELECT d.rowid FROM documents d WHERE d.kind <> ").Append(RowKindSql.Parent);
            AppendFilters(sql, command, options);
            command.CommandText = sql.ToString();
            var set = new HashSet<long>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                set.Add(reader.GetInt64(0));
            }

            return set;
        }, cancellationToken);

    public static bool HasFilters(SearchOptions options) =>
        options.ConversationId is not null || options.Role is not null || options.From is not null || options.To is not null || options.Metadata is { Count: > 0 };

    private static void AppendFilters(StringBuilder sql, SqliteCommand command, SearchOptions options)
    {
        if (options.ConversationId is not null)
        {
            sql.Append(" AND d.conversation_id = $fc");
            command.Parameters.AddWithValue("$fc", options.ConversationId);
        }

        if (options.Role is not null)
        {
            sql.Append(" AND d.role = $fr");
            command.Parameters.AddWithValue("$fr", options.Role);
        }

        if (options.From is { } from)
        {
            sql.Append(" AND d.timestamp >= $ff");
            command.Parameters.AddWithValue("$ff", from.ToUnixTimeMilliseconds());
        }

        if (options.To is { } to)
        {
            sql.Append(" AND d.timestamp < $ft");
            command.Parameters.AddWithValue("$ft", to.ToUnixTimeMilliseconds());
        }

        if (options.Metadata is { Count: > 0 } metadata)
        {
            var i = 0;
            foreach (var (key, value) in metadata)
            {
                // Guarded by json_valid: a damaged row must not fail the whole search (the JSON functions throw on malformed text).
                sql.Append(CultureInfo.InvariantCulture,
                    $" AND CASE WHEN json_valid(d.metadata) THEN EXISTS (SELECT 1 FROM json_each(d.metadata) j WHERE j.key = $mk{i} AND j.value = $mv{i}) ELSE 0 END");
                command.Parameters.AddWithValue($"$mk{i}", key);
                command.Parameters.AddWithValue($"$mv{i}", value ?? string.Empty);
                i++;
            }
        }
    }

    public Task<Dictionary<long, DocumentRow>> GetRowsAsync(IReadOnlyCollection<long> rowIds, CancellationToken cancellationToken) =>
        RunReadAsync(connection =>
        {
            var rows = new Dictionary<long, DocumentRow>(rowIds.Count);
            if (rowIds.Count == 0)
            {
                return rows;
            }

            using var command = connection.CreateCommand();
            command.CommandText = GetRowsSql;
            command.Parameters.AddWithValue("$ids", "[" + string.Join(',', rowIds) + "]");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var row = new DocumentRow(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetString(5),
                    reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.GetInt64(8));
                rows[row.RowId] = row;
            }

            return rows;
        }, cancellationToken);

    public Task OptimizeAsync(CancellationToken cancellationToken) =>
        RunWriteAsync("optimize", connection =>
        {
            ThrowIfNotWritable("optimize");
            Exec(connection, "INSERT INTO fts(fts) VALUES ('optimize');");
            Exec(connection, "PRAGMA optimize;");
            Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
            return true;
        }, cancellationToken);

    public Task<MemoryStats> GetStatsAsync(CancellationToken cancellationToken) =>
        RunReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = StatsSql;
            using var reader = command.ExecuteReader();
            reader.Read();
            var size = FileSize(FilePath) + FileSize(FilePath + "-wal");
            var audit = MemoryAudit.Run(connection, Dimensions, cancellationToken);
            return new MemoryStats
            {
                DocumentCount = reader.GetInt64(0),
                ChunkCount = reader.GetInt64(1),
                ConversationCount = reader.GetInt64(2),
                Oldest = reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                Newest = reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                EmbeddingModel = reader.IsDBNull(5) ? _config.EmbeddingModel : reader.GetString(5),
                Dimensions = Dimensions,
                Compressed = _config.EnableCompression,
                SchemaVersion = Schema.CurrentVersion,
                FileSizeBytes = size,
                HnswActive = false,
                InvalidRows = audit.InvalidRows,
                InvalidRowDetails = audit.Problems,
            };
        }, cancellationToken);

    private static readonly string GetRowsSql =
        "SELECT d.rowid, d.id, d.parent_id, d.conversation_id, d.role, d.content, d.metadata, d.source, d.timestamp FROM documents d " +
        $"WHERE d.rowid IN (SELECT value FROM json_each($ids)) AND d.kind <> {RowKindSql.Parent};";

    private static readonly string CountDocumentsSql = $"SELECT count(*) FROM documents WHERE kind <> {RowKindSql.Chunk};";

    private static readonly string StatsSql = $"""
        SELECT
          (SELECT count(*) FROM documents WHERE kind <> {RowKindSql.Chunk}),
          (SELECT count(*) FROM documents WHERE kind <> {RowKindSql.Parent}),
          (SELECT count(DISTINCT conversation_id) FROM documents WHERE conversation_id IS NOT NULL),
          (SELECT min(timestamp) FROM documents),
          (SELECT max(timestamp) FROM documents),
          (SELECT value FROM meta WHERE key = 'model');
        """;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _queue.DisposeAsync().ConfigureAwait(false);
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }

        _writer.Dispose();
    }

    private async Task<T> RunWriteAsync<T>(string action, Func<SqliteConnection, T> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await _queue.EnqueueAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw Fail(ex, action);
        }
    }

    private async Task<T> RunReadAsync<T>(Func<SqliteConnection, T> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_readers.TryTake(out var connection))
        {
            connection = new SqliteConnection(_readConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                Exec(connection, $"PRAGMA busy_timeout = {(long)_config.BusyTimeout.TotalMilliseconds}; PRAGMA query_only = ON;");
            }
            catch (SqliteException ex)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw Fail(ex, "read");
            }
        }

        try
        {
            return operation(connection);
        }
        catch (SqliteException ex)
        {
            throw Fail(ex, "read");
        }
        finally
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                connection.Dispose();
            }
            else
            {
                _readers.Add(connection);
            }
        }
    }

    /// <summary>Translates a SQLite error; after a corruption error the store refuses further writes (see <see cref="ThrowIfNotWritable"/>).</summary>
    private MemoryStoreException Fail(SqliteException ex, string action)
    {
        if (StoreErrors.IsCorruption(ex))
        {
            Volatile.Write(ref _damaged, 1);
        }

        return StoreErrors.Translate(ex, FilePath, action);
    }

    internal static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
