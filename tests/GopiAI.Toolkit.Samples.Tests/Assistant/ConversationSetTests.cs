using GopiAI.Toolkit.Samples.Assistant.Services;

namespace GopiAI.Toolkit.Samples.Tests.Assistant;

public sealed class ConversationSetTests
{
    private static string DataFile(string name) => Path.Combine(SamplePaths.Sample("GopiAI.Toolkit.Samples.Assistant"), "Data", name);

    [Fact]
    public async Task LoadAsync_BundledData_HasSeveralHundredTurnsAcrossTopics()
    {
        var documents = await ConversationSet.LoadAsync(DataFile("conversations.jsonl"), CancellationToken.None);

        Assert.True(documents.Count >= 400, $"{documents.Count} turns");
        Assert.Equal(documents.Count, documents.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.True(documents.Select(d => d.ConversationId).Distinct(StringComparer.Ordinal).Count() >= 100);
        Assert.True(documents.Select(d => d.Metadata!["topic"]).Distinct(StringComparer.Ordinal).Count() >= 8);
        Assert.All(documents, d => Assert.Contains(d.Role, new[] { "user", "assistant" }));
        Assert.All(documents, d => Assert.NotNull(d.Timestamp));
    }

    [Fact]
    public async Task LoadQuestionsAsync_BundledQuestions_EachAnswerIsInItsConversation()
    {
        var questions = await ConversationSet.LoadQuestionsAsync(DataFile("questions.json"), CancellationToken.None);
        var documents = await ConversationSet.LoadAsync(DataFile("conversations.jsonl"), CancellationToken.None);

        Assert.Equal(12, questions.Count);
        Assert.All(questions, q => Assert.Contains(documents, d => d.ConversationId == q.Conversation && d.Content.Contains(q.Expect, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task LoadAsync_BrokenLine_ThrowsWithTheLineNumber()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(path, ["""{"id":"a","conversationId":"c","turn":1,"role":"user","topic":"t","timestamp":"2025-01-01T00:00:00Z","content":"hi"}""", "{not json"]);

            var ex = await Assert.ThrowsAsync<InvalidDataException>(() => ConversationSet.LoadAsync(path, CancellationToken.None));

            Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task LoadAsync_EmptyContent_ThrowsInvalidData()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, """{"id":"a","conversationId":"c","turn":1,"role":"user","topic":"t","timestamp":"2025-01-01T00:00:00Z","content":" "}""");

            await Assert.ThrowsAsync<InvalidDataException>(() => ConversationSet.LoadAsync(path, CancellationToken.None));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
