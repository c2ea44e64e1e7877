using GopiAI.Toolkit.SemanticMemory.Context;
using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Storage;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>
/// Long-term memory for an AI assistant: stores conversations and documents in one SQLite file (content, vectors
/// and an FTS5 keyword index, always written in one transaction), embeds them locally, and answers with ranked
/// results (<see cref="SearchMemoryAsync"/>) or a context string within a token budget (<see cref="GetContextAsync(string, int, CancellationToken)"/>).
/// Thread-safe: searches run in parallel, writes go through a single in-process writer queue. Disposal cancels the
/// calls in flight and waits for them before it releases the file and the model.
/// </summary>
public sealed partial class SemanticMemoryManager : IAsyncDisposable
{
    private readonly MemoryConfig _config;
    private readonly IMemoryStore _store;
    private readonly ResultCache _results;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly bool _ownsGenerator;
    private readonly SearchEngine _search;
    private readonly ContextBuilder _context;
    private readonly Chunker _chunker;
    private readonly DisposalGate _gate = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Lazy<Task> _disposal;

    private SemanticMemoryManager(MemoryConfig config, IMemoryStore store, ResultCache results, IEmbeddingGenerator<string, Embedding<float>> generator, bool ownsGenerator)
    {
        _config = config;
        _store = store;
        _results = results;
        _generator = generator;
        _ownsGenerator = ownsGenerator;
        // Chunks are measured in the model's own word pieces when the bundled model is underneath (even behind a delegating wrapper).
        _chunker = new Chunker(generator as OnnxEmbeddingGenerator ?? generator.GetService(typeof(OnnxEmbeddingGenerator)) as OnnxEmbeddingGenerator, config);
        _search = new SearchEngine(store, generator, config, results);
        _context = new ContextBuilder(config.ContextTokenizer ?? ContextBuilder.DefaultTokenizer, config.ContextNeighbourWeight ?? ContextBuilder.NeighbourWeight);
        _disposal = new Lazy<Task>(DisposeCoreAsync);
    }

    /// <summary>
    /// Longest query, in UTF-16 characters, that <see cref="SearchMemoryAsync"/> and <see cref="GetContextAsync(string, int, CancellationToken)"/>
    /// accept (32,768); a longer one throws <see cref="ArgumentException"/>. The model reads only the first 256 word
    /// pieces of a query, and the keyword search uses at most <see cref="MaxKeywordTerms"/> of its words.
    /// </summary>
    public const int MaxQueryLength = 32_768;

    /// <summary>
    /// Most words of a query that the keyword (BM25) search matches on (32): the rarest in the index, so that a long
    /// query costs a bounded amount of work. Words found in no document are left out.
    /// </summary>
    public const int MaxKeywordTerms = 32;

    /// <summary>
    /// Longest document content, in UTF-16 characters, that <see cref="StoreDocumentsAsync"/> accepts (64 Mi characters,
    /// 128 MiB of text); a longer one throws <see cref="ArgumentException"/>. Long documents are chunked and embedded in
    /// bounded slices, so this bounds the one string the caller already holds, not the engine's working memory.
    /// </summary>
    public const int MaxDocumentLength = 64 * 1024 * 1024;

    /// <summary>Most metadata entries one document may carry (64); more throw <see cref="ArgumentException"/>.</summary>
    public const int MaxMetadataEntries = 64;

    /// <summary>
    /// Most UTF-16 characters of one document's metadata, keys and values together (64 Ki); more throw
    /// <see cref="ArgumentException"/>. Metadata is stored as JSON with every row and read back with every hit.
    /// </summary>
    public const int MaxMetadataLength = 64 * 1024;

    /// <summary>Most metadata filter keys of one search (<see cref="SearchOptions.Metadata"/>, 16); more throw <see cref="ArgumentException"/>.</summary>
    public const int MaxFilterKeys = 16;

    /// <summary>The configuration this manager was opened with.</summary>
    public MemoryConfig Config => _config;

    /// <summary>Full path of the SQLite file.</summary>
    public string FilePath => _store.Location;

    /// <summary>
    /// Whether the memory was opened read-only because the file or its folder cannot be written: searches, contexts,
    /// statistics and backups work; storing, deleting, optimising and restoring throw <see cref="MemoryStoreException"/>
    /// with <see cref="MemoryStoreError.ReadOnly"/>.
    /// </summary>
    public bool IsReadOnly => _store.IsReadOnly;

    /// <summary>
    /// Whether the file is encrypted at rest (<see cref="MemoryConfig.EncryptionKey"/>): content, metadata, sources and
    /// vectors sealed with AES-256-GCM per row, keyword search on a blind index. See docs/security.md for the threat model.
    /// </summary>
    public bool IsEncrypted => _store.IsEncrypted;

    /// <summary>
    /// Opens (or creates) the memory file at <see cref="MemoryConfig.IndexPath"/> with the bundled all-MiniLM-L6-v2
    /// model (from <see cref="MemoryConfig.ModelPath"/> or <c>models/all-MiniLM-L6-v2</c> next to the app).
    /// </summary>
    /// <param name="config">The settings.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open manager; dispose it with <c>await using</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="config"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting of <paramref name="config"/> is invalid (the message names it).</exception>
    /// <exception cref="FileNotFoundException">The model files are missing; the message says how to get them.</exception>
    /// <exception cref="MemoryStoreException">The file is not a memory file, is damaged, incompatible, locked or read-only; it is left untouched.</exception>
    /// <exception cref="NotSupportedException"><see cref="MemoryConfig.Provider"/> names a provider that this build does not include yet.</exception>
    public static async Task<SemanticMemoryManager> OpenAsync(MemoryConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        InputValidator.Config(config);
        var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { ModelDirectory = config.ModelPath, ModelId = config.EmbeddingModel });
        try
        {
            return await OpenCoreAsync(config, generator, ownsGenerator: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            generator.Dispose();
            throw;
        }
    }

    /// <summary>Opens (or creates) the memory file with any embedding generator. The manager does not dispose <paramref name="generator"/>.</summary>
    /// <param name="config">The settings; <see cref="MemoryConfig.EmbeddingModel"/> should name the generator's model (it is stored in the file).</param>
    /// <param name="generator">Produces the embeddings; must always return vectors of one length.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open manager.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A setting of <paramref name="config"/> is invalid (the message names it).</exception>
    /// <exception cref="MemoryStoreException">The file is not a memory file, is damaged, incompatible, locked or read-only; it is left untouched.</exception>
    /// <exception cref="NotSupportedException"><see cref="MemoryConfig.Provider"/> names a provider that this build does not include yet.</exception>
    public static Task<SemanticMemoryManager> OpenAsync(
        MemoryConfig config,
        IEmbeddingGenerator<string, Embedding<float>> generator,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(generator);
        InputValidator.Config(config);
        return OpenCoreAsync(config, generator, ownsGenerator: false, cancellationToken);
    }

    private static async Task<SemanticMemoryManager> OpenCoreAsync(
        MemoryConfig config,
        IEmbeddingGenerator<string, Embedding<float>> generator,
        bool ownsGenerator,
        CancellationToken cancellationToken)
    {
        var dimensions = await ProbeDimensionsAsync(generator, cancellationToken).ConfigureAwait(false);
        // The result cache observes the store from its first commit on: every change empties it before the write call returns.
        var results = new ResultCache(config.ResultCacheSize);
        try
        {
            var store = await MemoryStoreFactory.OpenAsync(config, dimensions, results, cancellationToken).ConfigureAwait(false);
            return new SemanticMemoryManager(config, store, results, generator, ownsGenerator);
        }
        catch
        {
            results.Dispose();
            throw;
        }
    }

    private static async Task<int> ProbeDimensionsAsync(IEmbeddingGenerator<string, Embedding<float>> generator, CancellationToken cancellationToken)
    {
        if (generator is OnnxEmbeddingGenerator onnx)
        {
            return onnx.Dimensions;
        }

        if (generator.GetService(typeof(EmbeddingGeneratorMetadata)) is EmbeddingGeneratorMetadata { DefaultModelDimensions: > 0 and var known })
        {
            return known;
        }

        var probe = await generator.GenerateAsync(["dimension probe"], cancellationToken: cancellationToken).ConfigureAwait(false);
        return probe[0].Vector.Length;
    }

    /// <summary>
    /// Stores every turn of a conversation as one document (id <c>{conversationId}:{unique suffix}</c>) in one transaction.
    /// Storing the same conversation again with more turns adds only the new turns (the others are duplicates).
    /// </summary>
    /// <param name="conversation">The conversation; it needs at least one turn, and every turn needs a role and non-blank content.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>The conversation id (generated when <see cref="Conversation.Id"/> is null).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="conversation"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no turns, a turn's content or role is null, empty or white space, or a text is not valid UTF-16 (a lone surrogate).</exception>
    /// <exception cref="MemoryStoreException">The file is locked by another process beyond the busy timeout, or read-only.</exception>
    /// <exception cref="InvalidOperationException">
    /// Storing would exceed <see cref="MemoryConfig.MaxDocuments"/> under <see cref="MemoryRetention.Reject"/>, or a batch holds
    /// more documents than the limit on its own; nothing of that batch is stored. Under an eviction policy
    /// (<see cref="MemoryConfig.Retention"/>) older documents are deleted instead, in the batch's transaction.
    /// </exception>
    public async Task<string> StoreConversationAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(conversation.Turns, nameof(conversation) + ".Turns");
        if (conversation.Turns.Count == 0)
        {
            throw new ArgumentException("The conversation has no turns.", nameof(conversation));
        }

        var id = string.IsNullOrWhiteSpace(conversation.Id) ? NewId() : conversation.Id;
        var documents = new List<MemoryDocument>(conversation.Turns.Count);
        for (var i = 0; i < conversation.Turns.Count; i++)
        {
            var turn = conversation.Turns[i] ?? throw new ArgumentException($"Turn {i} is null.", nameof(conversation));
            if (string.IsNullOrWhiteSpace(turn.Content))
            {
                throw new ArgumentException($"Turn {i} has no content (null, empty or white space).", nameof(conversation));
            }

            if (string.IsNullOrWhiteSpace(turn.Role))
            {
                throw new ArgumentException($"Turn {i} has no role.", nameof(conversation));
            }

            var document = new MemoryDocument
            {
                Id = $"{id}:{NewId()}",
                Content = turn.Content,
                ConversationId = id,
                Role = turn.Role,
                Timestamp = turn.Timestamp,
                Metadata = Merge(conversation.Metadata, turn.Metadata),
            };
            InputValidator.Document(document, $"Turn {i}", nameof(conversation));
            documents.Add(document);
        }

        await RunAsync(token => StoreCoreAsync(documents, progress: null, conversation: true, token), cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// Embeds and stores documents in batches of <see cref="MemoryConfig.BatchSize"/>; each batch (documents, vectors,
    /// keyword index) is one transaction, so a crash loses at most the batch in flight. Documents whose content is
    /// already stored in the same conversation are skipped; an existing id is replaced. Long documents are chunked.
    /// </summary>
    /// <param name="documents">The documents; each needs non-blank content.</param>
    /// <param name="progress">Told after each committed batch.</param>
    /// <param name="cancellationToken">Stops between batches (committed batches stay).</param>
    /// <returns>The ids of all input documents, in order, and the stored and duplicate counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="documents"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">
    /// A document's content is null, empty or white space, a text of it is not valid UTF-16 (a lone surrogate), or its id
    /// collides with a chunk id (<c>id#n</c>) of another document; the message names the document. Nothing of that batch is stored.
    /// </exception>
    /// <exception cref="MemoryStoreException">The file is locked by another process beyond the busy timeout, or read-only.</exception>
    /// <exception cref="InvalidOperationException">
    /// Storing would exceed <see cref="MemoryConfig.MaxDocuments"/> under <see cref="MemoryRetention.Reject"/>, or a batch holds
    /// more documents than the limit on its own; nothing of that batch is stored. Under an eviction policy
    /// (<see cref="MemoryConfig.Retention"/>) older documents are deleted instead, in the batch's transaction.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<StoreResult> StoreDocumentsAsync(
        IEnumerable<MemoryDocument> documents,
        IProgress<StoreProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return RunAsync(token => StoreCoreAsync(documents, progress, conversation: false, token), cancellationToken);
    }

    /// <summary>Finds the stored texts most relevant to <paramref name="query"/>.</summary>
    /// <param name="query">What to look for; not null, empty or white space.</param>
    /// <param name="limit">Most results; greater than 0.</param>
    /// <param name="options">Mode and filters; null means <see cref="MemoryConfig.DefaultSearchMode"/> without filters.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>Results, best first.</returns>
    /// <exception cref="ArgumentException"><paramref name="query"/> is null, empty, white space, longer than <see cref="MaxQueryLength"/> or not valid UTF-16, or the options are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is 0 or less.</exception>
    /// <exception cref="ObjectDisposedException">The manager was disposed.</exception>
    public Task<IReadOnlyList<MemoryResult>> SearchMemoryAsync(
        string query,
        int limit = 10,
        SearchOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        InputValidator.Query(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        options ??= new SearchOptions { Mode = _config.DefaultSearchMode };
        InputValidator.Options(options);
        return RunAsync(token => _search.SearchAsync(query, limit, options, token), cancellationToken);
    }

    /// <summary>
    /// Builds a context string for a prompt: the most relevant memories, each with its source, filled by relevance
    /// and never longer than <paramref name="maxTokens"/> tokens of <see cref="MemoryConfig.ContextTokenizer"/>
    /// (o200k_base by default). A hit that is a conversation turn brings the turns around it (up to
    /// <see cref="MemoryConfig.ContextTurnsBefore"/> before and <see cref="MemoryConfig.ContextTurnsAfter"/> after, closest
    /// first, while the budget allows, only turns that pass the same filters as the search); a conversation's turns form
    /// one block in conversation order, cited <c>conversation:{id} turns a–b</c>. An item that does not fit is skipped
    /// and the next one is tried; duplicates and near-duplicates are dropped.
    /// </summary>
    /// <param name="query">What the context is for; not null, empty or white space.</param>
    /// <param name="maxTokens">Token budget; greater than 0.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The context (empty when nothing relevant fits).</returns>
    /// <exception cref="ArgumentException"><paramref name="query"/> is null, empty, white space, longer than <see cref="MaxQueryLength"/> or not valid UTF-16.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is 0 or less.</exception>
    /// <exception cref="ObjectDisposedException">The manager was disposed.</exception>
    public Task<string> GetContextAsync(string query, int maxTokens = 2000, CancellationToken cancellationToken = default) =>
        GetContextAsync(query, maxTokens, options: null, cancellationToken);

    /// <summary>Like <see cref="GetContextAsync(string, int, CancellationToken)"/>, with a search mode and filters for the candidates.</summary>
    /// <param name="query">What the context is for; not null, empty or white space.</param>
    /// <param name="maxTokens">Token budget; greater than 0.</param>
    /// <param name="options">Mode and filters; null means <see cref="MemoryConfig.DefaultSearchMode"/> without filters.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The context (empty when nothing relevant fits).</returns>
    /// <exception cref="ArgumentException"><paramref name="query"/> is null, empty, white space, longer than <see cref="MaxQueryLength"/> or not valid UTF-16, or the options are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is 0 or less.</exception>
    /// <exception cref="ObjectDisposedException">The manager was disposed.</exception>
    public async Task<string> GetContextAsync(string query, int maxTokens, SearchOptions? options, CancellationToken cancellationToken = default)
    {
        InputValidator.Query(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokens);
        options ??= new SearchOptions { Mode = _config.DefaultSearchMode };
        InputValidator.Options(options);
        return await RunAsync(async token =>
        {
            var candidates = await _search.SearchAsync(query, ContextBuilder.CandidateCount(maxTokens), options, token).ConfigureAwait(false);
            var windows = await ConversationWindowsAsync(candidates, options, token).ConfigureAwait(false);
            return _context.Build(candidates, windows, maxTokens);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The turns around the candidates that are conversation turns (<see cref="MemoryConfig.ContextTurnsBefore"/>/<see cref="MemoryConfig.ContextTurnsAfter"/>), under the search's filter.</summary>
    private async Task<IReadOnlyDictionary<string, ConversationWindow>> ConversationWindowsAsync(IReadOnlyList<MemoryResult> candidates, SearchOptions options, CancellationToken cancellationToken)
    {
        var ids = candidates.Where(c => c.ConversationId is not null).Select(c => c.Id).ToList();
        if (ids.Count == 0 || (_config.ContextTurnsBefore == 0 && _config.ContextTurnsAfter == 0))
        {
            return new Dictionary<string, ConversationWindow>();
        }

        return await _store.GetConversationNeighboursAsync(ids, _config.ContextTurnsBefore, _config.ContextTurnsAfter, RowFilter.Of(options), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a document (with its chunks, vectors and keyword entries) in one transaction.</summary>
    /// <param name="id">The document id; a chunk id (<c>parentId#n</c>) deletes the whole document it belongs to.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>True when something was deleted.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null, empty or white space.</exception>
    /// <exception cref="MemoryStoreException">The file is locked by another process beyond the busy timeout, or read-only.</exception>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return await RunAsync(async token =>
        {
            var removed = await _store.DeleteDocumentAsync(id, token).ConfigureAwait(false);
            return removed > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes every document of a conversation (with chunks, vectors and keyword entries) in one transaction.</summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>How many documents were deleted.</returns>
    /// <exception cref="ArgumentException"><paramref name="conversationId"/> is null, empty or white space.</exception>
    /// <exception cref="MemoryStoreException">The file is locked by another process beyond the busy timeout, or read-only.</exception>
    public async Task<int> DeleteConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        return await RunAsync(token => _store.DeleteConversationAsync(conversationId, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Forgets what a privacy request names: every document of a conversation, every document written before a date,
    /// every document whose metadata matches, or those meeting all the criteria given (AND), with their chunks, vectors,
    /// keyword entries and metadata, in one transaction. The deleted bytes are overwritten in the file and the WAL is
    /// checkpointed and truncated afterwards, so none of it can be read back from the file, its side files, or a backup
    /// made afterwards.
    /// </summary>
    /// <param name="request">What to forget; it needs at least one criterion.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    /// <returns>How many documents, chunks and conversations were removed (zeros when nothing matched).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The request has no criterion, a blank conversation id, or a null metadata key or value.</exception>
    /// <exception cref="MemoryStoreException">The file is read-only, or locked by another process beyond the busy timeout; nothing was removed.</exception>
    public async Task<ForgetResult> ForgetAsync(ForgetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasCriteria)
        {
            throw new ArgumentException("The forget request has no criterion; set ConversationId, Before or Metadata (an empty request would forget everything).", nameof(request));
        }

        if (request.ConversationId is { } conversation && string.IsNullOrWhiteSpace(conversation))
        {
            throw new ArgumentException("ForgetRequest.ConversationId is empty or white space.", nameof(request));
        }

        InputValidator.Options(new SearchOptions { Metadata = request.Metadata });
        var filter = new RowFilter(ConversationId: request.ConversationId, To: request.Before, Metadata: request.Metadata);
        return await RunAsync(token => _store.ForgetAsync(filter, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Re-encrypts a closed memory file under <paramref name="newKey"/> (or encrypts a plain one, or decrypts one when
    /// <paramref name="newKey"/> is null), crash-safely: the file is locked, copied, re-sealed and compacted into a new
    /// file next to it, flushed to disk, and renamed over the original in one step, so that after a crash at any moment
    /// the file opens under the old key or under the new one. SQLite provider only.
    /// </summary>
    /// <param name="config">The memory: <see cref="MemoryConfig.IndexPath"/> and its current key in <see cref="MemoryConfig.EncryptionKey"/> (null for a plain file).</param>
    /// <param name="newKey">The new 32-byte key; null to store the memory unencrypted.</param>
    /// <param name="cancellationToken">Cancels before the rename (the original is then unchanged).</param>
    /// <returns>How many documents were re-sealed, and whether the file is now encrypted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="config"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="newKey"/> is not 32 bytes.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <see cref="MemoryConfig.IndexPath"/>.</exception>
    /// <exception cref="MemoryStoreException">
    /// The current key is missing or wrong (<see cref="MemoryStoreError.EncryptionKey"/>), another process has the memory
    /// open (<see cref="MemoryStoreError.Locked"/>), or the file is not a memory file of this version; it is unchanged.
    /// </exception>
    public static Task<RekeyResult> RekeyAsync(MemoryConfig config, Toolkit.Security.SecretBuffer? newKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (newKey is not null && newKey.Length != MemoryEncryptionKey.Length)
        {
            throw new ArgumentException($"The new key must be {MemoryEncryptionKey.Length} bytes; this one has {newKey.Length}.", nameof(newKey));
        }

        var path = Path.GetFullPath(config.IndexPath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"There is no memory file at '{path}' to rekey.", path);
        }

        return Task.Run(() => Storage.Sqlite.SqliteRekey.Run(path, config.EncryptionKey, newKey, config.BusyTimeout, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Optimises the store: merges the FTS5 index, runs <c>PRAGMA optimize</c>, compacts the file (<c>VACUUM</c>, so it
    /// shrinks after deletes), checkpoints and truncates the WAL, reloads the
    /// vector matrix and rebuilds the HNSW index when the store is above <see cref="MemoryConfig.HnswThreshold"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels between steps.</param>
    /// <returns>A task that completes when done.</returns>
    /// <exception cref="MemoryStoreException">The file is locked by another process beyond the busy timeout.</exception>
    public async Task OptimizeIndexAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync(async token =>
        {
            await _store.OptimizeAsync(token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a consistent copy of the memory file to <paramref name="path"/> (SQLite online backup; writes wait meanwhile).</summary>
    /// <param name="path">Destination file; replaced if it exists.</param>
    /// <param name="cancellationToken">Cancels before the copy starts.</param>
    /// <returns>A task that completes when the copy is written.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space, a folder, the memory file itself or its <c>-wal</c>, <c>-shm</c> or <c>-journal</c> file.</exception>
    /// <exception cref="MemoryStoreException">The destination cannot be written (<see cref="MemoryStoreError.ReadOnly"/>) or its disk is full (<see cref="MemoryStoreError.DiskFull"/>); no partial backup is left.</exception>
    public Task BackupAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return RunAsync(async token =>
        {
            await _store.BackupAsync(path, token).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Replaces the whole memory with the content of a backup made by <see cref="BackupAsync"/>, atomically. The backup
    /// is first copied next to the memory file and verified completely (SQLite integrity, application id, schema, model,
    /// dimension, keyword index, every row, agreeing counts); anything wrong leaves the memory byte-for-byte unchanged.
    /// </summary>
    /// <param name="path">The backup file.</param>
    /// <param name="cancellationToken">Cancels before the restore starts.</param>
    /// <returns>A task that completes when the memory holds the backup's content.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space, a folder, the memory file itself or its <c>-wal</c>, <c>-shm</c> or <c>-journal</c> file.</exception>
    /// <exception cref="FileNotFoundException">The backup does not exist.</exception>
    /// <exception cref="MemoryStoreException">
    /// The backup is not a memory file, is damaged or incompatible (the message says what is wrong; the memory is unchanged),
    /// the memory is read-only, or the disk is full.
    /// </exception>
    public async Task RestoreAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        await RunAsync(async token =>
        {
            await _store.RestoreAsync(path, token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts documents, chunks and conversations and reports file size, model and index state.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ObjectDisposedException">The manager was disposed.</exception>
    public async Task<MemoryStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        return await RunAsync(token => _store.GetStatsAsync(token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the memory: calls in flight are cancelled (a batch being committed still commits; one being embedded is
    /// not stored) and end with <see cref="ObjectDisposedException"/> or <see cref="OperationCanceledException"/>;
    /// once none is left, the file is closed and, when this manager created it, the embedding generator is disposed.
    /// Safe to call more than once and concurrently; every call completes when everything is released.
    /// </summary>
    /// <returns>A task that completes when everything is released.</returns>
    public ValueTask DisposeAsync() => new(_disposal.Value);

    private async Task DisposeCoreAsync()
    {
        _gate.Close();
        await _closing.CancelAsync().ConfigureAwait(false);
        await _gate.Drained.ConfigureAwait(false);

        // No call is inside any more. The store first: queued writes finish (and tell the result cache) before the cache is released.
        await _store.DisposeAsync().ConfigureAwait(false);
        _results.Dispose();
        if (_ownsGenerator)
        {
            _generator.Dispose();
        }

        _closing.Dispose();
    }

    /// <summary>
    /// Runs one public operation inside the disposal gate with a token that disposal cancels, so that disposal never
    /// releases the file or the model under a running call. A call cancelled by disposal ends with <see cref="ObjectDisposedException"/>.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(!_gate.TryEnter(), this);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
            try
            {
                return await operation(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (_closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ObjectDisposedException(
                    $"The memory '{FilePath}' was closed while this call was running; committed batches stay, the rest was not stored.", ex);
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    private async Task<StoreResult> StoreCoreAsync(
        IEnumerable<MemoryDocument> documents,
        IProgress<StoreProgress>? progress,
        bool conversation,
        CancellationToken cancellationToken)
    {
        _store.ThrowIfNotWritable("write to");
        int? total = documents.TryGetNonEnumeratedCount(out var count) ? count : null;
        var ids = new List<string>(total ?? 16);
        var batch = new List<PreparedDocument>(_config.BatchSize);
        int processed = 0, stored = 0, duplicates = 0;
        var now = _config.TimeProvider.GetUtcNow();

        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            // Content already stored is not embedded again (re-imports cost a hash lookup, not a model run).
            var known = await _store.FindDuplicatesAsync(batch, cancellationToken).ConfigureAwait(false);
            void Embedded(int done, int of) => progress?.Report(new StoreProgress(processed, stored, duplicates, total) { ChunksEmbedded = done, ChunksInBatch = of });
            await EmbedAsync(batch.Where((_, i) => !known.Contains(i)).ToList(), Embedded, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<PreparedDocument> toWrite = batch;
            while (toWrite.Count > 0)
            {
                var outcome = await _store.WriteBatchAsync(toWrite, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < toWrite.Count; i++)
                {
                    if (outcome.Ids[i] is { } id)
                    {
                        ids[toWrite[i].InputIndex] = id;
                    }
                }

                stored += outcome.Stored;
                duplicates += outcome.Duplicates;
                toWrite = outcome.Pending.Select(i => toWrite[i]).ToList();
                await EmbedAsync(toWrite, Embedded, cancellationToken).ConfigureAwait(false);
            }

            batch.Clear();
            progress?.Report(new StoreProgress(processed, stored, duplicates, total));
        }

        foreach (var document in documents)
        {
            if (document is null)
            {
                throw new ArgumentNullException(nameof(documents), $"Document {processed} is null.");
            }

            InputValidator.Document(document, $"Document {processed}", nameof(documents));

            // Turn ids of a conversation are generated here too, so they de-duplicate by content like documents without an id.
            var idGiven = !conversation && !string.IsNullOrWhiteSpace(document.Id);
            var id = string.IsNullOrWhiteSpace(document.Id) ? NewId() : document.Id;
            ids.Add(id);
            batch.Add(_chunker.Prepare(document, id, idGiven, processed, now));
            processed++;
            // A conversation is written in one transaction (all its turns or none).
            if (!conversation && batch.Count >= _config.BatchSize)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }

        await FlushAsync().ConfigureAwait(false);
        return new StoreResult(ids, stored, duplicates);
    }

    /// <summary>Chunks embedded per model call: a batch of long documents reports progress and checks cancellation between slices.</summary>
    internal const int EmbedSlice = 256;

    /// <summary>
    /// Embeds the chunks of a batch in slices of <see cref="EmbedSlice"/>: only one slice's texts and model inputs are
    /// alive at a time (a 10 MB document is not tokenised in one piece), and <paramref name="embedded"/> is told after each
    /// slice when the batch has more than one.
    /// </summary>
    private async Task EmbedAsync(IReadOnlyList<PreparedDocument> batch, Action<int, int> embedded, CancellationToken cancellationToken)
    {
        var chunks = batch.SelectMany(document => document.Chunks).ToList();
        for (var start = 0; start < chunks.Count; start += EmbedSlice)
        {
            var slice = chunks.GetRange(start, Math.Min(EmbedSlice, chunks.Count - start));
            var embeddings = await _generator.GenerateAsync(slice.Select(chunk => chunk.Text).ToList(), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != slice.Count)
            {
                throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} embeddings for {slice.Count} texts.");
            }

            for (var i = 0; i < slice.Count; i++)
            {
                slice[i].Vector = VectorMath.Normalized(embeddings[i].Vector.Span);
            }

            if (chunks.Count > EmbedSlice)
            {
                embedded(start + slice.Count, chunks.Count);
            }
        }
    }

    private static IReadOnlyDictionary<string, string>? Merge(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        if (a is null || a.Count == 0)
        {
            return b;
        }

        if (b is null || b.Count == 0)
        {
            return a;
        }

        var merged = new Dictionary<string, string>(a, StringComparer.Ordinal);
        foreach (var (key, value) in b)
        {
            merged[key] = value;
        }

        return merged;
    }

    private static string NewId() => Guid.CreateVersion7().ToString("N");
}
