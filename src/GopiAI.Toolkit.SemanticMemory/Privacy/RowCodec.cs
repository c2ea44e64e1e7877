using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GopiAI.Toolkit.SemanticMemory.Privacy;

/// <summary>
/// How the values of a row are kept in the memory file, in one place for every path that writes or reads them (writes,
/// row reads, vector loads, audits, rekey): as they are in a plain file, or sealed per row and column with the file's
/// <see cref="RowCipher"/> in an encrypted one, with the keyword text replaced by blind tokens, the content hash keyed
/// (a plain SHA-256 of a short text could be confirmed by guessing) and metadata pairs kept as blind tags.
/// </summary>
internal sealed class RowCodec
{
    private static readonly byte[] ContentHashDomain = "gopiai-memory/content-hash/v1\0"u8.ToArray();

    private RowCodec(RowCipher? cipher) => Cipher = cipher;

    /// <summary>The codec of a plain (unencrypted) file.</summary>
    public static RowCodec Plain { get; } = new(null);

    /// <summary>The file's cipher; null for a plain file.</summary>
    public RowCipher? Cipher { get; }

    /// <summary>Whether values are sealed.</summary>
    public bool IsEncrypted => Cipher is not null;

    /// <summary>The codec of an encrypted file (the codec does not own <paramref name="cipher"/>).</summary>
    public static RowCodec Encrypted(RowCipher cipher) => new(cipher ?? throw new ArgumentNullException(nameof(cipher)));

    /// <summary>The value stored for a text column: the text itself, or its sealed bytes.</summary>
    public object Text(string text, long rowId, RowField field) => Cipher is null ? text : Cipher.SealText(text, rowId, field);

    /// <summary>The value stored for a nullable text column (<c>source</c>).</summary>
    public object NullableText(string? text, long rowId, RowField field) => text is null ? DBNull.Value : Text(text, rowId, field);

    /// <summary>Reads a text column back.</summary>
    /// <exception cref="CryptographicException">A sealed value does not authenticate (damaged, moved, or another key).</exception>
    /// <exception cref="RowValueException">The column holds another type (a plain file bytes or a number, an encrypted file text): damage.</exception>
    public string ReadText(object value, long rowId, RowField field) => Cipher is null
        ? value as string ?? throw new RowValueException(value, rowId, field, "text")
        : Cipher.OpenText(value as byte[] ?? throw new RowValueException(value, rowId, field, "sealed bytes"), rowId, field);

    /// <summary>Reads a nullable text column back.</summary>
    public string? ReadNullableText(object value, long rowId, RowField field) => value is DBNull ? null : ReadText(value, rowId, field);

    /// <summary>The value stored in <c>content_hash</c> for a SHA-256 of the content: itself, or keyed with the blind-index key.</summary>
    public byte[] ContentHash(byte[] sha256)
    {
        if (Cipher is null)
        {
            return sha256;
        }

        var input = new byte[ContentHashDomain.Length + sha256.Length];
        ContentHashDomain.CopyTo(input, 0);
        sha256.CopyTo(input, ContentHashDomain.Length);
        return Cipher.Index.Tag(input);
    }

    /// <summary>The bytes stored in <c>vectors.data</c>.</summary>
    public byte[] Vector(byte[] raw, long rowId) => Cipher is null ? raw : Cipher.Seal(raw, rowId, RowField.Vector);

    /// <summary>Reads <c>vectors.data</c> back to the raw vector bytes.</summary>
    /// <exception cref="CryptographicException">The sealed value does not authenticate.</exception>
    public byte[] ReadVector(byte[] stored, long rowId) => Cipher is null ? stored : Cipher.Open(stored, rowId, RowField.Vector);

    /// <summary>The text the FTS5 table indexes: the content, or its blind tokens.</summary>
    public string KeywordText(string content) => Cipher is null ? content : Cipher.Index.IndexText(content);

    /// <summary>Query words as the keyword index holds them: unchanged, or blinded (words without term characters left out).</summary>
    public IReadOnlyList<string> KeywordWords(IReadOnlyList<string> words)
    {
        if (Cipher is null)
        {
            return words;
        }

        var blinded = new List<string>(words.Count);
        foreach (var word in words)
        {
            if (Cipher.Index.QueryWord(word) is { } tokens)
            {
                blinded.Add(tokens);
            }
        }

        return blinded;
    }

    /// <summary>The blind tags of a document's metadata (one per key/value pair); empty for a plain file, which filters on the JSON itself.</summary>
    public List<byte[]> MetadataTags(string metadataJson)
    {
        var tags = new List<byte[]>();
        if (Cipher is null)
        {
            return tags;
        }

        using var document = JsonDocument.Parse(metadataJson);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            tags.Add(Cipher.Index.MetadataTag(property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText()));
        }

        return tags;
    }

    /// <summary>The tag a metadata filter looks for.</summary>
    public byte[] MetadataTag(string key, string value) =>
        Cipher?.Index.MetadataTag(key, value) ?? throw new InvalidOperationException("A plain file has no metadata tags.");

    /// <summary>SHA-256 of a text's UTF-8 bytes (what <c>content_hash</c> holds in a plain file).</summary>
    public static byte[] Sha256(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}

/// <summary>
/// A row's column holds a value of another type than the file stores there (only damage or a hand edit does that).
/// An <see cref="InvalidCastException"/>, so that readers which leave out invalid rows treat it like one.
/// </summary>
internal sealed class RowValueException(object value, long rowId, RowField field, string expected)
    : InvalidCastException($"row {rowId}: its {field} holds {Describe(value)}, not {expected}")
{
    private static string Describe(object value) => value switch
    {
        DBNull => "NULL",
        byte[] => "bytes",
        string => "text",
        _ => "a number",
    };
}
