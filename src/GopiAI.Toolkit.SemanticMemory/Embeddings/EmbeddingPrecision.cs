namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>Arithmetic an <see cref="OnnxEmbeddingGenerator"/> runs the model's matrix multiplications in.</summary>
public enum EmbeddingPrecision
{
    /// <summary>The model as shipped: 32-bit floating point throughout.</summary>
    Float32,

    /// <summary>
    /// Dynamic int8 quantization: the weight matrices are stored as int8 with one scale per output column and the
    /// activations are quantized per run (ONNX Runtime <c>DynamicQuantizeMatMul</c>). Built from the fp32 model at
    /// first use and cached on disk (<see cref="OnnxEmbeddingOptions.QuantizedModelCacheDirectory"/>). Quality on
    /// all-MiniLM-L6-v2 stays within the gates of docs/semantic-memory.md ("Int8 model").
    /// </summary>
    Int8,
}
