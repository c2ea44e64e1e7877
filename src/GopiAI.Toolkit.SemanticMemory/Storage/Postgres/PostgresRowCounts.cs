namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>
/// The two counts the <c>state</c> row keeps (or a change to them): <c>Documents</c>, the stored documents
/// (<see cref="RowKind.Document"/> and <see cref="RowKind.Parent"/> rows, what <see cref="MemoryConfig.MaxDocuments"/>
/// limits), and <c>Searchable</c>, the rows the legs search (<see cref="RowKind.Document"/> and
/// <see cref="RowKind.Chunk"/> rows, what the keyword leg's term choice and the HNSW threshold compare against).
/// </summary>
internal readonly record struct PostgresRowCounts(long Documents, long Searchable)
{
    /// <summary>No rows.</summary>
    public static PostgresRowCounts None => default;

    /// <summary>The counts of one row of this kind.</summary>
    public static PostgresRowCounts Of(RowKind kind) => kind switch
    {
        RowKind.Document => new(1, 1),
        RowKind.Parent => new(1, 0),
        _ => new(0, 1),
    };

    public static PostgresRowCounts operator +(PostgresRowCounts left, PostgresRowCounts right) => new(left.Documents + right.Documents, left.Searchable + right.Searchable);

    public static PostgresRowCounts operator -(PostgresRowCounts left, PostgresRowCounts right) => new(left.Documents - right.Documents, left.Searchable - right.Searchable);

    public static PostgresRowCounts operator -(PostgresRowCounts counts) => new(-counts.Documents, -counts.Searchable);

    /// <summary>The same as <c>left + right</c>.</summary>
    public static PostgresRowCounts Add(PostgresRowCounts left, PostgresRowCounts right) => left + right;

    /// <summary>The same as <c>left - right</c>.</summary>
    public static PostgresRowCounts Subtract(PostgresRowCounts left, PostgresRowCounts right) => left - right;

    /// <summary>The same as <c>-counts</c>.</summary>
    public static PostgresRowCounts Negate(PostgresRowCounts counts) => -counts;
}
