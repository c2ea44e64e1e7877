namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>A piece of text to remember, with where it came from.</summary>
public sealed record MemoryDocument
{
    /// <summary>Stable identifier; a new one is generated when <see langword="null"/>. Storing an existing id replaces that document.</summary>
    public string? Id { get; init; }

    /// <summary>The text. Must not be null, empty or white space. Long texts are chunked by tokens with overlap.</summary>
    public required string Content { get; init; }

    /// <summary>Conversation the text belongs to, if any.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Speaker role (<c>user</c>, <c>assistant</c>, <c>system</c>, ...), if any.</summary>
    public string? Role { get; init; }

    /// <summary>Free-form string metadata, filterable by equality.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>When the text was written; <see langword="null"/> means the time it is stored.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Citation shown with the text in contexts (a file name, URL, ...); derived from the conversation or id when null.</summary>
    public string? Source { get; init; }
}
