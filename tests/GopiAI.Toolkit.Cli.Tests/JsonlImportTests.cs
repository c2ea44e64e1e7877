using GopiAI.Toolkit.Cli.Commands;

namespace GopiAI.Toolkit.Cli.Tests;

public sealed class JsonlImportTests
{
    [Fact]
    public void Parse_FullLine_MapsEveryField()
    {
        var document = JsonlImport.Parse(
            """{"id":"d1","Content":"hello","conversationId":"c","role":"user","source":"s.txt","timestamp":"2024-05-01T10:00:00+02:00","metadata":{"a":"b","n":3,"t":true}}""",
            1,
            "f.jsonl",
            defaultConversation: "fallback");

        Assert.Equal("d1", document.Id);
        Assert.Equal("hello", document.Content);
        Assert.Equal("c", document.ConversationId);
        Assert.Equal("user", document.Role);
        Assert.Equal("s.txt", document.Source);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 8, 0, 0, TimeSpan.Zero), document.Timestamp);
        Assert.Equal("b", document.Metadata!["a"]);
        Assert.Equal("3", document.Metadata["n"]);
        Assert.Equal("true", document.Metadata["t"]);
    }

    [Fact]
    public void Parse_ContentOnly_UsesTheDefaultConversationAndLeavesTheRestNull()
    {
        var document = JsonlImport.Parse("""{"content":"hello","id":null,"role":" "}""", 1, "f.jsonl", "fallback");

        Assert.Null(document.Id);
        Assert.Null(document.Role);
        Assert.Null(document.Metadata);
        Assert.Null(document.Timestamp);
        Assert.Equal("fallback", document.ConversationId);
    }

    [Theory]
    [InlineData("""{"content":"  "}""", "has no \"content\"")]
    [InlineData("""{"content":42}""", "non-string \"content\"")]
    [InlineData("""{"content":"x","role":1}""", "non-string \"role\"")]
    [InlineData("""{"content":"x""", "is not valid JSON")]
    [InlineData("\"text\"", "is not a JSON object")]
    public void Parse_BadLine_ThrowsBadInputNamingTheLine(string line, string expected)
    {
        var ex = Assert.Throws<CliException>(() => JsonlImport.Parse(line, 7, "f.jsonl", null));

        Assert.Equal(ExitCode.BadInput, ex.Code);
        Assert.StartsWith("Line 7 of 'f.jsonl' ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
