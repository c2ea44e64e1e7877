using System.Globalization;
using static GopiAI.Toolkit.SemanticMemory.Storage.Sqlite.SqliteCommands;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>Writes: batches (with de-duplication), deletes and optimisation, each one transaction on the writer thread.</summary>
internal sealed partial class SqliteMemoryStore
{
    public Task<BatchOutcome> WriteBatchAsync(IReadOnlyList<PreparedDocument> batch, CancellationToken cancellationToken) =>
        _writer.RunAsync("write", connection =>
        {
            ThrowIfNotWritable("write to");
            var changes = new List<VectorChange>();
            var ids = new string?[batch.Count];
            var pending = new List<int>();
            int stored = 0, duplicates = 0;
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                for (var index = 0; index < batch.Count; index++)
                {
                    var doc = batch[index];
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

                    SqliteDocumentWriter.Delete(connection, doc.Id, null, changes);
                    SqliteDocumentWriter.Insert(connection, doc, Dimensions, _config.EnableCompression, changes);
                    ids[index] = doc.Id;
                    stored++;
                }

                var count = Convert.ToInt64(Scalar(connection, SqliteDocumentWriter.CountDocumentsSql), CultureInfo.InvariantCulture);
                if (count > _config.MaxDocuments)
                {
                    transaction.Rollback();
                    throw new InvalidOperationException(
                        $"Storing this batch would hold {count} documents, more than MemoryConfig.MaxDocuments ({_config.MaxDocuments}). Delete documents or raise the limit.");
                }

                transaction.Commit();
            }

            _dense.Apply(changes);
            Written();
            return new BatchOutcome(ids, stored, duplicates, pending);
        }, cancellationToken);

    public Task<IReadOnlySet<int>> FindDuplicatesAsync(IReadOnlyList<PreparedDocument> batch, CancellationToken cancellationToken) =>
        _readers.RunAsync<IReadOnlySet<int>>(connection =>
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

    public Task<int> DeleteDocumentAsync(string id, CancellationToken cancellationToken) => DeleteAsync(id, null, cancellationToken);

    public Task<int> DeleteConversationAsync(string conversationId, CancellationToken cancellationToken) => DeleteAsync(null, conversationId, cancellationToken);

    /// <summary>Merges the FTS5 index, runs <c>PRAGMA optimize</c>, checkpoints the WAL, then reloads the vectors and rebuilds the graph.</summary>
    public async Task OptimizeAsync(CancellationToken cancellationToken)
    {
        await _writer.RunAsync("optimize", connection =>
        {
            ThrowIfNotWritable("optimize");
            Exec(connection, "INSERT INTO fts(fts) VALUES ('optimize');");
            Exec(connection, "PRAGMA optimize;");
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
                removed = SqliteDocumentWriter.Delete(connection, id, conversationId, changes);
                transaction.Commit();
            }

            _dense.Apply(changes);
            Written();
            return removed;
        }, cancellationToken);

    /// <summary>Reloads the vectors and rebuilds (or drops) the graph; cached results from before are dropped.</summary>
    private async Task RebuildVectorsAsync(CancellationToken cancellationToken)
    {
        await _dense.RebuildAsync(cancellationToken).ConfigureAwait(false);
        _observer.OnStoreChanged(StoreChange.Written);
    }
}
