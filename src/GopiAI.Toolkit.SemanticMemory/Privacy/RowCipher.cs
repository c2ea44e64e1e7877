using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using GopiAI.Toolkit.Security;

namespace GopiAI.Toolkit.SemanticMemory.Privacy;

/// <summary>
/// Encrypts and decrypts the values of one memory file with AES-256-GCM: a fresh random 96-bit nonce per value, and
/// the row id and column as associated data, so a ciphertext copied into another row or column fails authentication.
/// The row key and the blind-index key are derived from the master key with HKDF-SHA256 and the file's own salt, so two
/// files under one master key share neither keys nor blind-index tokens. Keys live in <see cref="SecretBuffer"/>s.
/// </summary>
/// <remarks>
/// Sealed layout: <c>version (1) | nonce (12) | ciphertext | tag (16)</c>. Thread-safe: each call creates its own
/// <see cref="AesGcm"/> context (a native copy of the key that lives only for the call).
/// </remarks>
internal sealed class RowCipher : IDisposable
{
    /// <summary>Length of the master key and of each derived key (AES-256).</summary>
    public const int KeyLength = 32;

    /// <summary>Length of the per-file HKDF salt.</summary>
    public const int SaltLength = 16;

    /// <summary>Bytes a sealed value adds to its plaintext: version, nonce and tag.</summary>
    public const int Overhead = 1 + NonceLength + TagLength;

    private const byte FormatVersion = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private static readonly byte[] AssociatedPrefix = "gopiai-memory/row/v1"u8.ToArray();
    private static readonly byte[] RowKeyInfo = "gopiai-memory row key v1"u8.ToArray();
    private static readonly byte[] IndexKeyInfo = "gopiai-memory blind index v1"u8.ToArray();

    private readonly SecretBuffer _rowKey;

    private RowCipher(SecretBuffer rowKey, BlindIndex index)
    {
        _rowKey = rowKey;
        Index = index;
    }

    /// <summary>The blind index of this file (its key is derived from the same master key and salt).</summary>
    public BlindIndex Index { get; }

    /// <summary>Derives the row key and the blind-index key of a file from the master key and the file's salt.</summary>
    /// <exception cref="ArgumentException">The master key is not <see cref="KeyLength"/> bytes, or the salt not <see cref="SaltLength"/>.</exception>
    /// <exception cref="ObjectDisposedException">The master key was disposed.</exception>
    public static RowCipher Create(SecretBuffer masterKey, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        if (masterKey.Length != KeyLength)
        {
            throw new ArgumentException($"The encryption key must be {KeyLength} bytes (AES-256); this one has {masterKey.Length}.", nameof(masterKey));
        }

        if (salt.Length != SaltLength)
        {
            throw new ArgumentException($"The salt must be {SaltLength} bytes.", nameof(salt));
        }

        var saltCopy = salt.ToArray();
        var rowKey = Derive(masterKey, saltCopy, RowKeyInfo);
        try
        {
            var index = new BlindIndex(Derive(masterKey, saltCopy, IndexKeyInfo));
            return new RowCipher(rowKey, index);
        }
        catch
        {
            rowKey.Dispose();
            throw;
        }
    }

    private static SecretBuffer Derive(SecretBuffer masterKey, byte[] salt, byte[] info) =>
        // HKDF writes straight into the protected pages: neither key is ever copied into managed memory.
        SecretBuffer.Create(KeyLength, (Master: masterKey, Salt: salt, Info: info), static (span, s) =>
        {
            using var master = s.Master.Acquire();
            HKDF.DeriveKey(HashAlgorithmName.SHA256, master.Span, span, s.Salt, s.Info);
        });

    /// <summary>Encrypts <paramref name="plaintext"/> for column <paramref name="field"/> of row <paramref name="rowId"/>.</summary>
    /// <returns>The sealed value (<see cref="Overhead"/> bytes longer than the plaintext).</returns>
    public byte[] Seal(ReadOnlySpan<byte> plaintext, long rowId, RowField field)
    {
        var sealedValue = new byte[plaintext.Length + Overhead];
        sealedValue[0] = FormatVersion;
        var nonce = sealedValue.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> associated = stackalloc byte[AssociatedPrefix.Length + 1 + sizeof(long)];
        WriteAssociated(associated, rowId, field);
        using var key = _rowKey.Acquire();
        using var aes = new AesGcm(key.Span, TagLength);
        aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(1 + NonceLength, plaintext.Length), sealedValue.AsSpan(1 + NonceLength + plaintext.Length), associated);
        return sealedValue;
    }

    /// <summary>Encrypts a text as UTF-8.</summary>
    public byte[] SealText(string text, long rowId, RowField field) => Seal(Encoding.UTF8.GetBytes(text), rowId, field);

    /// <summary>Decrypts a value sealed for column <paramref name="field"/> of row <paramref name="rowId"/>.</summary>
    /// <exception cref="CryptographicException">The value is damaged, was sealed under another key, or belongs to another row or column.</exception>
    public byte[] Open(ReadOnlySpan<byte> sealedValue, long rowId, RowField field)
    {
        if (sealedValue.Length < Overhead || sealedValue[0] != FormatVersion)
        {
            throw new CryptographicException($"The value of {field} in row {rowId} is not a sealed value of format {FormatVersion}.");
        }

        var plaintext = new byte[sealedValue.Length - Overhead];
        Span<byte> associated = stackalloc byte[AssociatedPrefix.Length + 1 + sizeof(long)];
        WriteAssociated(associated, rowId, field);
        using var key = _rowKey.Acquire();
        using var aes = new AesGcm(key.Span, TagLength);
        aes.Decrypt(
            sealedValue.Slice(1, NonceLength),
            sealedValue.Slice(1 + NonceLength, plaintext.Length),
            sealedValue[(1 + NonceLength + plaintext.Length)..],
            plaintext,
            associated);
        return plaintext;
    }

    /// <summary>Decrypts a text sealed with <see cref="SealText"/>.</summary>
    /// <exception cref="CryptographicException">See <see cref="Open"/>.</exception>
    public string OpenText(ReadOnlySpan<byte> sealedValue, long rowId, RowField field) => Encoding.UTF8.GetString(Open(sealedValue, rowId, field));

    private static void WriteAssociated(Span<byte> destination, long rowId, RowField field)
    {
        AssociatedPrefix.CopyTo(destination);
        destination[AssociatedPrefix.Length] = (byte)field;
        BinaryPrimitives.WriteInt64LittleEndian(destination[(AssociatedPrefix.Length + 1)..], rowId);
    }

    /// <summary>Zeroes and frees the derived keys.</summary>
    public void Dispose()
    {
        _rowKey.Dispose();
        Index.Dispose();
    }
}
