namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>
/// A searchable row of a conversation and the rows around it, as read by <see cref="IMemoryStore.GetConversationNeighboursAsync"/>.
/// Positions count the conversation's searchable rows (its turns; a turn long enough to be chunked counts once per
/// chunk) ordered by timestamp, then by row id (the order they were stored in when timestamps are equal); 0 is the first.
/// </summary>
/// <param name="ConversationId">The conversation of the row.</param>
/// <param name="Position">The row's own position.</param>
/// <param name="Neighbours">
/// The rows of the window that pass the search's filter, by position, without the row itself. A row of the window that
/// fails the filter, or is damaged, is left out and leaves a gap in the positions.
/// </param>
internal sealed record ConversationWindow(string ConversationId, long Position, IReadOnlyList<PositionedRow> Neighbours);

/// <summary>A row of a <see cref="ConversationWindow"/> and its position in its conversation.</summary>
internal readonly record struct PositionedRow(long Position, DocumentRow Row);

/// <summary>The provider-neutral rules of <see cref="IMemoryStore.GetConversationNeighboursAsync"/>.</summary>
internal static class ConversationWindows
{
    /// <summary>Most rows a window reads on each side of its row, whatever the caller asks (<see cref="MemoryConfig.MaxContextTurns"/>).</summary>
    public const int MaxSide = MemoryConfig.MaxContextTurns;

    /// <summary>Most rows whose windows one call reads (the context builder asks for at most this many).</summary>
    public const int MaxRows = 128;

    /// <summary>A requested window side, capped to [0, <see cref="MaxSide"/>].</summary>
    public static int Side(int requested) => Math.Clamp(requested, 0, MaxSide);

    /// <summary>The distinct, non-blank ids of a request, at most <see cref="MaxRows"/> of them, in the order given.</summary>
    public static List<string> Ids(IReadOnlyCollection<string> ids)
    {
        var distinct = new List<string>(Math.Min(ids.Count, MaxRows));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (distinct.Count == MaxRows)
            {
                break;
            }

            if (!string.IsNullOrWhiteSpace(id) && seen.Add(id))
            {
                distinct.Add(id);
            }
        }

        return distinct;
    }
}
