using System.Numerics.Tensors;
using System.Text.Json;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Xunit.Abstractions;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>
/// Retrieval quality of the default (int8) model against fp32, as mean reciprocal rank of the right answer among all
/// candidates, on two evaluation sets built from shipped data: the assistant sample's conversations (the first user
/// turn of each conversation asks, the assistant turns of every conversation are the candidates, any turn of the same
/// conversation counts) and STS-B paraphrase pairs (gold 4 or more; skipped without ../shared/data).
/// Gate: int8 within 0.01 of fp32.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class RetrievalQualityTests(ModelFixture model, ITestOutputHelper output)
{
    private static readonly string ConversationsFile = Path.Combine(TestPaths.RepoRoot, "samples", "GopiAI.Toolkit.Samples.Assistant", "Data", "conversations.jsonl");

    [Fact]
    public void MeanReciprocalRank_AssistantConversationsInt8_WithinOneHundredthOfFloat32()
    {
        var turns = File.ReadLines(ConversationsFile)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (Conversation: e.GetProperty("conversationId").GetString()!, Role: e.GetProperty("role").GetString()!, Turn: e.GetProperty("turn").GetInt32(), Text: e.GetProperty("content").GetString()!))
            .ToList();
        var queries = turns.Where(t => t.Role == "user" && t.Turn == 1).ToList();
        var answers = turns.Where(t => t.Role == "assistant").ToList();
        Assert.True(queries.Count >= 100, "the evaluation set shrank");

        bool Relevant(int query, int answer) => answers[answer].Conversation == queries[query].Conversation;
        var float32 = MeanReciprocalRank(model.Float32, queries.Select(q => q.Text).ToArray(), answers.Select(a => a.Text).ToArray(), Relevant);
        var int8 = MeanReciprocalRank(model.Generator, queries.Select(q => q.Text).ToArray(), answers.Select(a => a.Text).ToArray(), Relevant);

        output.WriteLine($"conversations: {queries.Count} queries, {answers.Count} candidates; MRR fp32 {float32:F4}, int8 {int8:F4}");
        Assert.True(float32 > 0.9, $"fp32 MRR {float32:F4}: the evaluation set is broken");
        Assert.True(int8 >= float32 - 0.01, $"int8 MRR {int8:F4} is more than 0.01 below fp32 {float32:F4}");
    }

    [StsBenchmarkTests.SkippableFactIfNoData]
    public void MeanReciprocalRank_StsParaphrasesInt8_WithinOneHundredthOfFloat32()
    {
        var (queries, answers) = StsBenchmarkTests.ParaphrasePairs();

        var float32 = MeanReciprocalRank(model.Float32, queries, answers, (q, a) => q == a);
        var int8 = MeanReciprocalRank(model.Generator, queries, answers, (q, a) => q == a);

        output.WriteLine($"STS-B paraphrases: {queries.Length} queries and candidates; MRR fp32 {float32:F4}, int8 {int8:F4}");
        Assert.True(int8 >= float32 - 0.01, $"int8 MRR {int8:F4} is more than 0.01 below fp32 {float32:F4}");
    }

    private static double MeanReciprocalRank(OnnxEmbeddingGenerator generator, string[] queries, string[] candidates, Func<int, int, bool> relevant)
    {
        var q = generator.Embed(queries);
        var c = generator.Embed(candidates);
        var sum = 0.0;
        for (var i = 0; i < q.Length; i++)
        {
            var ranked = Enumerable.Range(0, c.Length).OrderByDescending(j => TensorPrimitives.Dot(q[i], c[j])).ToList();
            sum += 1.0 / (ranked.FindIndex(j => relevant(i, j)) + 1);
        }

        return sum / q.Length;
    }
}
