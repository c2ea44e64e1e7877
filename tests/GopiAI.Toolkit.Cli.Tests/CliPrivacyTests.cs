using System.Security.Cryptography;
using GopiAI.Toolkit.Cli.Tests.TestSupport;

namespace GopiAI.Toolkit.Cli.Tests;

/// <summary><c>gopiai memory forget</c>, <c>rekey</c> and <c>--key-env</c>: exit codes, messages and what they do to the file.</summary>
[Collection(ModelCollection.Name)]
public sealed class CliPrivacyTests(ModelFixture model) : IDisposable
{
    private readonly CliRunner _cli = new(model.Generator);
    private readonly string _keyA = "GOPIAI_CLI_TEST_KEY_A_" + Guid.NewGuid().ToString("N");
    private readonly string _keyB = "GOPIAI_CLI_TEST_KEY_B_" + Guid.NewGuid().ToString("N");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_keyA, null);
        Environment.SetEnvironmentVariable(_keyB, null);
        _cli.Dispose();
    }

    [Fact]
    public async Task Forget_ByConversationDateAndMetadata_PrintsCountsAndReturnsNotFoundWhenNothingMatches()
    {
        Assert.Equal(ExitCode.Success, (await _cli.RunAsync("memory", "add", "The lighthouse keeper logs the tides.", "-c", "c1", "-m", "user=alice")).Code);
        Assert.Equal(ExitCode.Success, (await _cli.RunAsync("memory", "add", "The baker starts the sourdough at four.", "-c", "c1", "-m", "user=bob")).Code);
        Assert.Equal(ExitCode.Success, (await _cli.RunAsync("memory", "add", "Revenue grew twelve percent this quarter.", "-c", "c2", "-m", "user=alice")).Code);

        var byMetadata = await _cli.RunAsync("memory", "forget", "--metadata", "user=alice", "--conversation", "c1");
        Assert.Equal(ExitCode.Success, byMetadata.Code);
        Assert.Contains("Forgot 1 documents (0 chunks) from 1 conversations.", byMetadata.Output, StringComparison.Ordinal);

        var byDate = await _cli.RunAsync("memory", "forget", "--before", DateTimeOffset.UtcNow.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ExitCode.Success, byDate.Code);
        Assert.Contains("Forgot 2 documents", byDate.Output, StringComparison.Ordinal);

        var nothing = await _cli.RunAsync("memory", "forget", "--conversation", "c1");
        Assert.Equal(ExitCode.NotFound, nothing.Code);
        Assert.StartsWith("error: No documents matched", nothing.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "at least one")]
    [InlineData(new[] { "--before", "yesterday-ish" }, "not a date")]
    [InlineData(new[] { "--metadata", "novalue" }, "not key=value")]
    public async Task Forget_BadArguments_ExitsWithUsage(string[] arguments, string message)
    {
        Assert.Equal(ExitCode.Success, (await _cli.RunAsync("memory", "add", "Something to keep.")).Code);

        var result = await _cli.RunAsync(["memory", "forget", .. arguments]);

        Assert.Equal(ExitCode.Usage, result.Code);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyEnvAndRekey_EncryptedMemory_NeedsItsKeyAndMovesToTheNewOne()
    {
        Environment.SetEnvironmentVariable(_keyA, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Environment.SetEnvironmentVariable(_keyB, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Assert.Equal(ExitCode.Success, (await _cli.RunAsync("memory", "add", "The lighthouse keeper logs the tides.", "--key-env", _keyA)).Code);
        var stats = await _cli.RunAsync("memory", "stats", "--key-env", _keyA);
        Assert.Contains("AES-256-GCM", stats.Output, StringComparison.Ordinal);

        var missing = await _cli.RunAsync("memory", "search", "lighthouse");
        Assert.Equal(ExitCode.EncryptionKey, missing.Code);
        Assert.Contains("--key-env", missing.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCode.EncryptionKey, (await _cli.RunAsync("memory", "search", "lighthouse", "--key-env", _keyB)).Code);

        var rekey = await _cli.RunAsync("memory", "rekey", "--key-env", _keyA, "--new-key-env", _keyB);
        Assert.Equal(ExitCode.Success, rekey.Code);
        Assert.Contains("Re-encrypted 1 documents", rekey.Output, StringComparison.Ordinal);

        Assert.Equal(ExitCode.EncryptionKey, (await _cli.RunAsync("memory", "search", "lighthouse", "--key-env", _keyA)).Code);
        var search = await _cli.RunAsync("memory", "search", "lighthouse", "--mode", "keyword", "--key-env", _keyB);
        Assert.Equal(ExitCode.Success, search.Code);
        Assert.Contains("lighthouse keeper", search.Output, StringComparison.Ordinal);

        var decrypt = await _cli.RunAsync("memory", "rekey", "--key-env", _keyB, "--decrypt");
        Assert.Equal(ExitCode.Success, decrypt.Code);
        Assert.Equal(ExitCode.Success, (await _cli.RunAsync("memory", "search", "lighthouse")).Code);
    }

    [Fact]
    public async Task KeyEnv_VariableUnsetOrNotAKey_ExitsWithEncryptionKeyWithoutQuotingIt()
    {
        Environment.SetEnvironmentVariable(_keyA, "c2hvcnQ=");

        var unset = await _cli.RunAsync("memory", "add", "text", "--key-env", _keyB);
        var shortKey = await _cli.RunAsync("memory", "add", "text", "--key-env", _keyA);

        Assert.Equal(ExitCode.EncryptionKey, unset.Code);
        Assert.Contains(_keyB, unset.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCode.EncryptionKey, shortKey.Code);
        Assert.DoesNotContain("c2hvcnQ=", shortKey.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.DefaultDatabase));
    }
}
