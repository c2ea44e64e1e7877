using System.Text;
using GopiAI.Toolkit.SemanticMemory.Storage.Export;

namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>Moving a memory as a whole: export to and import from the engine's own format, and copying into another memory (any provider).</summary>
public sealed partial class SemanticMemoryManager
{
    /// <summary>Documents read and written per step of an export, import or copy.</summary>
    private const int TransferPage = 200;

    /// <summary>
    /// Writes every document (fields, chunks and their vectors) to <paramref name="destination"/> in the engine's own
    /// export format: UTF-8 JSON Lines with a header (format, version, model, dimension) and a trailer with the count,
    /// the same for every provider. <see cref="ImportAsync"/> reads it into any memory of the same model without
    /// running the model again. Documents written while the export runs may or may not be included.
    /// </summary>
    /// <param name="destination">Where the export is written (left open).</param>
    /// <param name="cancellationToken">Cancels between pages.</param>
    /// <returns>How many documents were written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="MemoryStoreException">The memory cannot be read.</exception>
    public Task<long> ExportAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return RunAsync(async token =>
        {
            var stats = await _store.GetStatsAsync(token).ConfigureAwait(false);
            await using var writer = new StreamWriter(destination, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
            await MemoryExportFile.WriteHeaderAsync(writer, stats.EmbeddingModel, _store.Dimensions).ConfigureAwait(false);
            long count = 0;
            await foreach (var page in PagesAsync(token).ConfigureAwait(false))
            {
                foreach (var document in page)
                {
                    await MemoryExportFile.WriteDocumentAsync(writer, document).ConfigureAwait(false);
                }

                count += page.Count;
            }

            await MemoryExportFile.WriteEndAsync(writer, count).ConfigureAwait(false);
            return count;
        }, cancellationToken);
    }

    /// <summary>
    /// Stores the documents of an export made by <see cref="ExportAsync"/> under their own ids, with their vectors (the
    /// model does not run). Idempotent: a document already stored exactly is a duplicate, so an interrupted import
    /// is resumed by importing the same file again. Lines are checked as they are read; a damaged line stops the import
    /// with the batches before it committed.
    /// </summary>
    /// <param name="source">The export.</param>
    /// <param name="progress">Told after each committed batch.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <returns>The ids read, and how many were stored and how many were already there.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="InvalidDataException">The stream is not an export, or a line is damaged or the export truncated (the message names the line).</exception>
    /// <exception cref="MemoryStoreException">The export holds another model's vectors (<see cref="MemoryStoreError.Incompatible"/>), or the memory cannot be written.</exception>
    public Task<StoreResult> ImportAsync(Stream source, IProgress<StoreProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return RunAsync(async token =>
        {
            _store.ThrowIfNotWritable("import into");
            var model = (await _store.GetStatsAsync(token).ConfigureAwait(false)).EmbeddingModel;
            using var reader = new StreamReader(source, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
            var progressState = new TransferProgress(progress, null);
            var batch = new List<ExportedDocument>(_config.BatchSize);
            await foreach (var document in MemoryExportFile.ReadAsync(reader, "The import", model, _store.Dimensions, token).ConfigureAwait(false))
            {
                batch.Add(document);
                if (batch.Count >= _config.BatchSize)
                {
                    await WriteExportedAsync(batch, progressState, token).ConfigureAwait(false);
                    batch.Clear();
                }
            }

            await WriteExportedAsync(batch, progressState, token).ConfigureAwait(false);
            return progressState.Result;
        }, cancellationToken);
    }

    /// <summary>
    /// Copies every document of this memory into <paramref name="destination"/> (for example from a SQLite file into
    /// PostgreSQL, or back), with its id and vectors, page by page in id order. Idempotent and therefore resumable: run it
    /// again after an interruption and the documents already copied are counted as duplicates, not written again.
    /// </summary>
    /// <param name="destination">An open memory of the same embedding model and dimension.</param>
    /// <param name="progress">Told after each committed page (<see cref="StoreProgress.Total"/>: the documents of this memory when the copy started).</param>
    /// <param name="cancellationToken">Cancels between pages.</param>
    /// <returns>The ids copied, and how many were stored and how many the destination already held.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is this memory.</exception>
    /// <exception cref="MemoryStoreException">The memories hold different models or dimensions (<see cref="MemoryStoreError.Incompatible"/>), or one of them cannot be used.</exception>
    public Task<StoreResult> CopyToAsync(SemanticMemoryManager destination, IProgress<StoreProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (ReferenceEquals(destination, this))
        {
            throw new ArgumentException("A memory cannot be copied into itself.", nameof(destination));
        }

        return RunAsync(async token =>
        {
            var from = await _store.GetStatsAsync(token).ConfigureAwait(false);
            var to = await destination.GetStatsAsync(token).ConfigureAwait(false);
            if (from.EmbeddingModel != to.EmbeddingModel || from.Dimensions != to.Dimensions)
            {
                throw new MemoryStoreException(destination.FilePath, MemoryStoreError.Incompatible,
                    $"{destination.FilePath} holds {to.Dimensions}-dimensional vectors of '{to.EmbeddingModel}', but {FilePath} holds {from.Dimensions}-dimensional vectors of '{from.EmbeddingModel}'. Copy into a memory of the same model.");
            }

            var progressState = new TransferProgress(progress, checked((int)from.DocumentCount));
            await foreach (var page in PagesAsync(token).ConfigureAwait(false))
            {
                await destination.RunAsync(async destinationToken =>
                {
                    await destination.WriteExportedAsync(page, progressState, destinationToken).ConfigureAwait(false);
                    return true;
                }, token).ConfigureAwait(false);
            }

            return progressState.Result;
        }, cancellationToken);
    }

    /// <summary>Reads back the document stored under <paramref name="id"/>: its content, conversation, role, metadata, source and timestamp.</summary>
    /// <param name="id">The document id (a chunk id <c>id#n</c> is not a document; its document is returned).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document, or null when nothing is stored under that id.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null, empty or white space.</exception>
    /// <exception cref="MemoryStoreException">The memory cannot be read.</exception>
    public Task<MemoryDocument?> GetDocumentAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return RunAsync(async token =>
        {
            var stored = await _store.ReadDocumentAsync(id, token).ConfigureAwait(false);
            if (stored is null && id.LastIndexOf('#') is > 0 and var hash && int.TryParse(id.AsSpan(hash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                stored = await _store.ReadDocumentAsync(id[..hash], token).ConfigureAwait(false);
            }

            return stored is null ? null : new MemoryDocument
            {
                Id = stored.Id,
                Content = stored.Content,
                ConversationId = stored.ConversationId,
                Role = stored.Role,
                Metadata = Storage.RowValidator.TryParseMetadata(stored.MetadataJson, out var metadata) ? metadata : null,
                Source = stored.Source,
                Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(stored.TimestampMs),
            };
        }, cancellationToken);
    }

    private async IAsyncEnumerable<IReadOnlyList<ExportedDocument>> PagesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var page = await _store.ReadDocumentsAsync(after, TransferPage, cancellationToken).ConfigureAwait(false);
            if (page.Count > 0)
            {
                yield return page;
            }

            if (page.Count < TransferPage)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>Writes exported documents in batches of <see cref="MemoryConfig.BatchSize"/>, each one transaction.</summary>
    private async Task WriteExportedAsync(IReadOnlyList<ExportedDocument> documents, TransferProgress progress, CancellationToken cancellationToken)
    {
        _store.ThrowIfNotWritable("write to");
        for (var start = 0; start < documents.Count; start += _config.BatchSize)
        {
            var batch = documents.Skip(start).Take(_config.BatchSize).Select((d, i) => d.ToPrepared(i)).ToList();
            var outcome = await _store.WriteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            progress.Add(outcome.Ids.Select((id, i) => id ?? batch[i].Id), outcome.Stored, outcome.Duplicates);
        }
    }

    /// <summary>Counts of a running transfer, reported after each batch.</summary>
    private sealed class TransferProgress(IProgress<StoreProgress>? progress, int? total)
    {
        private readonly List<string> _ids = [];
        private int _stored;
        private int _duplicates;

        public StoreResult Result => new(_ids, _stored, _duplicates);

        public void Add(IEnumerable<string> ids, int stored, int duplicates)
        {
            _ids.AddRange(ids);
            _stored += stored;
            _duplicates += duplicates;
            progress?.Report(new StoreProgress(_ids.Count, _stored, _duplicates, total));
        }
    }
}
