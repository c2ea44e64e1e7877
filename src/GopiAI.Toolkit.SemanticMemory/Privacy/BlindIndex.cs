using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GopiAI.Toolkit.Security;

namespace GopiAI.Toolkit.SemanticMemory.Privacy;

/// <summary>
/// The keyword index of an encrypted memory: every term of a text becomes a keyed token (HMAC-SHA256 under a key of its
/// own, derived from the master key), and FTS5 indexes the tokens instead of the words. The tokens keep the order and
/// multiplicity of the terms, so BM25 sees the same term frequencies, document frequencies and lengths, and ranks as it
/// would on the plain text; a query is tokenised and blinded the same way. Without the key the tokens cannot be turned
/// back into words, but equal words give equal tokens: the index still shows how often each (unknown) term occurs.
/// </summary>
/// <remarks>
/// Terms are split as SQLite's <c>unicode61</c> tokenizer splits them (letters, digits and private-use characters form
/// terms; everything else separates them), then lower-cased with diacritics removed (<c>remove_diacritics 2</c>).
/// </remarks>
internal sealed class BlindIndex : IDisposable
{
    /// <summary>Bytes of the HMAC kept per token: 80 bits, so a collision among a billion distinct terms has odds under 1 in a million.</summary>
    public const int TokenBytes = 10;

    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static readonly byte[] MetadataDomain = "gopiai-memory/metadata/v1\0"u8.ToArray();

    private readonly SecretBuffer _key;

    /// <summary>Takes ownership of <paramref name="key"/>.</summary>
    public BlindIndex(SecretBuffer key) => _key = key;

    /// <summary>The terms of <paramref name="text"/> in order, normalised as the FTS5 <c>unicode61 remove_diacritics 2</c> tokenizer does.</summary>
    public static List<string> Terms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isTermChar = i < text.Length && IsTermChar(text, i);
            if (isTermChar && start < 0)
            {
                start = i;
            }
            else if (!isTermChar && start >= 0)
            {
                terms.Add(Normalize(text.AsSpan(start, i - start)));
                start = -1;
            }

            if (i < text.Length && char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
        }

        return terms;
    }

    /// <summary>The blind token of one normalised term: 16 lower-case base32 characters, one FTS5 token.</summary>
    public string Token(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var input = Encoding.UTF8.GetBytes(term);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        using (var key = _key.Acquire())
        {
            HMACSHA256.HashData(key.Span, input, mac);
        }

        return ToBase32(mac[..TokenBytes]);
    }

    /// <summary>The text FTS5 indexes for <paramref name="content"/>: its blind tokens, in order, separated by spaces.</summary>
    public string IndexText(string content)
    {
        var terms = Terms(content);
        var builder = new StringBuilder(terms.Count * 17);
        foreach (var term in terms)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(Token(term));
        }

        return builder.ToString();
    }

    /// <summary>
    /// A query word as blind tokens: one token for a plain word, several separated by spaces for an identifier such as
    /// <c>ERR_CONN_4471</c> (matched as a phrase, as on a plain index); null when the word has no term characters.
    /// </summary>
    public string? QueryWord(string word)
    {
        var blinded = IndexText(word);
        return blinded.Length == 0 ? null : blinded;
    }

    /// <summary>The tag of one metadata pair: equal pairs give equal tags, so filters and forget requests match without the plaintext.</summary>
    public byte[] MetadataTag(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var valueBytes = Encoding.UTF8.GetBytes(value);
        // Length-prefixed so that ("a\0b", "c") and ("a", "b\0c") cannot give the same input.
        var input = new byte[MetadataDomain.Length + 4 + keyBytes.Length + valueBytes.Length];
        MetadataDomain.CopyTo(input, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(MetadataDomain.Length), keyBytes.Length);
        keyBytes.CopyTo(input, MetadataDomain.Length + 4);
        valueBytes.CopyTo(input, MetadataDomain.Length + 4 + keyBytes.Length);
        return Tag(input);
    }

    /// <summary>A 16-byte keyed tag of arbitrary bytes (callers prefix a domain of their own).</summary>
    public byte[] Tag(ReadOnlySpan<byte> input)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        using (var scope = _key.Acquire())
        {
            HMACSHA256.HashData(scope.Span, input, mac);
        }

        return mac[..16].ToArray();
    }

    /// <summary>Zeroes and frees the key.</summary>
    public void Dispose() => _key.Dispose();

    private static bool IsTermChar(string text, int index)
    {
        var category = char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            ? CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[index], text[index + 1]))
            : CharUnicodeInfo.GetUnicodeCategory(text[index]);
        return category switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            UnicodeCategory.PrivateUse => true,
            // unicode61 with remove_diacritics keeps combining marks inside a term (and then drops them).
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
            _ => false,
        };
    }

    private static string Normalize(ReadOnlySpan<char> term)
    {
        var decomposed = term.ToString().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private static string ToBase32(ReadOnlySpan<byte> bytes)
    {
        // 10 bytes = 80 bits = 16 characters of 5 bits.
        var chars = new char[bytes.Length * 8 / 5];
        int buffer = 0, bits = 0, position = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[position++] = Base32[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        return new string(chars);
    }
}
