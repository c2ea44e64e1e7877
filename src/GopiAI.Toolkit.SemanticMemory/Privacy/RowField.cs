namespace GopiAI.Toolkit.SemanticMemory.Privacy;

/// <summary>
/// The encrypted columns of a row. The field is part of the associated data of each ciphertext, so a value moved into
/// another column (content into metadata, say) fails authentication just as a value moved into another row does.
/// </summary>
internal enum RowField : byte
{
    /// <summary><c>documents.content</c>: the text of a document, chunk or parent.</summary>
    Content = 1,

    /// <summary><c>documents.metadata</c>: the metadata JSON.</summary>
    Metadata = 2,

    /// <summary><c>vectors.data</c>: the stored vector bytes (float32 or int8).</summary>
    Vector = 3,

    /// <summary><c>documents.source</c>: where the document came from.</summary>
    Source = 4,

    /// <summary>The key-check record in <c>meta</c> (row id 0).</summary>
    KeyCheck = 5,
}
