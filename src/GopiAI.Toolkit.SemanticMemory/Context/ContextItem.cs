namespace GopiAI.Toolkit.SemanticMemory.Context;

/// <summary>A text that may go into a context: a search hit, or a turn of a hit's conversation next to it.</summary>
/// <param name="Content">The text.</param>
/// <param name="Role">The speaker, shown before the text in a block of several turns; null when none.</param>
/// <param name="Source">The citation of this text alone (<see cref="MemoryResult.Source"/>).</param>
/// <param name="ExplicitSource">Whether <paramref name="Source"/> was given by the caller (a file, a URL) rather than derived from the conversation or id.</param>
/// <param name="ConversationId">The conversation, when <paramref name="Position"/> is known.</param>
/// <param name="Position">The position in the conversation (<see cref="Storage.ConversationWindow"/>), when known.</param>
/// <param name="Id">The stored id, for texts whose position is not known (they are told apart by it).</param>
internal sealed record ContextItem(string Content, string? Role, string Source, bool ExplicitSource, string? ConversationId, long? Position, string Id)
{
    /// <summary>What makes two items the same text in the store: the conversation and position when known, else the id.</summary>
    public (string? Conversation, long? Position, string? Id) Key => Position is null ? (null, null, Id) : (ConversationId, Position, null);

    /// <summary>A search hit as an item; <paramref name="position"/> when the store knows where it sits in its conversation.</summary>
    public static ContextItem Of(MemoryResult result, long? position) =>
        new(result.Content, result.Role, result.Source, !IsDerived(result.Source, result.ConversationId, result.ParentId ?? result.Id),
            position is null ? null : result.ConversationId, position, result.Id);

    private static bool IsDerived(string source, string? conversationId, string id) =>
        string.Equals(source, conversationId is not null ? $"conversation:{conversationId}" : $"memory:{id}", StringComparison.Ordinal);
}
