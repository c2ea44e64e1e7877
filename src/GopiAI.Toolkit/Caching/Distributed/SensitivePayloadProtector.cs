using System.Security.Cryptography;
using System.Text;
using GopiAI.Toolkit.Security;

namespace GopiAI.Toolkit.Caching;

/// <summary>
/// Encrypts the L2 payloads of sensitive caches with AES-256-GCM before they leave the process. The key stays in a
/// <see cref="SecretBuffer"/> (native memory, excluded from core dumps) and is only read for the duration of one operation.
/// The distributed key is the associated data, so a payload copied under another key fails authentication.
/// </summary>
/// <remarks>Layout: <c>nonce (12) | tag (16) | ciphertext</c>. A fresh random nonce per payload.</remarks>
internal sealed class SensitivePayloadProtector
{
    public const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly SecretBuffer _key;

    public SensitivePayloadProtector(SecretBuffer key)
    {
        Throw.IfNull(key);
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"The sensitive-value key must be {KeySize} bytes (AES-256); it is {key.Length}.", nameof(key));
        }

        _key = key;
    }

    public byte[] Protect(ReadOnlySpan<byte> plaintext, string associatedKey)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceSize));
        var aad = Encoding.UTF8.GetBytes(associatedKey);
        using (var scope = _key.Acquire())
        using (var aes = new AesGcm(scope.Span, TagSize))
        {
            aes.Encrypt(output.AsSpan(0, NonceSize), plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), aad);
        }

        return output;
    }

    /// <exception cref="CryptographicException">The payload was not produced under this key for <paramref name="associatedKey"/>, or was altered.</exception>
    public byte[] Unprotect(ReadOnlySpan<byte> payload, string associatedKey)
    {
        if (payload.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The sensitive payload is shorter than its nonce and tag.");
        }

        var plaintext = new byte[payload.Length - NonceSize - TagSize];
        var aad = Encoding.UTF8.GetBytes(associatedKey);
        using (var scope = _key.Acquire())
        using (var aes = new AesGcm(scope.Span, TagSize))
        {
            aes.Decrypt(payload[..NonceSize], payload[(NonceSize + TagSize)..], payload.Slice(NonceSize, TagSize), plaintext, aad);
        }

        return plaintext;
    }
}
