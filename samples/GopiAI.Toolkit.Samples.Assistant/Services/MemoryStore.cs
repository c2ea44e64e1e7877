using GopiAI.Toolkit.SemanticMemory;

namespace GopiAI.Toolkit.Samples.Assistant.Services;

/// <summary>
/// The assistant's long-term memory: one SQLite file searched with the embedding model. A <c>[LazyStartup]</c> component that
/// depends on <see cref="EmbeddingModelHost"/>, so the model is loaded first; the database itself is opened by the
/// "open memory database" startup task through <see cref="OpenAsync"/>.
/// </summary>
[LazyStartup(Priority = 50, DependsOn = [typeof(EmbeddingModelHost)], Eager = true)]
public sealed partial class MemoryStore : IAsyncDisposable
{
    private readonly MemoryConfig _config;
    private readonly EmbeddingModelHost _model;
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private SemanticMemoryManager? _manager;

    /// <summary>Initializes a new instance of the <see cref="MemoryStore"/> class with <see cref="Configuration"/>.</summary>
    public MemoryStore()
    {
        _config = Configuration;
        _model = EmbeddingModelHost.Instance;
    }

    /// <summary>Gets or sets the memory settings used when the component is built; set it before first use.</summary>
    public static MemoryConfig Configuration { get; set; } = new() { IndexPath = "assistant-memory.db" };

    /// <summary>Gets the open memory manager.</summary>
    /// <exception cref="InvalidOperationException"><see cref="OpenAsync"/> has not completed yet.</exception>
    public SemanticMemoryManager Manager =>
        Volatile.Read(ref _manager) ?? throw new InvalidOperationException("The memory database is not open yet: run the 'open memory database' startup task (MemoryStore.OpenAsync) first.");

    /// <summary>Gets the path of the memory file.</summary>
    public string DatabasePath => Path.GetFullPath(_config.IndexPath);

    /// <summary>Opens the memory file (once; later calls return at once).</summary>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>A task that completes when the file is open.</returns>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await _openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _manager ??= await SemanticMemoryManager.OpenAsync(_config, _model.Generator, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _openGate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _manager, null) is { } manager)
        {
            await manager.DisposeAsync().ConfigureAwait(false);
        }

        _openGate.Dispose();
    }
}
