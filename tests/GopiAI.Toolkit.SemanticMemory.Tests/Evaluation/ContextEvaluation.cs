using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Evaluation;

/// <summary>A scripted question of the assistant sample and the phrase of the answer that its context should hold.</summary>
internal sealed record ContextQuestion(string Question, string Conversation, string Expect);

/// <summary>How many of the scripted questions' contexts held their answer, for one window and budget.</summary>
internal sealed record ContextOutcome(int TurnsBefore, int TurnsAfter, int Budget, int Contained, int Total, IReadOnlyList<string> Missed, double MeanTokens)
{
    public double Fraction => Total == 0 ? 0 : (double)Contained / Total;
}

/// <summary>
/// Conversation-aware context on the assistant sample (issue 13): its 414 turns stored as the sample stores them
/// (ids, roles, timestamps, metadata, per-turn sources), its 12 scripted questions asked through
/// <see cref="SemanticMemoryManager.GetContextAsync(string, int, CancellationToken)"/> with the real model, and the
/// share of contexts that contain the question's answer phrase (<c>expect</c> in questions.json, compared ignoring case).
/// </summary>
internal sealed class ContextEvaluation(string repositoryRoot)
{
    private string Data => Path.Combine(repositoryRoot, "samples", "GopiAI.Toolkit.Samples.Assistant", "Data");

    /// <summary>The sample's turns, as its ConversationSet.LoadAsync makes them.</summary>
    public IReadOnlyList<MemoryDocument> Turns() =>
        File.ReadLines(Path.Combine(Data, "conversations.jsonl"))
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => new MemoryDocument
            {
                Id = e.GetProperty("id").GetString()!,
                Content = e.GetProperty("content").GetString()!,
                ConversationId = e.GetProperty("conversationId").GetString(),
                Role = e.GetProperty("role").GetString(),
                Timestamp = DateTimeOffset.Parse(e.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture),
                Source = "conversations.jsonl#" + e.GetProperty("id").GetString(),
                Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["topic"] = e.GetProperty("topic").GetString()!,
                    ["turn"] = e.GetProperty("turn").GetInt32().ToString(CultureInfo.InvariantCulture),
                },
            })
            .ToList();

    /// <summary>The sample's 12 scripted questions (asked of all its turns).</summary>
    public IReadOnlyList<ContextQuestion> ScriptedQuestions()
    {
        using var questions = JsonDocument.Parse(File.ReadAllText(Path.Combine(Data, "questions.json")));
        return questions.RootElement.EnumerateArray()
            .Select(q => new ContextQuestion(q.GetProperty("question").GetString()!, q.GetProperty("conversation").GetString()!, q.GetProperty("expect").GetString()!))
            .ToList();
    }

    /// <summary>
    /// A larger set, for choosing the neighbour weight without looking at the scripted questions: each conversation's
    /// opening user turn is the question (asked of the turns without the openings), its answer the assistant's reply
    /// (turn 2), whole. Even conversations are the tuning half, odd ones the reporting half.
    /// </summary>
    public IReadOnlyList<(ContextQuestion Question, bool Tuning)> OpeningQuestions()
    {
        var byConversation = Turns().GroupBy(t => t.ConversationId!).ToList();
        var questions = new List<(ContextQuestion, bool)>();
        foreach (var conversation in byConversation)
        {
            var turns = conversation.OrderBy(t => int.Parse(t.Metadata!["turn"], CultureInfo.InvariantCulture)).ToList();
            if (turns.Count >= 3 && turns[0].Role == "user" && turns[1].Role == "assistant")
            {
                questions.Add((new ContextQuestion(turns[0].Content, conversation.Key, turns[1].Content.Trim()), questions.Count % 2 == 0));
            }
        }

        return questions;
    }

    /// <summary>Stores the sample's turns (without the opening user turns when <paramref name="withoutOpenings"/>) in a new memory file.</summary>
    public async Task StoreAsync(IEmbeddingGenerator<string, Embedding<float>> generator, string path, bool withoutOpenings = false)
    {
        await using var memory = await SemanticMemoryManager.OpenAsync(new MemoryConfig { IndexPath = path, BatchSize = 256 }, generator).ConfigureAwait(false);
        await memory.StoreDocumentsAsync(Turns().Where(t => !withoutOpenings || !(t.Role == "user" && t.Metadata!["turn"] == "1"))).ConfigureAwait(false);
    }

    /// <summary>Asks <paramref name="questions"/> of the file at <paramref name="path"/> with this window and budget.</summary>
    public static async Task<ContextOutcome> MeasureAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, string path, IEnumerable<ContextQuestion> questions, int turnsBefore, int turnsAfter, int budget, double? neighbourWeight = null)
    {
        var config = new MemoryConfig { IndexPath = path, ResultCacheSize = 0, ContextTurnsBefore = turnsBefore, ContextTurnsAfter = turnsAfter, ContextNeighbourWeight = neighbourWeight };
        await using var memory = await SemanticMemoryManager.OpenAsync(config, generator).ConfigureAwait(false);
        var missed = new List<string>();
        var (tokens, count) = (0L, 0);
        foreach (var question in questions)
        {
            var context = await memory.GetContextAsync(question.Question, budget).ConfigureAwait(false);
            tokens += SemanticMemory.Context.ContextBuilder.DefaultTokenizer.CountTokens(context);
            count++;
            if (!context.Contains(question.Expect, StringComparison.OrdinalIgnoreCase))
            {
                missed.Add(question.Conversation);
            }
        }

        return new ContextOutcome(turnsBefore, turnsAfter, budget, count - missed.Count, count, missed, count == 0 ? 0 : (double)tokens / count);
    }
}
