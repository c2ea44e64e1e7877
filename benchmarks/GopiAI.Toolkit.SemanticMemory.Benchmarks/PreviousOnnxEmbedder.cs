using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace GopiAI.Toolkit.SemanticMemory.Benchmarks;

/// <summary>
/// The embedding path as it was before issue 14 (fp32, frozen here as the "today" baseline): one session called
/// concurrently by every caller, each call sorted by length and cut into fixed batches of 32, new tensors per call.
/// </summary>
public sealed class PreviousOnnxEmbedder : IDisposable
{
    private static readonly string[] OutputNames = ["last_hidden_state"];
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;

    /// <param name="spinning">ONNX Runtime's default (true); false blocks idle workers like the new path does.</param>
    public PreviousOnnxEmbedder(bool spinning = true)
    {
        var folder = OnnxEmbeddingGenerator.DefaultModelDirectory;
        using (var vocab = File.OpenRead(Path.Combine(folder, "vocab.txt")))
        {
            _tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true });
        }

        using var options = new SessionOptions
        {
            IntraOpNumThreads = Environment.ProcessorCount,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (!spinning)
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        _session = new InferenceSession(Path.Combine(folder, "model.onnx"), options);
    }

    public float[][] Embed(IReadOnlyList<string> texts)
    {
        var results = new float[texts.Count][];
        var pending = texts.Select((t, i) => (Index: i, Ids: _tokenizer.EncodeToIds(t, 256, addSpecialTokens: true, out _, out _).ToArray())).ToList();
        pending.Sort((a, b) => a.Ids.Length.CompareTo(b.Ids.Length));
        for (var start = 0; start < pending.Count; start += 32)
        {
            var batch = pending.GetRange(start, Math.Min(32, pending.Count - start));
            var rows = batch.Count;
            var length = batch.Max(b => b.Ids.Length);
            var ids = new long[rows * length];
            var mask = new long[rows * length];
            var types = new long[rows * length];
            for (var r = 0; r < rows; r++)
            {
                for (var t = 0; t < batch[r].Ids.Length; t++)
                {
                    ids[(r * length) + t] = batch[r].Ids[t];
                    mask[(r * length) + t] = 1;
                }
            }

            long[] shape = [rows, length];
            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
            using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], OutputNames);
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            for (var r = 0; r < rows; r++)
            {
                var vector = new float[384];
                for (var t = 0; t < batch[r].Ids.Length; t++)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(vector, hidden.Slice(((r * length) + t) * 384, 384), vector);
                }

                System.Numerics.Tensors.TensorPrimitives.Divide(vector, System.Numerics.Tensors.TensorPrimitives.Norm(vector), vector);
                results[batch[r].Index] = vector;
            }
        }

        return results;
    }

    public void Dispose() => _session.Dispose();
}
