using System.Numerics.Tensors;
using GopiAI.Toolkit.SemanticMemory.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 on the CPU with ONNX Runtime: BERT word pieces (truncated at 256),
/// mean pooling over the attention mask and L2 normalisation, which reproduces sentence-transformers exactly.
/// One <see cref="InferenceSession"/> is reused for every call and is safe to call from many threads;
/// <see cref="Dispose"/> waits for the model run in progress (calls in flight then fail with <see cref="ObjectDisposedException"/>).
/// </summary>
public sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Identifier of the bundled model.</summary>
    public const string DefaultModelId = "sentence-transformers/all-MiniLM-L6-v2";

    private static readonly string[] OutputNames = ["last_hidden_state"];
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];

    private readonly InferenceSession _session;
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

        using var sessionOptions = new SessionOptions
        {
            // One inference uses every core; requests are not run in parallel inside the graph (it is a chain).
            IntraOpNumThreads = options.IntraOpThreads == 0 ? Environment.ProcessorCount : options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelPath, sessionOptions);
        Dimensions = (int)_session.OutputMetadata[OutputNames[0]].Dimensions[^1];
        _cache = new EmbeddingCache(options.ModelId, options.CacheSize);
        _metadata = new EmbeddingGeneratorMetadata("onnxruntime", new Uri("file://" + ModelDirectory.Replace('\\', '/')), options.ModelId, Dimensions);
    }

    /// <summary>Where the bundled model is looked for: <c>models/all-MiniLM-L6-v2</c> under <see cref="AppContext.BaseDirectory"/>.</summary>
    public static string DefaultModelDirectory => Path.Combine(AppContext.BaseDirectory, "models", "all-MiniLM-L6-v2");

    /// <summary>The folder the model was loaded from.</summary>
    public string ModelDirectory { get; }

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
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>One embedding per text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">Another dimension count was requested.</exception>
    /// <exception cref="ObjectDisposedException">The generator was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_gate.IsClosed, this);
        if (options?.Dimensions is { } dims && dims != Dimensions)
        {
            throw new ArgumentException($"This model produces {Dimensions} dimensions; {dims} were requested.", nameof(options));
        }

        var texts = values as IReadOnlyList<string> ?? values.ToArray();
        var vectors = Embed(texts, cancellationToken);
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Length);
        var now = DateTimeOffset.UtcNow;
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = now });
        }

        return Task.FromResult(result);
    }

    /// <summary>Embeds texts into unit-length vectors, in input order (synchronous core of <see cref="GenerateAsync"/>).</summary>
    /// <param name="texts">The texts; none may be null.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
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
            return EmbedCore(texts, cancellationToken);
        }
        finally
        {
            _gate.Exit();
        }
    }

    private float[][] EmbedCore(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var results = new float[texts.Count][];
        var pending = new List<(int Index, EmbeddingCache.Key Key, int[] Ids)>(texts.Count);
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
            pending.Add((i, key, ids is int[] array ? array : [.. ids]));
        }

        // Sorting by length puts texts of similar length in one batch, so padding (wasted work) stays small.
        pending.Sort((a, b) => a.Ids.Length.CompareTo(b.Ids.Length));
        for (var start = 0; start < pending.Count; start += _options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Dispose waits for the caller inside the gate; stopping between batches bounds that wait to one model run.
            ObjectDisposedException.ThrowIf(_gate.IsClosed, this);
            var count = Math.Min(_options.BatchSize, pending.Count - start);
            var batch = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending).Slice(start, count);
            var vectors = RunBatch(batch);
            for (var j = 0; j < count; j++)
            {
                results[batch[j].Index] = vectors[j];
                if (_cache.Enabled)
                {
                    _cache.Set(batch[j].Key, vectors[j]);
                }
            }
        }

        return results;
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

    private float[][] RunBatch(ReadOnlySpan<(int Index, EmbeddingCache.Key Key, int[] Ids)> batch)
    {
        var rows = batch.Length;
        var length = 0;
        foreach (var item in batch)
        {
            length = Math.Max(length, item.Ids.Length);
        }

        var inputIds = new long[rows * length];
        var mask = new long[rows * length];
        var types = new long[rows * length];
        for (var r = 0; r < rows; r++)
        {
            var ids = batch[r].Ids;
            for (var t = 0; t < ids.Length; t++)
            {
                inputIds[(r * length) + t] = ids[t];
                mask[(r * length) + t] = 1;
            }
        }

        long[] shape = [rows, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], OutputNames);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var dims = Dimensions;
        var result = new float[rows][];
        for (var r = 0; r < rows; r++)
        {
            var vector = new float[dims];
            var tokens = batch[r].Ids.Length;

            // Mean pooling over real tokens only (the mask is 1 exactly for the first `tokens` positions).
            for (var t = 0; t < tokens; t++)
            {
                TensorPrimitives.Add(vector, hidden.Slice(((r * length) + t) * dims, dims), vector);
            }

            TensorPrimitives.Divide(vector, tokens, vector);
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, vector);
            }

            result[r] = vector;
        }

        return result;
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
            return _session;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>
    /// Releases the ONNX Runtime session and the cache once no thread runs the model any more: a call in flight
    /// finishes its current batch and then fails with <see cref="ObjectDisposedException"/>, later calls fail at once.
    /// Safe to call more than once and from any thread.
    /// </summary>
    public void Dispose()
    {
        if (!_gate.Close())
        {
            return;
        }

        // Freeing the native session under a running inference crashes the process, so wait for the run (one batch at most).
        _gate.Drained.GetAwaiter().GetResult();
        _session.Dispose();
        _cache.Dispose();
    }
}
