using System.Security.Cryptography;
using System.Text;
using GopiAI.Toolkit.Security;
using GopiAI.Toolkit.SemanticMemory.Privacy;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Privacy;

public sealed class RowCipherTests : IDisposable
{
    private static readonly byte[] Salt = Enumerable.Range(1, RowCipher.SaltLength).Select(i => (byte)i).ToArray();
    private readonly SecretBuffer _key = SecretBuffer.Generate(RowCipher.KeyLength);

    public void Dispose() => _key.Dispose();

    [Fact]
    public void SealText_ThenOpenText_SameRowAndField_ReturnsThePlaintext()
    {
        using var cipher = RowCipher.Create(_key, Salt);

        var sealedValue = cipher.SealText("The launch code is tangerine-42.", 17, RowField.Content);

        Assert.Equal("The launch code is tangerine-42.", cipher.OpenText(sealedValue, 17, RowField.Content));
        Assert.Equal(Encoding.UTF8.GetByteCount("The launch code is tangerine-42.") + RowCipher.Overhead, sealedValue.Length);
        Assert.DoesNotContain("tangerine", Encoding.UTF8.GetString(sealedValue), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Seal_SameValueTwice_UsesAFreshNonceEachTime()
    {
        using var cipher = RowCipher.Create(_key, Salt);

        var first = cipher.SealText("same", 1, RowField.Content);
        var second = cipher.SealText("same", 1, RowField.Content);

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.AsSpan(1, 12).ToArray(), second.AsSpan(1, 12).ToArray());
    }

    [Fact]
    public void Open_ValueMovedToAnotherRow_FailsAuthentication()
    {
        using var cipher = RowCipher.Create(_key, Salt);
        var sealedValue = cipher.SealText("row five's secret", 5, RowField.Content);

        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(sealedValue, 6, RowField.Content));
    }

    [Fact]
    public void Open_ValueMovedToAnotherColumn_FailsAuthentication()
    {
        using var cipher = RowCipher.Create(_key, Salt);
        var sealedValue = cipher.SealText("{\"user\":\"alice\"}", 5, RowField.Metadata);

        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(sealedValue, 5, RowField.Content));
    }

    [Fact]
    public void Open_OneBitFlipped_FailsAuthentication()
    {
        using var cipher = RowCipher.Create(_key, Salt);
        var sealedValue = cipher.SealText("integrity matters", 9, RowField.Content);

        for (var position = 1; position < sealedValue.Length; position += 7)
        {
            var damaged = (byte[])sealedValue.Clone();
            damaged[position] ^= 0x10;
            Assert.ThrowsAny<CryptographicException>(() => cipher.Open(damaged, 9, RowField.Content));
        }
    }

    [Fact]
    public void Open_AnotherKey_FailsAuthentication()
    {
        using var cipher = RowCipher.Create(_key, Salt);
        using var otherKey = SecretBuffer.Generate(RowCipher.KeyLength);
        using var other = RowCipher.Create(otherKey, Salt);
        var sealedValue = cipher.SealText("only for the first key", 3, RowField.Content);

        Assert.ThrowsAny<CryptographicException>(() => other.Open(sealedValue, 3, RowField.Content));
    }

    [Fact]
    public void Open_SameKeyOtherSalt_FailsAuthentication()
    {
        using var cipher = RowCipher.Create(_key, Salt);
        using var otherFile = RowCipher.Create(_key, new byte[RowCipher.SaltLength]);
        var sealedValue = cipher.SealText("bound to one file", 3, RowField.Content);

        Assert.ThrowsAny<CryptographicException>(() => otherFile.Open(sealedValue, 3, RowField.Content));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(RowCipher.Overhead - 1)]
    public void Open_TooShortOrUnknownFormat_ThrowsCryptographicException(int length)
    {
        using var cipher = RowCipher.Create(_key, Salt);

        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(new byte[length], 1, RowField.Content));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(new byte[RowCipher.Overhead + 4], 1, RowField.Content));
    }

    [Fact]
    public void Create_KeyOfWrongLength_ThrowsArgumentException()
    {
        using var shortKey = SecretBuffer.Generate(16);

        var error = Assert.Throws<ArgumentException>(() => RowCipher.Create(shortKey, Salt));

        Assert.Contains("32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SameKeyAndSalt_DerivesTheSameKeys()
    {
        using var first = RowCipher.Create(_key, Salt);
        using var second = RowCipher.Create(_key, Salt);

        Assert.Equal("kept", second.OpenText(first.SealText("kept", 2, RowField.Vector), 2, RowField.Vector));
        Assert.Equal(first.Index.Token("harbour"), second.Index.Token("harbour"));
    }
}
