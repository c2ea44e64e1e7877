namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>
/// What <see cref="SemanticMemoryManager.ForgetAsync"/> removes: everything of a conversation, everything written before
/// a date, everything whose metadata matches, or the documents that meet all of the criteria given (they combine with
/// AND). At least one criterion is required, so an empty request can never wipe the memory.
/// </summary>
/// <example>
/// <code>
/// await memory.ForgetAsync(ForgetRequest.ForConversation("support-4711"));
/// await memory.ForgetAsync(ForgetRequest.BeforeDate(DateTimeOffset.UtcNow.AddDays(-90)));
/// await memory.ForgetAsync(ForgetRequest.WithMetadata("user", "alice"));
/// </code>
/// </example>
public sealed record ForgetRequest
{
    /// <summary>Only documents of this conversation (ordinal equality).</summary>
    public string? ConversationId { get; init; }

    /// <summary>Only documents whose timestamp is strictly before this instant.</summary>
    public DateTimeOffset? Before { get; init; }

    /// <summary>Only documents whose metadata has every one of these key/value pairs (ordinal equality).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Whether at least one criterion is set.</summary>
    public bool HasCriteria => ConversationId is not null || Before is not null || Metadata is { Count: > 0 };

    /// <summary>Everything of one conversation.</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException"><paramref name="conversationId"/> is null, empty or white space.</exception>
    public static ForgetRequest ForConversation(string conversationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        return new ForgetRequest { ConversationId = conversationId };
    }

    /// <summary>Everything whose timestamp is before <paramref name="instant"/>.</summary>
    /// <param name="instant">The cut-off (exclusive).</param>
    /// <returns>The request.</returns>
    public static ForgetRequest BeforeDate(DateTimeOffset instant) => new() { Before = instant };

    /// <summary>Everything whose metadata has <paramref name="key"/> = <paramref name="value"/>.</summary>
    /// <param name="key">The metadata key.</param>
    /// <param name="value">The value it must have.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static ForgetRequest WithMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        return new ForgetRequest { Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [key] = value } };
    }
}

/// <summary>What <see cref="SemanticMemoryManager.ForgetAsync"/> removed.</summary>
/// <param name="Documents">Documents removed (a chunked document counts once).</param>
/// <param name="Chunks">Chunks of long documents removed with them.</param>
/// <param name="Conversations">Distinct conversations that lost at least one document.</param>
public sealed record ForgetResult(int Documents, int Chunks, int Conversations);
