namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>A conversation to remember: an identifier and its turns in order.</summary>
public sealed record Conversation
{
    /// <summary>Conversation identifier; a new one is generated when <see langword="null"/>.</summary>
    public string? Id { get; init; }

    /// <summary>The turns, oldest first. Each turn is stored as one document of the conversation.</summary>
    public required IReadOnlyList<ConversationTurn> Turns { get; init; }

    /// <summary>Metadata copied onto every stored turn (a turn's own metadata wins on the same key).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>One message of a <see cref="Conversation"/>.</summary>
/// <param name="Role">Speaker role, for example <c>user</c> or <c>assistant</c>.</param>
/// <param name="Content">The message text; must not be null, empty or white space.</param>
public sealed record ConversationTurn(string Role, string Content)
{
    /// <summary>When the message was written; <see langword="null"/> means the time it is stored.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Metadata of this turn only.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
