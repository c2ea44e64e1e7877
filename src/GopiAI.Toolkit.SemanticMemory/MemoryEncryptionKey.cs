using System.Security.Cryptography;
using System.Text;
using GopiAI.Toolkit.Security;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using Microsoft.AspNetCore.DataProtection;

namespace GopiAI.Toolkit.SemanticMemory;

/// <summary>
/// Ways to obtain the 32-byte key for <see cref="MemoryConfig.EncryptionKey"/>, each returning it in a
/// <see cref="SecretBuffer"/>: generated, read from an environment variable, or kept in a key file protected by ASP.NET
/// Core Data Protection (the app's key ring wraps the memory key, so the file alone does not reveal it).
/// </summary>
/// <example>
/// <code>
/// // Deployment-provided key (Base64 of 32 random bytes, e.g. from `openssl rand -base64 32`):
/// using var key = MemoryEncryptionKey.FromEnvironmentVariable();
///
/// // Or a key file wrapped by the app's Data Protection key ring, created on first use:
/// var protector = services.GetRequiredService&lt;IDataProtectionProvider&gt;();
/// using var key = MemoryEncryptionKey.LoadOrCreate("memory.key", protector);
///
/// await using var memory = await SemanticMemoryManager.OpenAsync(new MemoryConfig { IndexPath = "memory.db", EncryptionKey = key });
/// </code>
/// </example>
public static class MemoryEncryptionKey
{
    /// <summary>Length of the key in bytes (AES-256).</summary>
    public const int Length = RowCipher.KeyLength;

    /// <summary>The environment variable <see cref="FromEnvironmentVariable"/> reads by default, and the CLI's <c>--key-env</c> default.</summary>
    public const string DefaultEnvironmentVariable = "GOPIAI_MEMORY_KEY";

    /// <summary>The Data Protection purpose under which <see cref="Protect"/> wraps a key.</summary>
    public const string DataProtectionPurpose = "GopiAI.Toolkit.SemanticMemory.EncryptionKey.v1";

    /// <summary>A new random key, generated straight into protected memory.</summary>
    /// <returns>The key; dispose it after the memory is opened (or keep it for later opens).</returns>
    public static SecretBuffer Generate() => SecretBuffer.Generate(Length);

    /// <summary>Reads the key from an environment variable holding it as Base64 (44 characters for 32 bytes).</summary>
    /// <param name="name">The variable; <see cref="DefaultEnvironmentVariable"/> by default.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidOperationException">The variable is not set.</exception>
    /// <exception cref="FormatException">The value is not Base64 of exactly 32 bytes (the message never quotes the value).</exception>
    public static SecretBuffer FromEnvironmentVariable(string name = DefaultEnvironmentVariable)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var key = SecretBuffer.FromEnvironmentVariable(name);
        return CheckLength(key, $"The environment variable '{name}'");
    }

    /// <summary>Wraps a key with Data Protection, for storing it in a file or configuration.</summary>
    /// <param name="key">The 32-byte key.</param>
    /// <param name="provider">The app's Data Protection provider (its key ring protects the result).</param>
    /// <returns>The protected key as text; only the same key ring can unwrap it.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not 32 bytes.</exception>
    public static string Protect(SecretBuffer key, IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(provider);
        if (key.Length != Length)
        {
            throw new ArgumentException($"The key must be {Length} bytes; this one has {key.Length}.", nameof(key));
        }

        var protector = provider.CreateProtector(DataProtectionPurpose);
        var plain = key.Use(0, static (span, _) => span.ToArray());
        try
        {
            return Convert.ToBase64String(protector.Protect(plain));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Unwraps a key produced by <see cref="Protect"/> into protected memory.</summary>
    /// <param name="protectedKey">The text <see cref="Protect"/> returned.</param>
    /// <param name="provider">The Data Protection provider with the key ring that wrapped it.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The text is not a protected key.</exception>
    /// <exception cref="CryptographicException">The key ring cannot unwrap it (another key ring, revoked or damaged).</exception>
    public static SecretBuffer Unprotect(string protectedKey, IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(protectedKey);
        ArgumentNullException.ThrowIfNull(provider);
        var wrapped = Convert.FromBase64String(protectedKey.Trim());
        var plain = provider.CreateProtector(DataProtectionPurpose).Unprotect(wrapped);
        try
        {
            return CheckLength(SecretBuffer.Create(plain), "The protected key");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// Reads the key from a key file written by an earlier call, or generates a key and writes the file (owner-only,
    /// mode 0600 on Unix) when it does not exist. The file holds the key wrapped by <paramref name="provider"/>.
    /// </summary>
    /// <param name="keyFilePath">The key file.</param>
    /// <param name="provider">The app's Data Protection provider; keep its key ring, or the file can no longer be unwrapped.</param>
    /// <returns>The key.</returns>
    /// <exception cref="CryptographicException">The file exists but this key ring cannot unwrap it.</exception>
    /// <exception cref="FormatException">The file exists but does not hold a protected key.</exception>
    /// <exception cref="IOException">The file cannot be read or written.</exception>
    public static SecretBuffer LoadOrCreate(string keyFilePath, IDataProtectionProvider provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyFilePath);
        ArgumentNullException.ThrowIfNull(provider);
        var path = Path.GetFullPath(keyFilePath);
        if (File.Exists(path))
        {
            return Unprotect(File.ReadAllText(path, Encoding.UTF8), provider);
        }

        var key = Generate();
        try
        {
            var text = Protect(key, provider);
            var directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            // Written next to the target and moved into place, so a crash never leaves a half-written key file.
            var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
            OwnerOnlyFiles.Create(temp);
            File.WriteAllText(temp, text, Encoding.UTF8);
            File.Move(temp, path, overwrite: false);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static SecretBuffer CheckLength(SecretBuffer key, string what)
    {
        if (key.Length == Length)
        {
            return key;
        }

        var length = key.Length;
        key.Dispose();
        throw new FormatException($"{what} holds a key of {length} bytes; an encryption key must be {Length} bytes (Base64 of 32 random bytes, for example from `openssl rand -base64 32`).");
    }
}
