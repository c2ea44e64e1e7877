using GopiAI.Toolkit.SemanticMemory.Embeddings.Quantization;
using Onnx;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Embeddings;

public sealed class DynamicQuantizerTests
{
    private static readonly string SourceModel = Path.Combine(OnnxEmbeddingGenerator.DefaultModelDirectory, "model.onnx");

    [Fact]
    public void QuantizePerColumn_KnownMatrix_ScalesEachColumnByItsLargestMagnitude()
    {
        // 2 x 3, row-major: column 0 = {1, -0.5}, column 1 = {0.25, 0.125}, column 2 = {0, 0}.
        float[] weights = [1f, 0.25f, 0f, -0.5f, 0.125f, 0f];

        var (quantized, scales) = DynamicQuantizer.QuantizePerColumn(weights, 2, 3);

        Assert.Equal([1f / 127, 0.25f / 127, 1f], scales);
        Assert.Equal(new sbyte[] { 127, 127, 0, -64, 64, 0 }, quantized);
        for (var i = 0; i < weights.Length; i++)
        {
            Assert.InRange(Math.Abs((quantized[i] * scales[i % 3]) - weights[i]), 0, (scales[i % 3] / 2) + 1e-7);
        }
    }

    [Fact]
    public void Quantize_MiniLM_ReplacesWeightMatMulsJoinsQkvAndKeepsAttentionOutputsFloat32()
    {
        var (bytes, quantized) = DynamicQuantizer.Quantize(File.ReadAllBytes(SourceModel));

        var graph = ModelProto.Parser.ParseFrom(bytes).Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        Assert.Equal(30, quantized);

        // Per layer: Q, K and V joined into one node (+ Split), the two FFN matrices on their own; all with folded bias.
        Assert.Equal(18, graph.Node.Count(n => n.OpType == "DynamicQuantizeMatMul" && n.Domain == "com.microsoft" && n.Input.Count == 5));
        Assert.Equal(6, graph.Node.Count(n => n.OpType == "Split" && n.Output.Count == 3));
        Assert.Equal(6, graph.Node.Count(n => n.OpType == "MatMul" && initializers.Contains(n.Input[1])));
        Assert.All(graph.Initializer.Where(t => t.Name.EndsWith("_gopiai_q_weight", StringComparison.Ordinal)), t => Assert.Equal((int)TensorProto.Types.DataType.Int8, t.DataType));
        Assert.True(bytes.Length < new FileInfo(SourceModel).Length * 0.75);
    }

    [Fact]
    public void Quantize_SameInput_GivesIdenticalBytes()
    {
        var source = File.ReadAllBytes(SourceModel);

        Assert.Equal(DynamicQuantizer.Quantize(source).Model, DynamicQuantizer.Quantize(source).Model);
    }

    [Fact]
    public void Quantize_NotAnOnnxModel_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => DynamicQuantizer.Quantize("definitely not protobuf \u00ff\u00fe"u8.ToArray()));
    }
}
