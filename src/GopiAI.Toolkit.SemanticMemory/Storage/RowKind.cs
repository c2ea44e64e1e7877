using System.Globalization;

namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>What a row of the <c>documents</c> table is (the <c>kind</c> column).</summary>
internal enum RowKind
{
    /// <summary>A short document: searchable itself (it has a vector and a keyword entry).</summary>
    Document = 0,

    /// <summary>A long document: holds the whole text and metadata; its chunks are the searchable rows.</summary>
    Parent = 1,

    /// <summary>A piece of a long document (<c>parentId#n</c>), searchable.</summary>
    Chunk = 2,
}

/// <summary>Row kinds as SQL literals: partial indexes (<c>WHERE kind &lt;&gt; 2</c>) are only used when the query repeats the literal.</summary>
internal static class RowKindSql
{
    public static readonly string Document = Literal(RowKind.Document);
    public static readonly string Parent = Literal(RowKind.Parent);
    public static readonly string Chunk = Literal(RowKind.Chunk);

    private static string Literal(RowKind kind) => ((int)kind).ToString(CultureInfo.InvariantCulture);
}
