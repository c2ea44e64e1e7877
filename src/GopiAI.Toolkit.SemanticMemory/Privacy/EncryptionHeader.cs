using System.Security.Cryptography;
using System.Text.Json;
using GopiAI.Toolkit.Security;

namespace GopiAI.Toolkit.SemanticMemory.Privacy;

/// <summary>
/// The record an encrypted memory file keeps in its <c>meta</c> table (key <see cref="MetaKey"/>): the format version,
/// the file's HKDF salt and a key check (a known text sealed under the row key). Opening checks the key against it
/// before any row is read or written, so a wrong or missing key is a clear error, never garbage or a half-written file.
/// </summary>
internal sealed record EncryptionHeader(int Version, byte[] Salt, byte[] Check)
{
    /// <summary>The <c>meta</c> key that holds the header; its presence marks the file as encrypted.</summary>
    public const string MetaKey = "encryption";

    /// <summary>The current header format.</summary>
    public const int CurrentVersion = 1;

    private static readonly byte[] CheckText = "gopiai-memory key check v1"u8.ToArray();

    /// <summary>A header for a new file (or a rekeyed one): a fresh salt, and the key check sealed under the new cipher.</summary>
    public static (EncryptionHeader Header, RowCipher Cipher) Create(SecretBuffer masterKey)
    {
        var salt = RandomNumberGenerator.GetBytes(RowCipher.SaltLength);
        var cipher = RowCipher.Create(masterKey, salt);
        return (new EncryptionHeader(CurrentVersion, salt, cipher.Seal(CheckText, 0, RowField.KeyCheck)), cipher);
    }

    /// <summary>Reads the header stored as JSON; throws <see cref="FormatException"/> when it is not one.</summary>
    public static EncryptionHeader Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var header = new EncryptionHeader(
                root.GetProperty("version").GetInt32(),
                root.GetProperty("salt").GetBytesFromBase64(),
                root.GetProperty("check").GetBytesFromBase64());
            return header.Salt.Length == RowCipher.SaltLength
                ? header
                : throw new FormatException($"The encryption header has a salt of {header.Salt.Length} bytes; {RowCipher.SaltLength} expected.");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException("The encryption header is not valid JSON with version, salt and check.", ex);
        }
    }

    /// <summary>The JSON stored in <c>meta</c>.</summary>
    public string ToJson() =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["version"] = Version, ["salt"] = Salt, ["check"] = Check });

    /// <summary>
    /// The file's cipher when <paramref name="masterKey"/> is the key the file was written with; null when it is not
    /// (the key check fails to authenticate).
    /// </summary>
    public RowCipher? TryUnlock(SecretBuffer masterKey)
    {
        var cipher = RowCipher.Create(masterKey, Salt);
        try
        {
            var text = cipher.Open(Check, 0, RowField.KeyCheck);
            if (CryptographicOperations.FixedTimeEquals(text, CheckText))
            {
                return cipher;
            }
        }
        catch (CryptographicException)
        {
        }

        cipher.Dispose();
        return null;
    }
}
