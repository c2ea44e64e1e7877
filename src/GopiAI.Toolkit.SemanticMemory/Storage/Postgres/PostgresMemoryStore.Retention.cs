using Npgsql;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>
/// <see cref="MemoryConfig.Retention"/> on PostgreSQL: the document count kept in the <c>state</c> row (whose lock every
/// write transaction holds already, so instances never race on it; the searchable-row count beside it, see <see cref="PostgresRowCounts"/>), choosing the documents to evict through an index,
/// and retrieval times written in bulk.
/// </summary>
internal sealed partial class PostgresMemoryStore
{
    private static readonly IReadOnlyDictionary<string, long> EmptyRetrievals = new Dictionary<string, long>();
    private Task _retrievalFlush = Task.CompletedTask;

    /// <summary>
    /// Notes that search returned these documents (for <see cref="MemoryRetention.EvictLeastRecentlyRetrieved"/>; nothing
    /// otherwise). The times reach the database with the next batch, in a background write once enough have piled up, or
    /// when the memory is closed.
    /// </summary>
    public void NoteRetrieved(IEnumerable<string> documentIds)
    {
        if (_retention.Retrievals is not { } log || _readOnly || !log.Note(documentIds) || !log.TryBeginFlush())
        {
            return;
        }

        _retrievalFlush = FlushRetrievalsAsync(log);
    }

    /// <summary>
    /// Adds <paramref name="delta"/> to the counts of the state row (inside a write transaction, which holds that row's
    /// lock, so writers of every instance keep them exact) and returns the new document count.
    /// </summary>
    private async Task<long> AdjustCountsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresRowCounts delta, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"UPDATE {_state} SET documents = documents + $1, searchable = searchable + $2 RETURNING documents", connection, transaction);
        command.Parameters.AddWithValue(delta.Documents);
        command.Parameters.AddWithValue(delta.Searchable);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Sets the counts (after a restore replaced every row).</summary>
    private async Task SetCountsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresRowCounts counts, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"UPDATE {_state} SET documents = $1, searchable = $2", connection, transaction);
        command.Parameters.AddWithValue(counts.Documents);
        command.Parameters.AddWithValue(counts.Searchable);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The <paramref name="count"/> documents to evict, leaving out <paramref name="kept"/> (the batch's): an index walk in
    /// eviction order (<c>documents_timestamp</c>, or the expression index <c>documents_retrieved</c>) that stops after them.
    /// </summary>
    private async Task<List<string>> ChooseVictimsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string[] kept, int count, CancellationToken cancellationToken)
    {
        var order = _retention.Policy == MemoryRetention.EvictOldest ? "timestamp_ms" : "coalesce(retrieved_ms, timestamp_ms)";
        await using var command = new NpgsqlCommand(
            $"SELECT id FROM {_documents} WHERE kind <> {RowKindSql.Chunk} AND NOT (id = ANY($1)) ORDER BY {order}, row_id LIMIT $2", connection, transaction);
        command.Parameters.AddWithValue(kept);
        command.Parameters.AddWithValue(count);
        var victims = new List<string>(count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            victims.Add(reader.GetString(0));
        }

        return victims;
    }

    /// <summary>Writes retrieval times (document id → Unix milliseconds) in one statement; ids no longer stored are skipped.</summary>
    private async Task RecordRetrievalsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyDictionary<string, long> retrievals, CancellationToken cancellationToken)
    {
        if (retrievals.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            $"""
            UPDATE {_documents} d SET retrieved_ms = r.ms FROM unnest($1::text[], $2::bigint[]) AS r(id, ms)
            WHERE d.id = r.id AND d.kind <> {RowKindSql.Chunk} AND (d.retrieved_ms IS NULL OR d.retrieved_ms < r.ms)
            """, connection, transaction);
        command.Parameters.AddWithValue(retrievals.Keys.ToArray());
        command.Parameters.AddWithValue(retrievals.Values.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the pending retrieval times in their own transaction. It takes the state row's lock like a write (so it never
    /// deadlocks with one) but does not move the change counter: retrieval times are not content, caches stay valid.
    /// </summary>
    private async Task FlushRetrievalsAsync(RetrievalLog log)
    {
        var retrievals = log.Drain();
        try
        {
            if (retrievals.Count == 0)
            {
                return;
            }

            await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (var lockState = new NpgsqlCommand($"SELECT version FROM {_state} FOR UPDATE", connection, transaction))
            {
                await lockState.ExecuteScalarAsync().ConfigureAwait(false);
            }

            await RecordRetrievalsAsync(connection, transaction, retrievals, CancellationToken.None).ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Background work: the failure is logged and the retrievals stay pending for the next batch.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            log.Requeue(retrievals);
            _retention.RetrievalsNotWritten(ex);
        }
        finally
        {
            log.EndFlush();
        }
    }

    /// <summary>When the memory closes: waits for a background write and writes what is still pending (best effort).</summary>
    private async Task FlushRetrievalsOnCloseAsync()
    {
        await _retrievalFlush.ConfigureAwait(false);
        if (_retention.Retrievals is { } log && !_readOnly && log.TryBeginFlush())
        {
            await FlushRetrievalsAsync(log).ConfigureAwait(false);
        }
    }
}
