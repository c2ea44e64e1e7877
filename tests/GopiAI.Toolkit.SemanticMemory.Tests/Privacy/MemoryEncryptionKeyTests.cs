using System.Security.Cryptography;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Privacy;

public sealed class MemoryEncryptionKeyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FromEnvironmentVariable_Base64Of32Bytes_ReturnsThatKey()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        var name = "GOPIAI_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, Convert.ToBase64String(bytes));
        try
        {
            using var key = MemoryEncryptionKey.FromEnvironmentVariable(name);

            Assert.True(key.ContentEquals(bytes));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void FromEnvironmentVariable_WrongLength_ThrowsWithoutQuotingTheValue()
    {
        var value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var name = "GOPIAI_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, value);
        try
        {
            var error = Assert.Throws<FormatException>(() => MemoryEncryptionKey.FromEnvironmentVariable(name));

            Assert.Contains("16 bytes", error.Message, StringComparison.Ordinal);
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void FromEnvironmentVariable_NotSet_ThrowsNamingTheVariable()
    {
        var name = "GOPIAI_TEST_KEY_" + Guid.NewGuid().ToString("N");

        var error = Assert.Throws<InvalidOperationException>(() => MemoryEncryptionKey.FromEnvironmentVariable(name));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Protect_ThenUnprotect_SameKeyRing_ReturnsTheKey()
    {
        var provider = new EphemeralDataProtectionProvider();
        using var key = MemoryEncryptionKey.Generate();

        var wrapped = MemoryEncryptionKey.Protect(key, provider);
        using var unwrapped = MemoryEncryptionKey.Unprotect(wrapped, provider);

        Assert.True(unwrapped.Use(key, static (span, k) => k.ContentEquals(span)));
    }

    [Fact]
    public void Unprotect_AnotherKeyRing_ThrowsCryptographicException()
    {
        using var key = MemoryEncryptionKey.Generate();
        var wrapped = MemoryEncryptionKey.Protect(key, new EphemeralDataProtectionProvider());

        Assert.ThrowsAny<CryptographicException>(() => MemoryEncryptionKey.Unprotect(wrapped, new EphemeralDataProtectionProvider()));
    }

    [Fact]
    public void LoadOrCreate_SecondCallWithThePersistedKeyRing_ReturnsTheSameKeyFromAnOwnerOnlyFile()
    {
        var ring = _temp.File("ring");
        var keyFile = _temp.File("memory.key");
        using var services = new ServiceCollection().AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(ring)).Services.BuildServiceProvider();
        var provider = services.GetRequiredService<IDataProtectionProvider>();

        using var created = MemoryEncryptionKey.LoadOrCreate(keyFile, provider);
        using var loaded = MemoryEncryptionKey.LoadOrCreate(keyFile, provider);

        Assert.Equal(32, loaded.Length);
        Assert.True(loaded.Use(created, static (span, c) => c.ContentEquals(span)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerOnlyFiles.Mode, File.GetUnixFileMode(keyFile));
        }

        // The file holds the wrapped key, not the key.
        var raw = File.ReadAllText(keyFile);
        Assert.False(created.Use(raw, static (span, text) => text.Contains(Convert.ToBase64String(span), StringComparison.Ordinal)));
    }
}
