using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>Writes: batches with the same identity rules as every provider (<see cref="Sqlite.DocumentIdentity"/>), deletes and optimisation.</summary>
internal sealed partial class PostgresMemoryStore
{
    /// <summary>
    /// Writes the batch and, when it takes the memory past <see cref="MemoryConfig.MaxDocuments"/>, applies
    /// <see cref="MemoryConfig.Retention"/> in the same transaction (the count is the state row's, kept by every write).
    /// Pending retrieval times are written first, so eviction sees them.
    /// </summary>
    public async Task<BatchOutcome> WriteBatchAsync(IReadOnlyList<PreparedDocument> batch, CancellationToken cancellationToken)
    {
        foreach (var document in batch)
        {
            ThrowIfHoldsNul(document);
        }

        var retrievals = _retention.Retrievals?.Drain() ?? EmptyRetrievals;
        var evicted = 0;
        BatchOutcome outcome;
        try
        {
            outcome = await WriteAsync("write to", async (connection, transaction) =>
            {
                evicted = 0;
                await RecordRetrievalsAsync(connection, transaction, retrievals, cancellationToken).ConfigureAwait(false);
                var ids = new string?[batch.Count];
                var pending = new List<int>();
                int stored = 0, duplicates = 0;
                var added = PostgresRowCounts.None;
                var storedAt = _retention.NowMs;
                for (var index = 0; index < batch.Count; index++)
                {
                    var document = batch[index];
                    await ThrowIfIdsCollideAsync(connection, transaction, document, cancellationToken).ConfigureAwait(false);
                    if (await StoredAsAsync(connection, transaction, document, cancellationToken).ConfigureAwait(false) is { } existing)
                    {
                        ids[index] = existing;
                        duplicates++;
                        continue;
                    }

                    if (document.Chunks.Any(c => c.Vector.Length == 0))
                    {
                        // Skipped as a duplicate before embedding, but no longer one (deleted meanwhile): embed and retry.
                        pending.Add(index);
                        continue;
                    }

                    added -= await DeleteCoreAsync(connection, transaction, document.Id, null, cancellationToken).ConfigureAwait(false);
                    added += await InsertAsync(connection, transaction, document, storedAt, cancellationToken).ConfigureAwait(false);
                    ids[index] = document.Id;
                    stored++;
                }

                var kept = ids.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
                var count = await AdjustCountsAsync(connection, transaction, added, cancellationToken).ConfigureAwait(false);
                var excess = _retention.Excess(count, kept.Length);
                if (excess > 0)
                {
                    var removed = PostgresRowCounts.None;
                    foreach (var victim in await ChooseVictimsAsync(connection, transaction, kept, excess, cancellationToken).ConfigureAwait(false))
                    {
                        removed += await DeleteCoreAsync(connection, transaction, victim, null, cancellationToken).ConfigureAwait(false);
                    }

                    evicted = (int)removed.Documents;
                    await AdjustCountsAsync(connection, transaction, -removed, cancellationToken).ConfigureAwait(false);
                }

                return new BatchOutcome(ids, stored, duplicates, pending);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _retention.Retrievals?.Requeue(retrievals);
            throw;
        }

        _retention.Evicted(evicted);
        return outcome;
    }

    public Task<IReadOnlySet<int>> FindDuplicatesAsync(IReadOnlyList<PreparedDocument> batch, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlySet<int>>("read", async connection =>
        {
            var duplicates = new HashSet<int>();
            for (var i = 0; i < batch.Count; i++)
            {
                if (!HoldsNul(batch[i]) && await StoredAsAsync(connection, null, batch[i], cancellationToken).ConfigureAwait(false) is not null)
                {
                    duplicates.Add(i);
                }
            }

            return duplicates;
        }, cancellationToken);

    public Task<int> DeleteDocumentAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync("delete from", (connection, transaction) => DeleteCountedAsync(connection, transaction, id, null, cancellationToken), cancellationToken);

    public Task<int> DeleteConversationAsync(string conversationId, CancellationToken cancellationToken) =>
        WriteAsync("delete from", (connection, transaction) => DeleteCountedAsync(connection, transaction, null, conversationId, cancellationToken), cancellationToken);

    /// <summary>Deletes like <see cref="DeleteCoreAsync"/>, takes the rows removed off the counts and returns the documents removed.</summary>
    private async Task<int> DeleteCountedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string? id, string? conversationId, CancellationToken cancellationToken)
    {
        var removed = await DeleteCoreAsync(connection, transaction, id, conversationId, cancellationToken).ConfigureAwait(false);
        await AdjustCountsAsync(connection, transaction, -removed, cancellationToken).ConfigureAwait(false);
        return (int)removed.Documents;
    }

    /// <summary>Refreshes the planner statistics; PostgreSQL maintains the HNSW and GIN indexes on every write, so there is nothing to rebuild.</summary>
    public async Task OptimizeAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotWritable("optimize");
        await ReadAsync("optimize", async connection =>
        {
            await using var analyze = new NpgsqlCommand($"ANALYZE {_documents}", connection);
            await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        _observer.OnStoreChanged(StoreChange.Written);
    }

    /// <summary>The id under which this exact document is already stored (nothing to write), or null: the rules of <see cref="Sqlite.DocumentIdentity"/>.</summary>
    private async Task<string?> StoredAsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, PreparedDocument document, CancellationToken cancellationToken)
    {
        if (document.IdGiven)
        {
            await using var same = new NpgsqlCommand(
                $"SELECT count(*) FROM {_documents} WHERE id = $1 AND kind <> {RowKindSql.Chunk} AND content_hash = $2 AND coalesce(conversation_id, '') = $3 " +
                "AND role IS NOT DISTINCT FROM $4 AND metadata = $5 AND source IS NOT DISTINCT FROM $6 AND ($7::bigint IS NULL OR timestamp_ms = $7)",
                connection, transaction);
            same.Parameters.AddWithValue(document.Id);
            same.Parameters.AddWithValue(document.ContentHash);
            same.Parameters.AddWithValue(document.ConversationId ?? string.Empty);
            same.Parameters.Add(Text(document.Role));
            same.Parameters.Add(new NpgsqlParameter { Value = document.MetadataJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            same.Parameters.Add(Text(document.Source));
            same.Parameters.Add(new NpgsqlParameter { Value = document.TimestampGiven ? document.TimestampMs : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            return (long)(await same.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0 ? document.Id : null;
        }

        await using var command = new NpgsqlCommand(
            $"SELECT id FROM {_documents} WHERE content_hash = $1 AND coalesce(conversation_id, '') = $2 AND kind <> {RowKindSql.Chunk} LIMIT 1",
            connection, transaction);
        command.Parameters.AddWithValue(document.ContentHash);
        command.Parameters.AddWithValue(document.ConversationId ?? string.Empty);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>Throws when the document's id is a stored chunk's id, or when its chunk ids are taken by other documents (the rules of <see cref="Sqlite.DocumentIdentity"/>).</summary>
    private async Task ThrowIfIdsCollideAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PreparedDocument document, CancellationToken cancellationToken)
    {
        await using (var owner = new NpgsqlCommand($"SELECT parent_id FROM {_documents} WHERE id = $1 AND kind = {RowKindSql.Chunk}", connection, transaction))
        {
            owner.Parameters.AddWithValue(document.Id);
            if (await owner.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string parent)
            {
                throw new ArgumentException(
                    $"Document {document.InputIndex} has the id '{document.Id}', which is the id of a chunk of the stored long document '{parent}'. " +
                    "Ids of the form '<id>#<n>' belong to the chunks of long documents; choose another id.", "documents");
            }
        }

        if (document.Chunks.Count < 2)
        {
            return;
        }

        // Every id that starts with "id#" (the id column sorts bytewise, COLLATE "C": '$' comes right after '#').
        await using var taken = new NpgsqlCommand(
            $"SELECT id FROM {_documents} WHERE id > $1 AND id < $2 AND NOT (kind = {RowKindSql.Chunk} AND parent_id = $3)", connection, transaction);
        taken.Parameters.AddWithValue(document.Id + "#");
        taken.Parameters.AddWithValue(document.Id + "$");
        taken.Parameters.AddWithValue(document.Id);
        await using var reader = await taken.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            if (int.TryParse(id.AsSpan(document.Id.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < document.Chunks.Count
                && id.Length == document.Id.Length + 1 + index.ToString(CultureInfo.InvariantCulture).Length)
            {
                throw new ArgumentException(
                    $"Document {document.InputIndex} ('{document.Id}') is long enough to be stored as {document.Chunks.Count} chunks with the ids " +
                    $"'{document.Id}#0' to '{document.Id}#{document.Chunks.Count - 1}', but '{id}' is already the id of another document. Choose another id for one of them.",
                    "documents");
            }
        }
    }

    /// <summary>
    /// Inserts a document's rows; <paramref name="storedAtMs"/> (now) is its retrieval time until a search returns it.
    /// Returns the rows inserted; the caller adjusts the counts.
    /// </summary>
    private async Task<PostgresRowCounts> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PreparedDocument document, long storedAtMs, CancellationToken cancellationToken)
    {
        var sql = $"""
            INSERT INTO {_documents} (id, kind, parent_id, chunk_index, conversation_id, role, content, metadata, source, timestamp_ms, content_hash, embedding, retrieved_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """;
        await using var batch = new NpgsqlBatch(connection, transaction);
        var chunked = document.Chunks.Count > 1;
        batch.BatchCommands.Add(Row(document.Id, chunked ? RowKind.Parent : RowKind.Document, null, null, document.Content, document.ContentHash, chunked ? null : document.Chunks[0].Vector));
        if (chunked)
        {
            for (var i = 0; i < document.Chunks.Count; i++)
            {
                var text = document.Chunks[i].Text;
                batch.BatchCommands.Add(Row($"{document.Id}#{i}", RowKind.Chunk, document.Id, i, text, Embeddings.Hash256.Of(text).ToBytes(), document.Chunks[i].Vector));
            }
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return chunked ? new PostgresRowCounts(1, document.Chunks.Count) : PostgresRowCounts.Of(RowKind.Document);

        NpgsqlBatchCommand Row(string id, RowKind kind, string? parentId, int? chunkIndex, string content, byte[] hash, float[]? vector)
        {
            if (vector is not null && vector.Length != Dimensions)
            {
                throw new InvalidOperationException($"The embedding generator returned {vector.Length} dimensions; this memory holds {Dimensions}.");
            }

            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddWithValue(id);
            command.Parameters.AddWithValue((short)kind);
            command.Parameters.Add(Text(parentId));
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)chunkIndex ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(Text(document.ConversationId));
            command.Parameters.Add(Text(document.Role));
            command.Parameters.AddWithValue(content);
            command.Parameters.Add(new NpgsqlParameter { Value = document.MetadataJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(Text(document.Source));
            command.Parameters.AddWithValue(document.TimestampMs);
            command.Parameters.AddWithValue(hash);
            command.Parameters.Add(new NpgsqlParameter { Value = vector is null ? DBNull.Value : new Vector(vector), DataTypeName = "vector" });
            command.Parameters.Add(new NpgsqlParameter { Value = kind == RowKind.Chunk ? DBNull.Value : storedAtMs, NpgsqlDbType = NpgsqlDbType.Bigint });
            return command;
        }
    }

    /// <summary>Deletes a document (a chunk id stands for its whole document) or a conversation; returns the rows removed.</summary>
    private async Task<PostgresRowCounts> DeleteCoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string? id, string? conversationId, CancellationToken cancellationToken)
    {
        await using var command = id is not null
            ? new NpgsqlCommand($"""
                WITH target(root) AS (SELECT coalesce((SELECT parent_id FROM {_documents} WHERE id = $1 AND kind = {RowKindSql.Chunk}), $1))
                DELETE FROM {_documents} d USING target WHERE d.id = target.root OR d.parent_id = target.root RETURNING d.kind
                """, connection, transaction)
            : new NpgsqlCommand($"DELETE FROM {_documents} WHERE conversation_id = $1 RETURNING kind", connection, transaction);
        command.Parameters.AddWithValue(id ?? conversationId!);
        var removed = PostgresRowCounts.None;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            removed += PostgresRowCounts.Of((RowKind)reader.GetInt16(0));
        }

        return removed;
    }

    /// <summary>PostgreSQL text and jsonb cannot hold U+0000: such a document is refused before anything is written.</summary>
    private static void ThrowIfHoldsNul(PreparedDocument document)
    {
        if (HoldsNul(document))
        {
            throw new ArgumentException(
                $"Document {document.InputIndex} ('{document.Id.Replace("\0", "\\0", StringComparison.Ordinal)}') holds the character U+0000 (NUL), which PostgreSQL text cannot store. Remove it; nothing of the batch was stored.",
                "documents");
        }
    }

    private static bool HoldsNul(PreparedDocument document) =>
        document.Content.Contains('\0', StringComparison.Ordinal) || document.Id.Contains('\0', StringComparison.Ordinal)
        || document.ConversationId?.Contains('\0', StringComparison.Ordinal) == true || document.Role?.Contains('\0', StringComparison.Ordinal) == true
        || document.Source?.Contains('\0', StringComparison.Ordinal) == true || document.MetadataJson.Contains("\\u0000", StringComparison.Ordinal);

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
