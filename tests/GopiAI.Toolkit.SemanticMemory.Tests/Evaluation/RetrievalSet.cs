using System.Globalization;
using System.Text.Json;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Evaluation;

/// <summary>A document of an evaluation corpus.</summary>
internal sealed record EvaluationDocument(string Id, string Text, string? ConversationId = null, string? Role = null, DateTimeOffset? Timestamp = null);

/// <summary>A query, the ids of the documents that answer it, and which half of the set it belongs to.</summary>
internal sealed record EvaluationQuery(string Text, IReadOnlySet<string> Relevant, bool Tuning);

/// <summary>
/// One retrieval evaluation set: a corpus, queries with their relevant documents, split into a tuning half (even
/// query positions: weights and calibrations are fitted on it) and a reporting half (odd positions: the figures shown).
/// </summary>
internal sealed record RetrievalSet(string Name, string Description, IReadOnlyList<EvaluationDocument> Corpus, IReadOnlyList<EvaluationQuery> Queries)
{
    public IEnumerable<EvaluationQuery> TuningHalf => Queries.Where(q => q.Tuning);

    public IEnumerable<EvaluationQuery> ReportingHalf => Queries.Where(q => !q.Tuning);

    /// <summary>The sets that can be built here: the STS-B set only when ../shared/data is present.</summary>
    public static IReadOnlyList<RetrievalSet> All(string repositoryRoot)
    {
        var sets = new List<RetrievalSet>();
        if (StsParaphrases(repositoryRoot) is { } sts)
        {
            sets.Add(sts);
        }

        sets.Add(Conversations(repositoryRoot));
        sets.Add(DocumentationPassages(repositoryRoot));
        return sets;
    }

    public static string StsFile(string repositoryRoot) => Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "data", "stsbenchmark", "sts-test.csv"));

    /// <summary>
    /// STS-B test paraphrases (the set of issue 13): sentence 1 of each pair with gold similarity 4 or more is a query,
    /// its sentence 2 the one relevant document among all distinct sentence 2s of the file. Null without the data.
    /// </summary>
    public static RetrievalSet? StsParaphrases(string repositoryRoot)
    {
        var file = StsFile(repositoryRoot);
        if (!File.Exists(file))
        {
            return null;
        }

        var pairs = File.ReadLines(file)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length >= 7)
            .Select(f => (Gold: double.Parse(f[4], CultureInfo.InvariantCulture), A: f[5], B: f[6]))
            .ToList();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var corpus = new List<EvaluationDocument>();
        foreach (var (_, _, b) in pairs)
        {
            if (!ids.ContainsKey(b))
            {
                ids[b] = $"sts-{corpus.Count}";
                corpus.Add(new EvaluationDocument(ids[b], b));
            }
        }

        var queries = pairs.Where(p => p.Gold >= 4.0)
            .Select((p, i) => new EvaluationQuery(p.A, new HashSet<string>([ids[p.B]]), i % 2 == 0))
            .ToList();
        return new RetrievalSet("STS-B paraphrases", "news/forum/caption sentences; query = sentence 1 (gold >= 4), answer = its sentence 2", corpus, queries);
    }

    /// <summary>
    /// Conversational QA over the assistant sample's conversations: the first user turn of each conversation and the
    /// sample's scripted questions are queries; the corpus is every other turn; a query's relevant documents are the
    /// turns of its conversation.
    /// </summary>
    public static RetrievalSet Conversations(string repositoryRoot)
    {
        var data = Path.Combine(repositoryRoot, "samples", "GopiAI.Toolkit.Samples.Assistant", "Data");
        var turns = File.ReadLines(Path.Combine(data, "conversations.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (Id: e.GetProperty("id").GetString()!, Conversation: e.GetProperty("conversationId").GetString()!, Role: e.GetProperty("role").GetString()!,
                Turn: e.GetProperty("turn").GetInt32(), Text: e.GetProperty("content").GetString()!,
                Timestamp: DateTimeOffset.Parse(e.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
        static bool IsOpening((string Id, string Conversation, string Role, int Turn, string Text, DateTimeOffset Timestamp) t) => t.Role == "user" && t.Turn == 1;
        var corpus = turns.Where(t => !IsOpening(t)).Select(t => new EvaluationDocument(t.Id, t.Text, t.Conversation, t.Role, t.Timestamp)).ToList();
        var byConversation = corpus.GroupBy(d => d.ConversationId!).ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(d => d.Id).ToHashSet(), StringComparer.Ordinal);
        var texts = turns.Where(IsOpening).Select(t => (t.Text, t.Conversation)).ToList();
        using (var questions = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "questions.json"))))
        {
            texts.AddRange(questions.RootElement.EnumerateArray().Select(q => (q.GetProperty("question").GetString()!, q.GetProperty("conversation").GetString()!)));
        }

        var queries = texts.Where(t => byConversation.ContainsKey(t.Item2))
            .Select((t, i) => new EvaluationQuery(t.Item1, byConversation[t.Item2], i % 2 == 0))
            .ToList();
        return new RetrievalSet("Assistant conversations", "chat turns on everyday and technical topics; query = opening question or scripted question, answer = the turns of its conversation", corpus, queries);
    }

    /// <summary>
    /// Documentation passages derived from README.md and docs/*.md (scripts/eval/derive-docs-passages.py, committed):
    /// the first sentence of a prose paragraph is the query, the rest of the paragraph the passage to find.
    /// </summary>
    public static RetrievalSet DocumentationPassages(string repositoryRoot)
    {
        var file = Path.Combine(repositoryRoot, "tests", "GopiAI.Toolkit.SemanticMemory.Tests", "Evaluation", "Data", "docs-passages.jsonl");
        var items = File.ReadLines(file)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (Id: e.GetProperty("id").GetString()!, Query: e.GetProperty("query").GetString()!, Passage: e.GetProperty("passage").GetString()!))
            .ToList();
        var corpus = items.Select(i => new EvaluationDocument(i.Id, i.Passage)).ToList();
        var queries = items.Select((item, i) => new EvaluationQuery(item.Query, new HashSet<string>([item.Id]), i % 2 == 0)).ToList();
        return new RetrievalSet("Documentation passages", "technical prose of this repository's docs; query = a paragraph's first sentence, answer = the rest of it", corpus, queries);
    }
}
