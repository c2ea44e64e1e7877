namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>How a vector is stored (the <c>format</c> column of the <c>vectors</c> table).</summary>
internal enum VectorFormat
{
    /// <summary>Dimensions × float32, little-endian; <c>scale</c> is 1.</summary>
    Float32 = 0,

    /// <summary>Dimensions × int8, symmetric quantisation: value = q × <c>scale</c>.</summary>
    Int8 = 1,
}

/// <summary>A vector row as stored, after <see cref="RowValidator.CheckVector"/> accepted it.</summary>
internal readonly record struct StoredVector(long RowId, VectorFormat Format, float Scale, byte[] Data);
