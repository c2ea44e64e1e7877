namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>
/// Which searchable rows a search may return; every condition set must hold (AND). Provider-neutral: each provider
/// turns it into its own SQL (SQLite: <see cref="Sqlite.SqliteFilterSql"/>; PostgreSQL: columns and <c>jsonb @&gt;</c>).
/// </summary>
/// <param name="ConversationId">Only rows of this conversation.</param>
/// <param name="Role">Only rows with this role (ordinal).</param>
/// <param name="From">Only rows whose timestamp is at or after this instant.</param>
/// <param name="To">Only rows whose timestamp is before this instant.</param>
/// <param name="Metadata">Only rows whose metadata holds every one of these key/value pairs (ordinal).</param>
internal sealed record RowFilter(
    string? ConversationId = null,
    string? Role = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    IReadOnlyDictionary<string, string>? Metadata = null)
{
    /// <summary>The filter that lets every row through.</summary>
    public static RowFilter None { get; } = new();

    /// <summary>Whether no condition is set (providers skip the filtering work then).</summary>
    public bool IsEmpty => ConversationId is null && Role is null && From is null && To is null && Metadata is not { Count: > 0 };

    /// <summary>The filter part of a search's options.</summary>
    public static RowFilter Of(SearchOptions options) =>
        new RowFilter(options.ConversationId, options.Role, options.From, options.To, options.Metadata) is { IsEmpty: false } filter ? filter : None;
}
