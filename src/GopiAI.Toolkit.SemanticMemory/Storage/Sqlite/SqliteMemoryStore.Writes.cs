using System.Globalization;
using System.Text;
using static GopiAI.Toolkit.SemanticMemory.Storage.Sqlite.SqliteCommands;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>Writes: batches (with de-duplication), deletes and optimisation, each one transaction on the writer thread.</summary>
internal sealed partial class SqliteMemoryStore
{
    /// <summary>
    /// Writes the batch and, when it takes the memory past <see cref="MemoryConfig.MaxDocuments"/>, applies
    /// <see cref="MemoryConfig.Retention"/> in the same transaction: refused, or as many older documents evicted (deleted
    /// like <see cref="DeleteDocumentAsync"/> does). Pending retrieval times are written first, so eviction sees them.
    /// </summary>
    public Task<BatchOutcome> WriteBatchAsync(IReadOnlyList<PreparedDocument> batch, CancellationToken cancellationToken) =>
        _writer.RunAsync("write", connection =>
        {
            ThrowIfNotWritable("write to");
            var codec = _encryption.Codec;
            var changes = new List<VectorChange>();
            var ids = new string?[batch.Count];
            var pending = new List<int>();
            int stored = 0, duplicates = 0, evicted = 0;
            var retrievals = _retention.Retrievals?.Drain() ?? EmptyRetrievals;
            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                SqliteRetention.RecordRetrievals(connection, retrievals);
                var storedAt = _retention.NowMs;
                for (var index = 0; index < batch.Count; index++)
                {
                    var doc = batch[index];
                    DocumentIdentity.ThrowIfIdsCollide(connection, doc);
                    if (DocumentIdentity.StoredAs(connection, doc, codec) is { } existing)
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

                    SqliteDocumentWriter.Delete(connection, doc.Id, null, codec, changes);
                    SqliteDocumentWriter.Insert(connection, doc, Dimensions, _config.EnableCompression, codec, changes, storedAt);
                    ids[index] = doc.Id;
                    stored++;
                }

                var kept = ids.OfType<string>().ToHashSet(StringComparer.Ordinal);
                var excess = _retention.Excess(SqliteRetention.CountDocuments(connection), kept.Count);
                if (excess > 0)
                {
                    foreach (var victim in SqliteRetention.ChooseVictims(connection, _retention.Policy, kept, excess))
                    {
                        evicted += SqliteDocumentWriter.Delete(connection, victim, null, codec, changes);
                    }
                }

                transaction.Commit();
            }
            catch
            {
                _retention.Retrievals?.Requeue(retrievals);
                throw;
            }

            _dense.Apply(changes);
            Written();
            if (evicted > 0)
            {
                CheckpointAfterDelete(connection);
                _retention.Evicted(evicted);
            }

            return new BatchOutcome(ids, stored, duplicates, pending);
        }, cancellationToken);

    /// <summary>
    /// Notes that search returned these documents (for <see cref="MemoryRetention.EvictLeastRecentlyRetrieved"/>; nothing
    /// otherwise). Costs a dictionary update here; the times reach the file with the next batch, or in a background write
    /// on the writer thread once enough have piled up, or when the memory is closed.
    /// </summary>
    public void NoteRetrieved(IEnumerable<string> documentIds)
    {
        if (_retention.Retrievals is not { } log || IsReadOnly || !log.Note(documentIds) || !log.TryBeginFlush())
        {
            return;
        }

        _ = FlushRetrievalsAsync(log);
    }

    /// <summary>Writes the pending retrieval times in their own transaction; not a change of content, so caches stay.</summary>
    private async Task FlushRetrievalsAsync(RetrievalLog log)
    {
        try
        {
            await _writer.RunAsync("record retrievals", connection =>
            {
                if (_faults.IsDamaged)
                {
                    return false;
                }

                var retrievals = log.Drain();
                try
                {
                    using var transaction = connection.BeginTransaction(deferred: false);
                    SqliteRetention.RecordRetrievals(connection, retrievals);
                    transaction.Commit();
                }
                catch
                {
                    log.Requeue(retrievals);
                    throw;
                }

                return true;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Closing: DisposeAsync writes what is still pending.
        }
#pragma warning disable CA1031 // Background work: the failure is logged and the retrievals stay pending for the next batch.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _retention.RetrievalsNotWritten(ex);
        }
        finally
        {
            log.EndFlush();
        }
    }

    /// <summary>When the memory closes: the retrieval times still pending are written (best effort).</summary>
    private async Task FlushRetrievalsOnCloseAsync()
    {
        if (_retention.Retrievals is { } log && !IsReadOnly)
        {
            log.TryBeginFlush();
            await FlushRetrievalsAsync(log).ConfigureAwait(false);
        }
    }

    private static readonly IReadOnlyDictionary<string, long> EmptyRetrievals = new Dictionary<string, long>();

    public Task<IReadOnlySet<int>> FindDuplicatesAsync(IReadOnlyList<PreparedDocument> batch, CancellationToken cancellationToken) =>
        _readers.RunAsync<IReadOnlySet<int>>(connection =>
        {
            var duplicates = new HashSet<int>();
            var codec = _encryption.Codec;
            for (var i = 0; i < batch.Count; i++)
            {
                if (DocumentIdentity.StoredAs(connection, batch[i], codec) is not null)
                {
                    duplicates.Add(i);
                }
            }

            return duplicates;
        }, cancellationToken);

    public Task<int> DeleteDocumentAsync(string id, CancellationToken cancellationToken) => DeleteAsync(id, null, cancellationToken);

    public Task<int> DeleteConversationAsync(string conversationId, CancellationToken cancellationToken) => DeleteAsync(null, conversationId, cancellationToken);

    /// <summary>
    /// Merges the FTS5 index, runs <c>PRAGMA optimize</c>, compacts the file (<c>VACUUM</c>: free pages are returned, so
    /// the file shrinks after deletes), checkpoints and truncates the WAL, then reloads the vectors and rebuilds the graph.
    /// </summary>
    public async Task OptimizeAsync(CancellationToken cancellationToken)
    {
        await _writer.RunAsync("optimize", connection =>
        {
            ThrowIfNotWritable("optimize");
            Exec(connection, "INSERT INTO fts(fts) VALUES ('optimize');");
            Exec(connection, "PRAGMA optimize;");
            Exec(connection, "VACUUM;");
            Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
            return true;
        }, cancellationToken).ConfigureAwait(false);
        await RebuildVectorsAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<int> DeleteAsync(string? id, string? conversationId, CancellationToken cancellationToken) =>
        _writer.RunAsync("delete", connection =>
        {
            ThrowIfNotWritable("delete from");
            var changes = new List<VectorChange>();
            int removed;
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                removed = SqliteDocumentWriter.Delete(connection, id, conversationId, _encryption.Codec, changes);
                transaction.Commit();
            }

            _dense.Apply(changes);
            Written();
            if (removed > 0)
            {
                CheckpointAfterDelete(connection);
            }

            return removed;
        }, cancellationToken);

    public Task<ForgetResult> ForgetAsync(RowFilter filter, CancellationToken cancellationToken) =>
        _writer.RunAsync("forget", connection =>
        {
            ThrowIfNotWritable("forget in");
            var codec = _encryption.Codec;
            var roots = new HashSet<string>(StringComparer.Ordinal);
            var conversations = new HashSet<string>(StringComparer.Ordinal);
            using (var select = connection.CreateCommand())
            {
                // Any matching row (document, parent or chunk) selects its whole document: forgetting part of one would leave a torn document.
                var sql = new StringBuilder("SELECT coalesce(d.parent_id, d.id), d.conversation_id FROM documents d WHERE 1 = 1");
                SqliteFilterSql.Append(sql, select, filter, codec);
                select.CommandText = sql.Append(';').ToString();
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    roots.Add(reader.GetString(0));
                    if (!reader.IsDBNull(1))
                    {
                        conversations.Add(reader.GetString(1));
                    }
                }
            }

            if (roots.Count == 0)
            {
                return new ForgetResult(0, 0, 0);
            }

            var changes = new List<VectorChange>();
            int documents = 0, chunks;
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                using (var count = connection.CreateCommand())
                {
                    count.CommandText = $"SELECT count(*) FROM documents WHERE kind = {RowKindSql.Chunk} AND parent_id IN (SELECT value FROM json_each($roots));";
                    count.Parameters.AddWithValue("$roots", System.Text.Json.JsonSerializer.Serialize(roots));
                    chunks = Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
                }

                foreach (var root in roots)
                {
                    documents += SqliteDocumentWriter.Delete(connection, root, null, codec, changes);
                }

                transaction.Commit();
            }

            _dense.Apply(changes);
            Written();
            CheckpointAfterDelete(connection);
            return new ForgetResult(documents, chunks, conversations.Count);
        }, cancellationToken);

    /// <summary>
    /// Deleted means gone: the WAL still holds the page versions from before the delete (the deleted text among them)
    /// until it is checkpointed and truncated, so that happens right after every delete.
    /// </summary>
    private static void CheckpointAfterDelete(Microsoft.Data.Sqlite.SqliteConnection connection) =>
        Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");

    /// <summary>Reloads the vectors and rebuilds (or drops) the graph; cached results from before are dropped.</summary>
    private async Task RebuildVectorsAsync(CancellationToken cancellationToken)
    {
        await _dense.RebuildAsync(cancellationToken).ConfigureAwait(false);
        _observer.OnStoreChanged(StoreChange.Written);
    }
}
