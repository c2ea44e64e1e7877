using GopiAI.Toolkit.SemanticMemory.Embeddings;
using GopiAI.Toolkit.SemanticMemory.Embeddings.Quantization;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 on the CPU with ONNX Runtime: BERT word pieces (truncated at 256),
/// mean pooling over the attention mask and L2 normalisation, which reproduces sentence-transformers exactly.
/// One <see cref="InferenceSession"/> is reused for every call and is safe to call from many threads: the model runs
/// one batch at a time, and calls that arrive while it is busy are coalesced into the next batch (so many concurrent
/// single-text queries cost about one batched run each, and a lone query runs at once). By default the model runs in
/// int8 (<see cref="OnnxEmbeddingOptions.Precision"/>). <see cref="Dispose"/> waits for the model run in progress
/// (calls in flight then fail with <see cref="ObjectDisposedException"/>).
/// </summary>
public sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Identifier of the bundled model.</summary>
    public const string DefaultModelId = "sentence-transformers/all-MiniLM-L6-v2";

    private readonly EmbeddingSession _session;
    private readonly EmbeddingBatcher _batcher;
    private readonly BertTokenizer _tokenizer;
    private readonly EmbeddingCache _cache;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly OnnxEmbeddingOptions _options;
    private readonly DisposalGate _gate = new();

    /// <summary>Loads the bundled all-MiniLM-L6-v2 from <see cref="DefaultModelDirectory"/>.</summary>
    /// <exception cref="FileNotFoundException">The model files are missing; the message says how to get them.</exception>
    public OnnxEmbeddingGenerator()
        : this(new OnnxEmbeddingOptions())
    {
    }

    /// <summary>Loads the model described by <paramref name="options"/>.</summary>
    /// <param name="options">Model folder, truncation, batching, threads and cache size.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or thread count in <paramref name="options"/> is out of range.</exception>
    /// <exception cref="FileNotFoundException">The model files are missing; the message says how to get them.</exception>
    /// <exception cref="OnnxRuntimeException">The model file cannot be loaded.</exception>
    /// <exception cref="InvalidDataException">
    /// <see cref="EmbeddingPrecision.Int8"/> was requested and the model cannot be quantized, or its cached int8 copy is
    /// damaged and cannot be replaced (the message names the file).
    /// </exception>
    public OnnxEmbeddingGenerator(OnnxEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokens, 3, nameof(options.MaxTokens));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxTokens, 512, nameof(options.MaxTokens));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(options.IntraOpThreads, nameof(options.IntraOpThreads));
        ArgumentOutOfRangeException.ThrowIfNegative(options.CacheSize, nameof(options.CacheSize));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ModelId, nameof(options.ModelId));

        _options = options;
        var (modelPath, vocabPath) = ModelLocator.Resolve(options.ModelDirectory);
        ModelDirectory = Path.GetDirectoryName(modelPath)!;
        using (var vocab = File.OpenRead(vocabPath))
        {
            _tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true });
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan((int)options.Precision, (int)EmbeddingPrecision.Int8, nameof(options.Precision));
        if (options.Precision == EmbeddingPrecision.Int8)
        {
            var (model, path, _) = QuantizedModelCache.Load(modelPath, options.QuantizedModelCacheDirectory ?? QuantizedModelCache.DefaultDirectory);
            QuantizedModelPath = path;
            _session = new EmbeddingSession(null, model, options.IntraOpThreads, spinning: options.SpinningThreads);
        }
        else
        {
            _session = new EmbeddingSession(modelPath, null, options.IntraOpThreads, spinning: options.SpinningThreads);
        }

        Dimensions = _session.Dimensions;
        _batcher = new EmbeddingBatcher(_session, options.BatchSize);
        _cache = new EmbeddingCache(options.ModelId, options.CacheSize);
        _metadata = new EmbeddingGeneratorMetadata("onnxruntime", new Uri("file://" + ModelDirectory.Replace('\\', '/')), options.ModelId, Dimensions);
    }

    /// <summary>Where the bundled model is looked for: <c>models/all-MiniLM-L6-v2</c> under <see cref="AppContext.BaseDirectory"/>.</summary>
    public static string DefaultModelDirectory => Path.Combine(AppContext.BaseDirectory, "models", "all-MiniLM-L6-v2");

    /// <summary>The folder the model was loaded from.</summary>
    public string ModelDirectory { get; }

    /// <summary>The arithmetic the model runs in.</summary>
    public EmbeddingPrecision Precision => _options.Precision;

    /// <summary>The cache file of the int8 model (<see cref="EmbeddingPrecision.Int8"/>), or null for fp32.</summary>
    public string? QuantizedModelPath { get; }

    /// <summary>Model runs so far; concurrent calls that were coalesced share one run.</summary>
    internal long ModelRuns => _batcher.Runs;

    /// <summary>The batcher that runs the model (tests hold its session busy through it).</summary>
    internal EmbeddingBatcher Batcher => _batcher;

    /// <summary>Length of each embedding (384 for all-MiniLM-L6-v2).</summary>
    public int Dimensions { get; }

    /// <summary>The model identifier.</summary>
    public string ModelId => _options.ModelId;

    /// <summary>Most word pieces per text, special tokens included.</summary>
    public int MaxTokens => _options.MaxTokens;

    /// <summary>The model's WordPiece tokenizer (lower-casing), for counting word pieces.</summary>
    public Tokenizer Tokenizer => _tokenizer;

    /// <summary>Embeds each text; results are unit length and in input order.</summary>
    /// <param name="values">The texts; none may be null.</param>
    /// <param name="options">Ignored except for <see cref="EmbeddingGenerationOptions.Dimensions"/>, which must be null or <see cref="Dimensions"/>.</param>
    /// <param name="cancellationToken">Stops waiting; texts of this call that have not run yet are skipped.</param>
    /// <returns>One embedding per text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">Another dimension count was requested.</exception>
    /// <exception cref="ObjectDisposedException">The generator was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } dims && dims != Dimensions)
        {
            throw new ArgumentException($"This model produces {Dimensions} dimensions; {dims} were requested.", nameof(options));
        }

        var texts = values as IReadOnlyList<string> ?? values.ToArray();
        ObjectDisposedException.ThrowIf(!_gate.TryEnter(), this);
        float[][] vectors;
        try
        {
            List<Pending> pending;
            (vectors, pending) = Prepare(texts);
            if (pending.Count > 0)
            {
                var request = _batcher.Submit(SequencesOf(pending), cancellationToken);
                await request.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
                Deliver(vectors, pending, request.Results);
            }
        }
        finally
        {
            _gate.Exit();
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Length);
        var now = DateTimeOffset.UtcNow;
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = now });
        }

        return result;
    }

    /// <summary>Embeds texts into unit-length vectors, in input order (synchronous core of <see cref="GenerateAsync"/>).</summary>
    /// <param name="texts">The texts; none may be null.</param>
    /// <param name="cancellationToken">Stops waiting; texts of this call that have not run yet are skipped.</param>
    /// <returns>One vector of <see cref="Dimensions"/> floats per text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is null.</exception>
    /// <exception cref="ObjectDisposedException">The generator was disposed, before or during the call.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(!_gate.TryEnter(), this);
        try
        {
            var (results, pending) = Prepare(texts);
            if (pending.Count > 0)
            {
                var request = _batcher.Submit(SequencesOf(pending), cancellationToken);
                request.Wait();
                Deliver(results, pending, request.Results);
            }

            return results;
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Answers what the cache holds and tokenizes the rest, sorted by length over the whole input.</summary>
    private (float[][] Results, List<Pending> Pending) Prepare(IReadOnlyList<string> texts)
    {
        var results = new float[texts.Count][];
        var pending = new List<Pending>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentNullException(nameof(texts), $"Item {i} is null.");
            EmbeddingCache.Key key = default;
            if (_cache.Enabled)
            {
                key = _cache.KeyFor(text);
                if (_cache.TryGet(key, out var cached))
                {
                    results[i] = cached;
                    continue;
                }
            }

            var ids = _tokenizer.EncodeToIds(text, _options.MaxTokens, addSpecialTokens: true, out _, out _);
            pending.Add(new Pending(i, key, ids is int[] array ? array : [.. ids]));
        }

        // Sorting by length lets the batcher cut the input into batches of similar lengths (little padding).
        pending.Sort(static (a, b) => a.Ids.Length.CompareTo(b.Ids.Length));
        return (results, pending);
    }

    private static int[][] SequencesOf(List<Pending> pending)
    {
        var sequences = new int[pending.Count][];
        for (var i = 0; i < sequences.Length; i++)
        {
            sequences[i] = pending[i].Ids;
        }

        return sequences;
    }

    private void Deliver(float[][] results, List<Pending> pending, float[][] vectors)
    {
        for (var j = 0; j < pending.Count; j++)
        {
            results[pending[j].Index] = vectors[j];
            if (_cache.Enabled)
            {
                _cache.Set(pending[j].Key, vectors[j]);
            }
        }
    }

    /// <summary>Counts the word pieces of a text, without [CLS]/[SEP] and without truncation.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The word-piece count.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.EncodeToIds(text, addSpecialTokens: false).Count;
    }

    /// <summary>Returns this generator's metadata, the generator itself, or the <see cref="InferenceSession"/>; otherwise null.</summary>
    /// <param name="serviceType">The requested type.</param>
    /// <param name="serviceKey">Must be null for a match.</param>
    /// <returns>The service, or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is null.</exception>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(InferenceSession))
        {
            return _session.Session;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>
    /// Releases the ONNX Runtime session and the cache once no thread runs the model any more: the batch in progress
    /// finishes, calls still waiting for vectors fail with <see cref="ObjectDisposedException"/>, later calls fail at
    /// once. Safe to call more than once and from any thread.
    /// </summary>
    public void Dispose()
    {
        if (!_gate.Close())
        {
            return;
        }

        // The batcher fails the queued calls and frees the native session only after the run in progress (freeing it
        // under a running inference crashes the process); then the callers leave the gate and the cache can go.
        _batcher.Dispose();
        _gate.Drained.GetAwaiter().GetResult();
        _cache.Dispose();
    }

    /// <summary>A text that was not in the cache: its position in the input, cache key and word-piece ids.</summary>
    private readonly record struct Pending(int Index, EmbeddingCache.Key Key, int[] Ids);
}
