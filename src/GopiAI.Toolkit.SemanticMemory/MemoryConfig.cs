using GopiAI.Toolkit.Security;
using Microsoft.ML.Tokenizers;

namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>
/// Settings of a <see cref="SemanticMemoryManager"/>: which provider keeps the memory and where (SQLite file or PostgreSQL database), which embedding model is used,
/// batching, search defaults and the tokenizer used to count context tokens.
/// </summary>
public sealed record MemoryConfig
{
    /// <summary>
    /// The default <see cref="SimilarityThreshold"/>: a relevance of 0.2, which in Dense mode is a cosine of about 0.24
    /// (see docs/semantic-memory.md for the measured distributions).
    /// </summary>
    public const float DefaultSimilarityThreshold = 0.2f;

    /// <summary>Path of the SQLite file that holds documents, vectors and the keyword index (created when absent); used when <see cref="Provider"/> is <see cref="MemoryProvider.Sqlite"/>.</summary>
    public string IndexPath { get; init; } = "gopiai-memory.db";

    /// <summary>Where the memory is kept: a SQLite file (<see cref="MemoryProvider.Sqlite"/>, the default) or PostgreSQL with pgvector (<see cref="MemoryProvider.Postgres"/>).</summary>
    public MemoryProvider Provider { get; init; } = MemoryProvider.Sqlite;

    /// <summary>
    /// The Npgsql connection string of the PostgreSQL database (for example <c>Host=db;Database=app;Username=app;Password=…</c>);
    /// required when <see cref="Provider"/> is <see cref="MemoryProvider.Postgres"/>, ignored otherwise.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>The default <see cref="PostgresSchema"/>.</summary>
    public const string DefaultPostgresSchema = "gopiai_memory";

    /// <summary>
    /// The PostgreSQL schema that holds the memory's tables (created when absent): one database can hold several memories
    /// side by side. A plain lower-case identifier (letters, digits, underscores; at most 63 characters).
    /// </summary>
    public string PostgresSchema { get; init; } = DefaultPostgresSchema;

    /// <summary>Identifier of the embedding model; stored in the file so that vectors of different models never mix.</summary>
    public string EmbeddingModel { get; init; } = OnnxEmbeddingGenerator.DefaultModelId;

    /// <summary>
    /// Most documents the store holds (a long document counts once, whatever its chunks). What a batch that would go past it
    /// does is <see cref="Retention"/>'s choice: by default it throws <see cref="InvalidOperationException"/> and stores nothing.
    /// </summary>
    public int MaxDocuments { get; init; } = 100_000;

    /// <summary>
    /// What a batch that would take the memory past <see cref="MaxDocuments"/> does: <see cref="MemoryRetention.Reject"/>
    /// (the default: refused, nothing stored), <see cref="MemoryRetention.EvictOldest"/> or
    /// <see cref="MemoryRetention.EvictLeastRecentlyRetrieved"/> (stored, and as many older documents deleted in the same
    /// transaction; counted by the <c>gopi.semantic_memory.evictions</c> metric and logged once per batch).
    /// </summary>
    public MemoryRetention Retention { get; init; } = MemoryRetention.Reject;

    /// <summary>
    /// Creates the logger of the memory (category <c>GopiAI.Toolkit.SemanticMemory</c>): one line per batch that evicted
    /// documents, and failures of background work. <see langword="null"/> (the default) logs nothing.
    /// </summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Creates the meter <c>GopiAI.Toolkit.SemanticMemory</c> (the host's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>,
    /// so DI-scoped collectors see it); <see langword="null"/> (the default) makes the memory own a meter of that name.
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; init; }

    /// <summary>Largest <see cref="BatchSize"/> accepted (a batch is held in memory until it is committed).</summary>
    public const int MaxBatchSize = 10_000;

    /// <summary>Documents embedded and committed per transaction by <see cref="SemanticMemoryManager.StoreDocumentsAsync"/>; 1 to <see cref="MaxBatchSize"/>.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>
    /// Lowest <see cref="MemoryResult.Score"/> a search returns, in every mode. The score is a relevance in [0, 1]
    /// (0.5: as likely a relevant text as an irrelevant one); the default, 0.2, keeps nearly every relevant
    /// all-MiniLM-L6-v2 match while dropping most unrelated text. See docs/semantic-memory.md for the measured distributions.
    /// </summary>
    public float SimilarityThreshold { get; init; } = DefaultSimilarityThreshold;

    /// <summary>Store vectors int8-quantised (4x smaller, scanned with integer SIMD and re-scored in float32) instead of float32.</summary>
    public bool EnableCompression { get; init; } = true;

    /// <summary>
    /// Folder holding <c>model.onnx</c> and <c>vocab.txt</c> for the default <see cref="OnnxEmbeddingGenerator"/>;
    /// <see langword="null"/> means <c>models/all-MiniLM-L6-v2</c> next to the application.
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>How <see cref="SearchMode.Hybrid"/> fuses its dense and keyword legs; <see cref="HybridFusion.Convex"/> by default.</summary>
    public HybridFusion Fusion { get; init; } = HybridFusion.Convex;

    /// <summary>Search mode used when <see cref="SemanticMemoryManager.SearchMemoryAsync"/> is called without options.</summary>
    public SearchMode DefaultSearchMode { get; init; } = SearchMode.Hybrid;

    /// <summary>Tokenizer that counts tokens for <see cref="SemanticMemoryManager.GetContextAsync(string, int, CancellationToken)"/>; <see langword="null"/> means o200k_base (GPT-4o).</summary>
    public Tokenizer? ContextTokenizer { get; init; }

    /// <summary>Largest <see cref="ContextTurnsBefore"/> and <see cref="ContextTurnsAfter"/> accepted (16): a context is a budget of tokens, not a transcript.</summary>
    public const int MaxContextTurns = 16;

    /// <summary>
    /// Turns of the same conversation that <see cref="SemanticMemoryManager.GetContextAsync(string, int, CancellationToken)"/>
    /// may bring in before a hit that is a conversation turn (2 by default; 0 to <see cref="MaxContextTurns"/>; both sides 0
    /// turns the window off). They are added closest first, after the hit, while the token budget allows, and only when they
    /// pass the same filters as the search.
    /// </summary>
    public int ContextTurnsBefore { get; init; } = 2;

    /// <summary>Turns of the same conversation that a context may bring in after a hit; see <see cref="ContextTurnsBefore"/> (2 by default).</summary>
    public int ContextTurnsAfter { get; init; } = 2;

    /// <summary>For the context evaluation harness: <see cref="Context.ContextBuilder.NeighbourWeight"/> instead of the default.</summary>
    internal double? ContextNeighbourWeight { get; init; }

    /// <summary>Longest chunk, in model word pieces, a long document is split into (at most 254, the model's 256 minus [CLS] and [SEP]).</summary>
    public int ChunkTokens { get; init; } = 200;

    /// <summary>Word pieces shared by consecutive chunks of one document.</summary>
    public int ChunkOverlapTokens { get; init; } = 40;

    /// <summary>
    /// Vector count from which an HNSW index (USearch) accelerates dense search; below it search is exact. The index is
    /// built automatically in the background once the store reaches it (by loading or by writes); search stays exact
    /// until it is ready (SQLite). PostgreSQL walks pgvector's HNSW index above it instead.
    /// </summary>
    public int HnswThreshold { get; init; } = 50_000;

    /// <summary>How long a write waits for another connection or process holding the SQLite write lock before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Search results kept in the LRU result cache (cleared on every write); 0 disables the cache.</summary>
    public int ResultCacheSize { get; init; } = 256;

    /// <summary>Clock used for document timestamps and recency weighting.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The 32-byte key that encrypts the memory file at rest (SQLite provider): content, metadata, sources and vectors
    /// are sealed with AES-256-GCM per row, and keyword search runs on a blind index (keyed HMAC tokens). A new file is
    /// created encrypted; an existing file must have been written with this key. <see langword="null"/> (the default)
    /// stores plaintext. The manager derives its own keys at open, so the caller may dispose this buffer afterwards.
    /// See <see cref="MemoryEncryptionKey"/> for ways to obtain it, and docs/security.md for what it protects.
    /// </summary>
    public SecretBuffer? EncryptionKey { get; init; }

    /// <summary>
    /// For the fault-injection tests: caps the file at this many pages (<c>PRAGMA max_page_count</c> on the write
    /// connection), so SQLite reports a full disk (SQLITE_FULL) exactly as it does when the disk is full.
    /// </summary>
    internal int? MaxPageCount { get; init; }
}
