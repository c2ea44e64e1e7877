using GopiAI.Toolkit.SemanticMemory.Storage;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage;

[Collection(ModelCollection.Name)]
public sealed class ChunkerTests(ModelFixture model)
{
    [Fact]
    public void Split_LongText_ChunksFitOverlapAndCoverEveryWord()
    {
        var chunker = new Chunker(model.Generator, new MemoryConfig { ChunkTokens = 50, ChunkOverlapTokens = 10 });
        var words = Enumerable.Range(0, 400).Select(i => i % 9 == 0 ? $"internationalization{i}" : $"w{i}").ToArray();
        var text = string.Join(' ', words);

        var chunks = chunker.Split(text);

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.InRange(model.Generator.CountTokens(c.Text), 1, 50));
        for (var i = 1; i < chunks.Count; i++)
        {
            var previous = chunks[i - 1].Text.Split(' ');
            var current = chunks[i].Text.Split(' ');
            Assert.Contains(current[0], previous);
            Assert.NotEqual(previous[0], current[0]);
        }

        Assert.Equal(words, chunks.SelectMany(c => c.Text.Split(' ')).Distinct());
        Assert.All(chunks, c => Assert.Contains(c.Text, text, StringComparison.Ordinal));
    }

    [Fact]
    public void Split_ShortText_IsOneChunk()
    {
        var chunker = new Chunker(model.Generator, new MemoryConfig());

        var chunks = chunker.Split("A short note.");

        Assert.Equal("A short note.", Assert.Single(chunks).Text);
    }

    [Fact]
    public void Constructor_ChunkTokensAboveTheModelLimit_AreCappedTo254()
    {
        var chunker = new Chunker(model.Generator, new MemoryConfig { ChunkTokens = 1000, ChunkOverlapTokens = 0 });
        var text = string.Join(' ', Enumerable.Range(0, 600).Select(i => $"t{i}"));

        Assert.All(chunker.Split(text), c => Assert.True(model.Generator.CountTokens(c.Text) <= 254));
    }
}
