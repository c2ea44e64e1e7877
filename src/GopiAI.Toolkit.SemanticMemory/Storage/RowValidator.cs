using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace GopiAI.Toolkit.SemanticMemory.Storage;

/// <summary>
/// Checks rows read from a memory file before anything uses them: the file may have been damaged or edited by hand,
/// and a vector that is not a unit vector of the file's dimension would score above 1 and win every dense search.
/// </summary>
internal static class RowValidator
{
    /// <summary>|norm − 1| allowed for float32 vectors (they are normalised before they are stored).</summary>
    public const double Float32NormTolerance = 1e-3;

    /// <summary>|norm − 1| allowed for int8 vectors: rounding each component to 1/127 of the largest moves the norm by a few per cent at most.</summary>
    public const double Int8NormTolerance = 0.1;

    /// <summary>
    /// Validates one vector row (values as SQLite returned them: long, double, byte[]): a known format, the byte length
    /// of the file's dimension, finite values and unit length (or all zeros). Returns null when valid, else why not.
    /// </summary>
    public static string? CheckVector(long rowId, object? format, object? scale, object? data, int dimensions, out StoredVector vector)
    {
        vector = default;
        if (format is not long code || code is < int.MinValue or > int.MaxValue || !Enum.IsDefined((VectorFormat)(int)code))
        {
            return $"unknown vector format {Describe(format)}";
        }

        if (data is not byte[] bytes)
        {
            return $"vector data is {Describe(data)}, not a blob";
        }

        if (scale is not double factor || !double.IsFinite(factor) || factor < 0 || factor > float.MaxValue)
        {
            return $"vector scale {Describe(scale)} is not a finite non-negative number";
        }

        var kind = (VectorFormat)code;
        var expected = kind == VectorFormat.Float32 ? dimensions * sizeof(float) : dimensions;
        if (bytes.Length != expected)
        {
            return $"vector holds {bytes.Length} bytes; a {kind} vector of {dimensions} dimensions holds {expected}";
        }

        double norm;
        if (kind == VectorFormat.Float32)
        {
            var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan());
            foreach (var value in values)
            {
                if (!float.IsFinite(value))
                {
                    return "vector holds a value that is not a finite number";
                }
            }

            norm = TensorPrimitives.Norm(values);
        }
        else
        {
            long sum = 0;
            foreach (var q in MemoryMarshal.Cast<byte, sbyte>(bytes.AsSpan()))
            {
                sum += q * q;
            }

            norm = Math.Sqrt(sum) * factor;
        }

        var tolerance = kind == VectorFormat.Float32 ? Float32NormTolerance : Int8NormTolerance;
        if (norm != 0 && Math.Abs(norm - 1) > tolerance)
        {
            return string.Create(CultureInfo.InvariantCulture, $"vector length is {norm:G4}, not 1 (vectors are stored unit length)");
        }

        vector = new StoredVector(rowId, kind, (float)factor, bytes);
        return null;
    }

    /// <summary>Whether a <c>kind</c> value read from the file is one of <see cref="RowKind"/>.</summary>
    public static bool IsKnownKind(long kind) => kind is >= (long)RowKind.Document and <= (long)RowKind.Chunk;

    /// <summary>Parses the <c>metadata</c> column: a JSON object of string values. False when it is anything else.</summary>
    /// <summary>The row's timestamp; false when the stored Unix milliseconds are outside what <see cref="DateTimeOffset"/> can hold (a damaged or hand-edited row).</summary>
    public static bool TryParseTimestamp(long unixMilliseconds, out DateTimeOffset timestamp)
    {
        if (unixMilliseconds is < MinUnixMilliseconds or > MaxUnixMilliseconds)
        {
            timestamp = default;
            return false;
        }

        timestamp = DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
        return true;
    }

    /// <summary>0001-01-01 and 9999-12-31T23:59:59.999 in Unix milliseconds, the range of <see cref="DateTimeOffset"/>.</summary>
    public const long MinUnixMilliseconds = -62_135_596_800_000, MaxUnixMilliseconds = 253_402_300_799_999;

    public static bool TryParseMetadata(string? json, out IReadOnlyDictionary<string, string> metadata)
    {
        metadata = EmptyMetadata;
        if (json is "{}")
        {
            return true;
        }

        if (string.IsNullOrEmpty(json))
        {
            return false;
        }

        try
        {
            if (JsonSerializer.Deserialize(json, MetadataJsonContext.Default.DictionaryStringString) is not { } parsed || parsed.Values.Any(v => v is null))
            {
                return false;
            }

            metadata = parsed;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>SQL that is true for a <c>documents</c> row (alias <c>d</c>) whose metadata is not a JSON object of strings.</summary>
    /// <remarks>A CASE, because SQLite does not promise to stop at the first true term of an OR, and the JSON functions throw on malformed text.</remarks>
    public const string InvalidMetadataSql =
        "(CASE WHEN d.metadata IS NULL OR json_valid(d.metadata) = 0 THEN 1 WHEN json_type(d.metadata) <> 'object' THEN 1 " +
        "WHEN EXISTS (SELECT 1 FROM json_each(d.metadata) j WHERE j.type <> 'text') THEN 1 ELSE 0 END)";

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();

    private static string Describe(object? value) => value switch
    {
        null or DBNull => "NULL",
        byte[] blob => $"a {blob.Length}-byte blob",
        string text => $"'{(text.Length > 20 ? text[..20] + "…" : text)}'",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };
}
