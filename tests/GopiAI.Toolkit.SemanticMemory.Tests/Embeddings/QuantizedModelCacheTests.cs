using GopiAI.Toolkit.SemanticMemory.Embeddings.Quantization;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Embeddings;

public sealed class QuantizedModelCacheTests : IDisposable
{
    private static readonly string SourceModel = Path.Combine(OnnxEmbeddingGenerator.DefaultModelDirectory, "model.onnx");
    private readonly TempDirectory _folder = new();

    [Fact]
    public void Load_SecondTime_ReadsTheVerifiedFileInsteadOfRebuilding()
    {
        var first = QuantizedModelCache.Load(SourceModel, _folder.Path);
        var second = QuantizedModelCache.Load(SourceModel, _folder.Path);

        Assert.True(first.Built);
        Assert.False(second.Built);
        Assert.Equal(first.Path, second.Path);
        Assert.Equal(first.Model, second.Model);
        Assert.Single(Directory.GetFiles(_folder.Path));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("bit-flip")]
    [InlineData("garbage")]
    public void Load_DamagedCacheFile_DetectsItAndRebuildsAValidOne(string damage)
    {
        var (model, path, _) = QuantizedModelCache.Load(SourceModel, _folder.Path);
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncated":
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case "bit-flip":
                bytes[bytes.Length - 1000] ^= 0x10;
                File.WriteAllBytes(path, bytes);
                break;
            default:
                File.WriteAllText(path, "not a model");
                break;
        }

        var (_, problem) = QuantizedModelCache.TryRead(path, System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(SourceModel)));
        var reloaded = QuantizedModelCache.Load(SourceModel, _folder.Path);

        Assert.NotNull(problem);
        Assert.True(reloaded.Built);
        Assert.Equal(model, reloaded.Model);
        Assert.False(QuantizedModelCache.Load(SourceModel, _folder.Path).Built);
    }

    [Fact]
    public void Load_FileOfAnotherSourceModel_IsNotUsed()
    {
        var (_, path, _) = QuantizedModelCache.Load(SourceModel, _folder.Path);

        var (payload, problem) = QuantizedModelCache.TryRead(path, new byte[32]);

        Assert.Null(payload);
        Assert.Contains("another source model", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_ManyBuildersAtOnce_AllGetTheSameModelAndOneValidFileRemains()
    {
        using var start = new Barrier(4);
        var loads = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return QuantizedModelCache.Load(SourceModel, _folder.Path);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();

        var results = await Task.WhenAll(loads);

        Assert.All(results, r => Assert.Equal(results[0].Model, r.Model));
        Assert.Equal([results[0].Path], Directory.GetFiles(_folder.Path));
        Assert.False(QuantizedModelCache.Load(SourceModel, _folder.Path).Built);
    }

    [Fact]
    public void Constructor_Int8WithCacheFolder_UsesTheCacheFile()
    {
        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { QuantizedModelCacheDirectory = _folder.Path, CacheSize = 0 });

        Assert.Equal(EmbeddingPrecision.Int8, generator.Precision);
        Assert.NotNull(generator.QuantizedModelPath);
        Assert.StartsWith(_folder.Path, generator.QuantizedModelPath, StringComparison.Ordinal);
        Assert.True(File.Exists(generator.QuantizedModelPath));
    }

    public void Dispose() => _folder.Dispose();
}
