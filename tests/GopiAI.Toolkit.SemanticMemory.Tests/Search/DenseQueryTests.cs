using System.Numerics.Tensors;
using GopiAI.Toolkit.SemanticMemory.Search;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Search;

[Collection(ModelCollection.Name)]
public sealed class DenseQueryTests(ModelFixture model)
{
    [Fact]
    public void Text_QueryAtTheLengthLimit_IsCutButEmbedsToTheSameVector()
    {
        var random = new Random(3);
        string[] words = ["the", "harbour", "crane", "lifts", "containers", "onto", "ships", "every", "morning", "before", "sunrise", "unbelievably", "ERR_CONN_4471", "naïve"];
        var query = string.Join(' ', Enumerable.Range(0, 6_000).Select(_ => words[random.Next(words.Length)]))[..SemanticMemoryManager.MaxQueryLength];

        var cut = DenseQuery.Text(query, model.Generator.MaxTokens);

        Assert.True(cut.Length < query.Length / 4, $"{cut.Length} chars kept");
        var vectors = model.Generator.Embed([query, cut]);
        Assert.Equal(1.0, TensorPrimitives.CosineSimilarity(vectors[0], vectors[1]), 6);
    }

    [Theory]
    [InlineData("short query")]
    [InlineData("")]
    public void Text_ShortQueryOrUnknownModel_IsUnchanged(string query)
    {
        Assert.Same(query, DenseQuery.Text(query, model.Generator.MaxTokens));
        var longQuery = new string('x', 40_000);
        Assert.Same(longQuery, DenseQuery.Text(longQuery, maxTokens: null));
    }
}
