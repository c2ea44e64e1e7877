using GopiAI.Toolkit.Security;
using GopiAI.Toolkit.SemanticMemory.Privacy;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Privacy;

public sealed class EncryptionHeaderTests
{
    [Fact]
    public void TryUnlock_KeyTheHeaderWasCreatedWith_ReturnsACipherForTheFile()
    {
        using var key = SecretBuffer.Generate(32);
        var (header, cipher) = EncryptionHeader.Create(key);
        using (cipher)
        {
            var stored = EncryptionHeader.Parse(header.ToJson());

            using var unlocked = stored.TryUnlock(key);

            Assert.NotNull(unlocked);
            Assert.Equal("x", unlocked.OpenText(cipher.SealText("x", 4, RowField.Content), 4, RowField.Content));
        }
    }

    [Fact]
    public void TryUnlock_OtherKey_ReturnsNull()
    {
        using var key = SecretBuffer.Generate(32);
        using var wrong = SecretBuffer.Generate(32);
        var (header, cipher) = EncryptionHeader.Create(key);
        cipher.Dispose();

        Assert.Null(header.TryUnlock(wrong));
    }

    [Fact]
    public void Create_TwoFiles_GetDifferentSalts()
    {
        using var key = SecretBuffer.Generate(32);
        var (first, a) = EncryptionHeader.Create(key);
        var (second, b) = EncryptionHeader.Create(key);
        a.Dispose();
        b.Dispose();

        Assert.NotEqual(first.Salt, second.Salt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"version\":1,\"salt\":\"AAAA\",\"check\":\"AAAA\"}")]
    [InlineData("not json")]
    public void Parse_NotAHeader_ThrowsFormatException(string json) =>
        Assert.Throws<FormatException>(() => EncryptionHeader.Parse(json));
}
