namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>
/// The seam between the engine and where a memory is kept: documents (de-duplicated upserts, deletes, row reads),
/// vectors and the keyword index (searched through the dense and keyword legs, filters pushed down), statistics,
/// backup/restore and lifecycle. Provider-neutral on purpose: no connection, reader or SQL text crosses it, so the
/// SQLite provider (<see cref="Sqlite.SqliteMemoryStore"/>, with its in-process vector index) and a server provider
/// (which pushes both legs and the filters into its own SQL) fit behind it unchanged.
/// </summary>
/// <remarks>
/// <para>Row ids (<see cref="ScoredRow.RowId"/>, <see cref="DocumentRow.RowId"/>) are the store's handles for
/// searchable rows (documents and chunks). They are comparable only within one <see cref="Epoch"/>: a restore or an
/// outside rewrite of the whole content may reuse them for other rows.</para>
/// <para>Every committed change is reported to the <see cref="IStoreObserver"/> the store was opened with, before the
/// call that made it completes. Thread-safe: reads run in parallel; writes are serialised by the store.</para>
/// </remarks>
internal interface IMemoryStore : IAsyncDisposable
{
    /// <summary>Where the memory lives, for messages: the SQLite file's full path, or a server provider's database name (never a password).</summary>
    string Location { get; }

    /// <summary>Whether content, metadata, sources and vectors are stored encrypted (<see cref="MemoryConfig.EncryptionKey"/>; SQLite provider only).</summary>
    bool IsEncrypted => false;

    /// <summary>Length of every stored vector.</summary>
    int Dimensions { get; }

    /// <summary>Whether the memory can only be read: search, context, stats and backup work, changes throw.</summary>
    bool IsReadOnly { get; }

    /// <summary>
    /// Counts replacements of the whole content (restores, and rewrites by another process that the store cannot
    /// follow row by row). A search that saw it change between ranking and reading rows must rank again.
    /// </summary>
    long Epoch { get; }

    /// <summary>Throws when the memory cannot be changed: opened read-only, or found damaged by an earlier operation.</summary>
    /// <param name="action">What was asked, for the message ("write to", "delete from").</param>
    /// <exception cref="MemoryStoreException">With <see cref="MemoryStoreError.ReadOnly"/> or <see cref="MemoryStoreError.NotAMemoryFile"/>.</exception>
    void ThrowIfNotWritable(string action);

    /// <summary>
    /// Brings the store's in-process state up to date with commits made by other processes (cheap; throttled by the
    /// provider), reporting a change to the observer when there was one. Called before each search.
    /// </summary>
    ValueTask RefreshAsync(CancellationToken cancellationToken);

    /// <summary>Positions in <paramref name="batch"/> of documents already stored exactly (no need to embed them); a hint only, re-checked by <see cref="WriteBatchAsync"/>.</summary>
    Task<IReadOnlySet<int>> FindDuplicatesAsync(IReadOnlyList<PreparedDocument> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Writes one batch in one transaction: documents, chunks, vectors and keyword entries together. An exact duplicate
    /// (same content in the same conversation, or the same id holding exactly this document) is not written again; an existing id is replaced.
    /// </summary>
    /// <exception cref="ArgumentException">A document's id collides with a chunk id; nothing of the batch is stored.</exception>
    /// <remarks>
    /// When the batch takes the store past <see cref="MemoryConfig.MaxDocuments"/>, <see cref="MemoryConfig.Retention"/>
    /// applies in the same transaction: the batch is refused, or as many documents stored before it (never one the batch
    /// wrote or matched) are deleted as <see cref="DeleteDocumentAsync"/> deletes them. The count is read from a counter
    /// the store keeps, never by scanning.
    /// </remarks>
    /// <exception cref="InvalidOperationException">
    /// The batch would exceed <see cref="MemoryConfig.MaxDocuments"/> under <see cref="MemoryRetention.Reject"/>, holds more
    /// documents than the limit on its own, or a vector has the wrong length; rolled back.
    /// </exception>
    /// <exception cref="MemoryStoreException">The store is read-only, damaged, locked or full; rolled back.</exception>
    Task<BatchOutcome> WriteBatchAsync(IReadOnlyList<PreparedDocument> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Notes that a search returned (or a context picked) the documents <paramref name="documentIds"/> (document ids, not
    /// chunk ids), for <see cref="MemoryRetention.EvictLeastRecentlyRetrieved"/>. Cheap and never blocks: the times are
    /// written later, off the read path. Does nothing under the other policies or on a read-only store.
    /// </summary>
    void NoteRetrieved(IEnumerable<string> documentIds)
    {
    }

    /// <summary>Deletes a document with its chunks, vectors and keyword entries (a chunk id deletes its whole document).</summary>
    /// <returns>Documents removed (0 or 1).</returns>
    Task<int> DeleteDocumentAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes every document of a conversation with its chunks, vectors and keyword entries.</summary>
    /// <returns>Documents removed.</returns>
    Task<int> DeleteConversationAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes every document (with its chunks, vectors, keyword entries and metadata) that has at least one row passing
    /// <paramref name="filter"/>, in one transaction, so that none of it is left in the store (privacy requests).
    /// </summary>
    /// <returns>Documents, chunks and conversations removed.</returns>
    /// <exception cref="MemoryStoreException">The store is read-only, damaged or locked; nothing was removed.</exception>
    /// <exception cref="NotSupportedException">The provider does not implement it yet (the default; the SQLite provider does).</exception>
    Task<ForgetResult> ForgetAsync(RowFilter filter, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"ForgetAsync is not implemented for the memory at '{Location}' (its provider). Delete by id or conversation instead.");

    /// <summary>
    /// The dense leg: the <paramref name="k"/> searchable rows passing <paramref name="filter"/> whose cosine similarity
    /// with the unit vector <paramref name="query"/> is highest and at least <paramref name="threshold"/>, best first.
    /// <see cref="ScoredRow.Score"/> is that cosine (it may exceed 1 by rounding; the caller clamps).
    /// </summary>
    Task<IReadOnlyList<ScoredRow>> SearchDenseAsync(float[] query, RowFilter filter, int k, float threshold, CancellationToken cancellationToken);

    /// <summary>
    /// The keyword leg: up to <paramref name="k"/> searchable rows passing <paramref name="filter"/> that match any of
    /// <paramref name="words"/> (from <see cref="Search.KeywordQuery.Words"/>; the provider may leave out frequent ones),
    /// best first. <see cref="ScoredRow.Score"/>: higher is better, in [0, 1]: the provider's relevance divided by the
    /// best it could give this query in this store (SQLite: FTS5 BM25 / Σ idf × (k1 + 1); PostgreSQL: <c>ts_rank_cd</c>
    /// put on that scale by its own fitted curve, <see cref="Postgres.PostgresKeywordCalibration"/>).
    /// <see cref="Search.RelevanceCalibration.Keyword"/> maps it to a relevance.
    /// </summary>
    Task<IReadOnlyList<ScoredRow>> SearchKeywordAsync(IReadOnlyList<string> words, RowFilter filter, int k, CancellationToken cancellationToken);

    /// <summary>
    /// Reads searchable rows by row id (unknown or deleted ids are left out), each with its cosine similarity to
    /// <paramref name="similarityTo"/> when one is given and the row has a vector.
    /// </summary>
    Task<IReadOnlyDictionary<long, DocumentRow>> GetRowsAsync(IReadOnlyCollection<long> rowIds, float[]? similarityTo, CancellationToken cancellationToken);

    /// <summary>
    /// The conversation turns around rows found by a search, for conversation-aware contexts: for each id in
    /// <paramref name="ids"/> that names a searchable row of a conversation (documents without a conversation, parents
    /// of chunks and unknown ids are left out), its position in the conversation and the rows at most
    /// <paramref name="before"/> positions before and <paramref name="after"/> positions after it that pass
    /// <paramref name="filter"/> (see <see cref="ConversationWindow"/>). Bounded whatever the conversation's length:
    /// at most <paramref name="before"/> + <paramref name="after"/> rows are read per id (each side capped at
    /// <see cref="ConversationWindows.MaxSide"/>, ids at <see cref="ConversationWindows.MaxRows"/>); positions are
    /// counted on the conversation index. Encrypted rows are opened; damaged rows are left out.
    /// </summary>
    Task<IReadOnlyDictionary<string, ConversationWindow>> GetConversationNeighboursAsync(
        IReadOnlyCollection<string> ids, int before, int after, RowFilter filter, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> whole documents (fields, chunks, unit vectors) whose ids come after
    /// <paramref name="afterId"/> in ordinal order (null: from the first), for export and migration between providers.
    /// Damaged rows are left out.
    /// </summary>
    Task<IReadOnlyList<Export.ExportedDocument>> ReadDocumentsAsync(string? afterId, int limit, CancellationToken cancellationToken);

    /// <summary>The document stored under <paramref name="id"/> (not a chunk id), with its chunks and vectors, or null.</summary>
    Task<Export.ExportedDocument?> ReadDocumentAsync(string id, CancellationToken cancellationToken);

    /// <summary>Counts, sizes, model and index state, and the rows that search skips as invalid.</summary>
    Task<MemoryStats> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>Compacts the keyword index and storage, and rebuilds the vector index.</summary>
    /// <exception cref="MemoryStoreException">The store is read-only, damaged or locked.</exception>
    Task OptimizeAsync(CancellationToken cancellationToken);

    /// <summary>Writes a consistent copy of the whole memory to <paramref name="path"/>; no partial file is left on failure.</summary>
    /// <exception cref="ArgumentException">The path cannot hold a backup (a folder, the memory itself or one of its companions).</exception>
    /// <exception cref="MemoryStoreException">The destination cannot be written (read-only, disk full).</exception>
    Task BackupAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the whole content with a backup made by <see cref="BackupAsync"/>, atomically, after verifying the backup
    /// completely (a bad backup changes nothing). Increments <see cref="Epoch"/>. Allowed on a memory found damaged.
    /// </summary>
    /// <exception cref="ArgumentException">The path is unusable as a backup.</exception>
    /// <exception cref="FileNotFoundException">The backup does not exist.</exception>
    /// <exception cref="MemoryStoreException">The backup is unusable (the message says why), or the memory is read-only or full.</exception>
    Task RestoreAsync(string path, CancellationToken cancellationToken);
}
