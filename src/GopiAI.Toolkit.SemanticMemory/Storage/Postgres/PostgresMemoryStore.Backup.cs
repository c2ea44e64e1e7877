using System.Data;
using System.Text;
using GopiAI.Toolkit.SemanticMemory.Storage.Export;
using Npgsql;
using Pgvector;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>
/// Reading documents out (export, migration) and backup/restore in the engine's own export format
/// (<see cref="MemoryExportFile"/>). Server-side backups are pg_dump's job (docs/semantic-memory.md); these files
/// move a memory between providers and machines.
/// </summary>
internal sealed partial class PostgresMemoryStore
{
    public Task<IReadOnlyList<ExportedDocument>> ReadDocumentsAsync(string? afterId, int limit, CancellationToken cancellationToken) =>
        ReadAsync("read", connection => ReadPageAsync(connection, null, afterId, limit, cancellationToken), cancellationToken);

    public Task<ExportedDocument?> ReadDocumentAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync("read", async connection => (await ReadPageAsync(connection, null, null, 1, cancellationToken, id).ConfigureAwait(false)).SingleOrDefault(), cancellationToken);

    /// <summary>Writes every document, from one consistent snapshot (REPEATABLE READ), to an export file; replaced atomically.</summary>
    public async Task BackupAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new ArgumentException($"'{full}' is a folder; give the path of the backup file.", nameof(path));
        }

        var temporary = full + ".partial";
        try
        {
            await ReadAsync("back up", async connection =>
            {
                await using (var file = new StreamWriter(temporary, append: false, new UTF8Encoding(false)))
                {
                    await MemoryExportFile.WriteHeaderAsync(file, await ModelAsync(connection, null, cancellationToken).ConfigureAwait(false), Dimensions).ConfigureAwait(false);
                    long count = 0;
                    string? after = null;
                    while (true)
                    {
                        var page = await ReadPageAsync(connection, null, after, 500, cancellationToken).ConfigureAwait(false);
                        foreach (var document in page)
                        {
                            await MemoryExportFile.WriteDocumentAsync(file, document).ConfigureAwait(false);
                        }

                        count += page.Count;
                        if (page.Count < 500)
                        {
                            break;
                        }

                        after = page[^1].Id;
                    }

                    await MemoryExportFile.WriteEndAsync(file, count).ConfigureAwait(false);
                }

                return true;
            }, cancellationToken, IsolationLevel.RepeatableRead).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not MemoryStoreException)
        {
            File.Delete(temporary);
            throw new MemoryStoreException(full, ex is UnauthorizedAccessException ? MemoryStoreError.ReadOnly : MemoryStoreError.DiskFull,
                $"Cannot write the backup '{full}' ({ex.Message.TrimEnd('.')}); no partial backup was left.", ex);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Replaces the whole memory with an export file in one transaction, after reading the whole file once to verify it
    /// (format, model, dimension, every line, the count): a bad file changes nothing.
    /// </summary>
    public async Task RestoreAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw Directory.Exists(full)
                ? new ArgumentException($"'{full}' is a folder; give the path of the backup file.", nameof(path))
                : new FileNotFoundException($"The backup '{full}' does not exist.", full);
        }

        var model = await ReadAsync("read", connection => ModelAsync(connection, null, cancellationToken), cancellationToken).ConfigureAwait(false);
        try
        {
            using (var check = new StreamReader(full, Encoding.UTF8))
            {
                await foreach (var _ in MemoryExportFile.ReadAsync(check, full, model, Dimensions, cancellationToken).ConfigureAwait(false))
                {
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new MemoryStoreException(full, MemoryStoreError.NotAMemoryFile, $"{ex.Message} The memory was not changed.", ex);
        }

        await WriteAsync("restore", async (connection, transaction) =>
        {
            await using (var clear = new NpgsqlCommand($"DELETE FROM {_documents}", connection, transaction))
            {
                await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using var reader = new StreamReader(full, Encoding.UTF8);
            var index = 0;
            var counts = PostgresRowCounts.None;
            var storedAt = _retention.NowMs;
            await foreach (var document in MemoryExportFile.ReadAsync(reader, full, model, Dimensions, cancellationToken).ConfigureAwait(false))
            {
                counts += await InsertAsync(connection, transaction, document.ToPrepared(index++), storedAt, cancellationToken).ConfigureAwait(false);
            }

            await SetCountsAsync(connection, transaction, counts, cancellationToken).ConfigureAwait(false);

            return true;
        }, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _epoch);
        _observer.OnStoreChanged(StoreChange.Replaced);
    }

    private async Task<string> ModelAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT value FROM {_location.QuotedSchema}.meta WHERE key = 'model'", connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string ?? _config.EmbeddingModel;
    }

    /// <summary>Up to <paramref name="limit"/> documents with ids after <paramref name="afterId"/> (ordinal order), each with its chunks and vectors.</summary>
    private async Task<IReadOnlyList<ExportedDocument>> ReadPageAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string? afterId, int limit, CancellationToken cancellationToken, string? onlyId = null)
    {
        var rows = new List<(string Id, short Kind, string? Conversation, string? Role, string Content, string Metadata, string? Source, long Timestamp, float[]? Vector)>();
        await using (var command = new NpgsqlCommand(
            $"SELECT id, kind, conversation_id, role, content, metadata::text, source, timestamp_ms, embedding FROM {_documents} " +
            $"WHERE kind <> {RowKindSql.Chunk} AND ($1::text IS NULL OR id > $1) AND ($3::text IS NULL OR id = $3) ORDER BY id LIMIT $2", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)afterId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.AddWithValue(limit);
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)onlyId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetInt16(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt64(7),
                    reader.IsDBNull(8) ? null : reader.GetFieldValue<Vector>(8).ToArray()));
            }
        }

        var chunks = new Dictionary<string, List<ExportedChunk>>(StringComparer.Ordinal);
        var parents = rows.Where(r => r.Kind == (short)RowKind.Parent).Select(r => r.Id).ToArray();
        if (parents.Length > 0)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT parent_id, content, embedding FROM {_documents} WHERE kind = {RowKindSql.Chunk} AND parent_id = ANY($1) ORDER BY parent_id, chunk_index", connection, transaction);
            command.Parameters.AddWithValue(parents);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var parent = reader.GetString(0);
                if (!chunks.TryGetValue(parent, out var list))
                {
                    chunks[parent] = list = [];
                }

                list.Add(new ExportedChunk(reader.GetString(1), reader.GetFieldValue<Vector>(2).ToArray()));
            }
        }

        return rows.Select(r => new ExportedDocument(r.Id, r.Conversation, r.Role, r.Content, r.Metadata, r.Source, r.Timestamp,
            r.Kind == (short)RowKind.Parent ? chunks.GetValueOrDefault(r.Id) ?? [] : [new ExportedChunk(r.Content, r.Vector ?? [])])).ToList();
    }
}
