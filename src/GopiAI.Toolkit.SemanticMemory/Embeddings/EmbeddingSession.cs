using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace GopiAI.Toolkit.SemanticMemory.Embeddings;

/// <summary>
/// One ONNX Runtime session of a BERT sentence encoder plus the buffers of its runs: token ids in, mean-pooled unit
/// vectors out. Not thread-safe: <see cref="EmbeddingBatcher"/> runs it from one thread at a time, which is also what
/// lets it reuse its input and output buffers from run to run instead of allocating tensors per call.
/// </summary>
internal sealed class EmbeddingSession : IDisposable
{
    private static readonly string[] OutputNames = ["last_hidden_state"];
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private long[] _ids = [];
    private long[] _mask = [];
    private long[] _types = [];
    private float[] _hidden = [];

    /// <summary>Creates the session from a model file or from model bytes (exactly one of them).</summary>
    /// <param name="modelPath">The model file, or null when <paramref name="modelBytes"/> is given.</param>
    /// <param name="modelBytes">The serialized model, or null.</param>
    /// <param name="intraOpThreads">Threads per run; 0 means one per core.</param>
    /// <param name="tune">Changes to the default settings (the session-tuning benchmark uses it).</param>
    /// <param name="spinning">Whether idle workers spin (ONNX Runtime's default) instead of blocking.</param>
    public EmbeddingSession(string? modelPath, byte[]? modelBytes, int intraOpThreads, Action<SessionOptions>? tune = null, bool spinning = false)
    {
        using var options = CreateOptions(intraOpThreads, spinning);
        tune?.Invoke(options);
        _session = modelBytes is not null ? new InferenceSession(modelBytes, options) : new InferenceSession(modelPath!, options);
        Dimensions = (int)_session.OutputMetadata[OutputNames[0]].Dimensions[^1];
    }

    /// <summary>Length of each output vector.</summary>
    public int Dimensions { get; }

    /// <summary>The underlying session (exposed through <see cref="OnnxEmbeddingGenerator.GetService"/>).</summary>
    public InferenceSession Session => _session;

    /// <summary>
    /// Session settings for a small encoder on a few cores, as measured (docs/benchmarks.md, "Session tuning"): every
    /// core works inside one run and runs never overlap (the batcher serialises them), so inter-op parallelism is off;
    /// graph optimisations up to "extended" (they fuse LayerNorm, GELU and MatMul + bias; "all" adds only layout
    /// transforms for convolutions and measured 0.8x of "extended" in 5 of 6 runs); the CPU arena stays on because
    /// runs of similar shapes reuse its blocks; memory patterns are off because shapes change from run to run; worker
    /// threads block instead of spinning between the graph's parallel sections, because a spinning worker burns a core
    /// the rest of the application (or a second process) needs: on the shared 2-core machine spinning cost 1.6-1.9x
    /// (<see cref="OnnxEmbeddingOptions.SpinningThreads"/> turns it back on).
    /// </summary>
    internal static SessionOptions CreateOptions(int intraOpThreads, bool spinning)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads == 0 ? Environment.ProcessorCount : intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            EnableCpuMemArena = true,
            EnableMemoryPattern = false,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
        return options;
    }

    /// <summary>Embeds one padded batch; <paramref name="sequences"/> are word-piece ids with [CLS]/[SEP].</summary>
    /// <param name="sequences">The rows of the batch (any order; the longest sets the padded length).</param>
    /// <param name="results">Receives one unit vector per row.</param>
    public void Run(ReadOnlySpan<int[]> sequences, Span<float[]> results)
    {
        var rows = sequences.Length;
        var length = 0;
        foreach (var ids in sequences)
        {
            length = Math.Max(length, ids.Length);
        }

        var cells = rows * length;
        var dims = Dimensions;
        Grow(ref _ids, cells);
        Grow(ref _mask, cells);
        Grow(ref _hidden, cells * dims);
        if (_types.Length < cells)
        {
            _types = new long[_ids.Length];
        }

        for (var r = 0; r < rows; r++)
        {
            var ids = sequences[r];
            var row = _ids.AsSpan(r * length, length);
            var mask = _mask.AsSpan(r * length, length);
            for (var t = 0; t < ids.Length; t++)
            {
                row[t] = ids[t];
            }

            row[ids.Length..].Clear();
            mask[..ids.Length].Fill(1);
            mask[ids.Length..].Clear();
        }

        long[] shape = [rows, length];
        var memory = OrtMemoryInfo.DefaultInstance;
        using (var idsValue = OrtValue.CreateTensorValueFromMemory(memory, _ids.AsMemory(0, cells), shape))
        using (var maskValue = OrtValue.CreateTensorValueFromMemory(memory, _mask.AsMemory(0, cells), shape))
        using (var typesValue = OrtValue.CreateTensorValueFromMemory(memory, _types.AsMemory(0, cells), shape))
        using (var hiddenValue = OrtValue.CreateTensorValueFromMemory(memory, _hidden.AsMemory(0, cells * dims), [rows, length, dims]))
        {
            _session.Run(_runOptions, InputNames, [idsValue, maskValue, typesValue], OutputNames, [hiddenValue]);
        }

        for (var r = 0; r < rows; r++)
        {
            var vector = new float[dims];
            var tokens = sequences[r].Length;

            // Mean pooling over real tokens only (the mask is 1 exactly for the first `tokens` positions).
            var hidden = _hidden.AsSpan(r * length * dims, tokens * dims);
            for (var t = 0; t < tokens; t++)
            {
                TensorPrimitives.Add(vector, hidden.Slice(t * dims, dims), vector);
            }

            // Dividing by the token count is redundant before L2 normalisation.
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, vector);
            }

            results[r] = vector;
        }
    }

    /// <summary>Releases the native session.</summary>
    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }

    private static void Grow<T>(ref T[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            buffer = new T[Math.Max(size, buffer.Length * 2)];
        }
    }
}
