using System.Text.Json;
using System.Text.Json.Serialization;
using GopiAI.Toolkit.SemanticMemory;

namespace GopiAI.Toolkit.Samples.Assistant.Services;

/// <summary>One line of the bundled <c>conversations.jsonl</c>.</summary>
/// <param name="Id">The turn id, e.g. <c>conv-001-t01</c>.</param>
/// <param name="ConversationId">The conversation id.</param>
/// <param name="Turn">The turn number within the conversation, from 1.</param>
/// <param name="Role"><c>user</c> or <c>assistant</c>.</param>
/// <param name="Topic">The conversation's topic, e.g. <c>cooking</c>.</param>
/// <param name="Timestamp">When the turn was written.</param>
/// <param name="Content">The text.</param>
public sealed record ConversationLine(string Id, string ConversationId, int Turn, string Role, string Topic, DateTimeOffset Timestamp, string Content);

/// <summary>A scripted question and where its answer is.</summary>
/// <param name="Question">The question.</param>
/// <param name="Conversation">The id of the conversation that answers it; one of the top results should come from it.</param>
/// <param name="Expect">A phrase of that conversation's answer (shown with the result, and checked against the data by the tests).</param>
public sealed record ScriptedQuestion(string Question, string Conversation, string Expect);

/// <summary>Reads the bundled data files.</summary>
public static class ConversationSet
{
    /// <summary>Reads a JSONL conversation file into memory documents (metadata: topic and turn).</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The documents, in file order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not a valid conversation turn (the message gives the line number).</exception>
    public static async Task<IReadOnlyList<MemoryDocument>> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var documents = new List<MemoryDocument>();
        var number = 0;
        await foreach (var line in File.ReadLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            ConversationLine? turn;
            try
            {
                turn = JsonSerializer.Deserialize(line, AssistantJsonContext.Default.ConversationLine);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}, line {number}: {ex.Message}", ex);
            }

            if (turn is null || string.IsNullOrWhiteSpace(turn.Content) || string.IsNullOrWhiteSpace(turn.ConversationId))
            {
                throw new InvalidDataException($"{path}, line {number}: a turn needs a conversationId and non-empty content.");
            }

            documents.Add(new MemoryDocument
            {
                Id = turn.Id,
                Content = turn.Content,
                ConversationId = turn.ConversationId,
                Role = turn.Role,
                Timestamp = turn.Timestamp,
                Source = Path.GetFileName(path) + "#" + turn.Id,
                Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["topic"] = turn.Topic,
                    ["turn"] = turn.Turn.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            });
        }

        return documents;
    }

    /// <summary>Reads the scripted questions.</summary>
    /// <param name="path">A JSON array of <c>{ "question": …, "conversation": …, "expect": … }</c>.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The questions.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a JSON array of questions.</exception>
    public static async Task<IReadOnlyList<ScriptedQuestion>> LoadQuestionsAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var questions = await JsonSerializer.DeserializeAsync(stream, AssistantJsonContext.Default.ScriptedQuestionArray, cancellationToken).ConfigureAwait(false);
                return questions is { Length: > 0 } ? questions : throw new InvalidDataException($"{path} holds no questions.");
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}: {ex.Message}", ex);
            }
        }
    }
}

/// <summary>Source-generated JSON metadata for the data files (no reflection at run time).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ConversationLine))]
[JsonSerializable(typeof(ScriptedQuestion[]))]
internal sealed partial class AssistantJsonContext : JsonSerializerContext;
