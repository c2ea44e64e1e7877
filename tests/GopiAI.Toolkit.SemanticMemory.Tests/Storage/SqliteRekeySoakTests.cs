using System.Security.Cryptography;
using GopiAI.Toolkit.SemanticMemory.Faults;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage;

/// <summary>Rekey killed with SIGKILL at random points: the file always opens, whole, under one of the two keys.</summary>
public sealed class SqliteRekeySoakTests(ITestOutputHelper output) : IDisposable
{
    private const int Count = 120;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RekeyAsync_KilledAtRandomPoints_FileOpensWholeUnderOneOfTheTwoKeys()
    {
        var a = RandomNumberGenerator.GetBytes(32);
        var b = RandomNumberGenerator.GetBytes(32);
        var basePath = _temp.File("rekey-base.db");
        using (var keyA = Security.SecretBuffer.Create(a))
        {
            await using var memory = await SemanticMemoryManager.OpenAsync(FaultTrials.Config(basePath) with { EncryptionKey = keyA }, new HashEmbeddingGenerator());
            await memory.StoreDocumentsAsync(FaultTrials.Documents(Count));
        }

        var seed = FaultTrials.Seed("rekey");
        var random = new Random(seed);
        int killed = 0, underA = 0, underB = 0;
        var maxDelay = 2_000;
        for (var attempt = 0; killed < FaultTrials.Trials && attempt < FaultTrials.Trials * 3; attempt++)
        {
            var path = _temp.File($"rekey-{attempt}.db");
            File.Copy(basePath, path);
            var (lines, wasKilled) = await FaultTrials.RunAndKillAsync(TimeSpan.FromMilliseconds(random.Next(maxDelay)), "rekey", path, Convert.ToBase64String(a), Convert.ToBase64String(b));
            var trial = $"rekey trial {attempt} (seed {seed}, {FaultTrials.LastReported(lines, "rekeyed ")} rekeys done)";

            var opened = await OpenUnderEitherAsync(path, a, b, trial);
            _ = opened == 'A' ? underA++ : underB++;
            killed += wasKilled ? 1 : 0;
            maxDelay = wasKilled ? maxDelay : Math.Max(50, maxDelay / 2);
        }

        output.WriteLine($"rekey: {killed} killed trials (seed {seed}); opened under key A {underA} times, under key B {underB} times");
        Assert.True(killed >= FaultTrials.Trials, $"only {killed} trials were killed mid-rekey");
    }

    /// <summary>Integrity, then the memory under key A or else B: every document, searchable, writable. Returns which key.</summary>
    private static async Task<char> OpenUnderEitherAsync(string path, byte[] a, byte[] b, string trial)
    {
        await using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await raw.OpenAsync();
            await using var command = raw.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            Assert.True("ok".Equals(await command.ExecuteScalarAsync()), $"{trial}: integrity check failed");
        }

        foreach (var (name, bytes) in new[] { ('A', a), ('B', b) })
        {
            using var key = Security.SecretBuffer.Create(bytes);
            SemanticMemoryManager memory;
            try
            {
                memory = await SemanticMemoryManager.OpenAsync(FaultTrials.Config(path) with { EncryptionKey = key }, new HashEmbeddingGenerator());
            }
            catch (MemoryStoreException ex) when (ex.Error == MemoryStoreError.EncryptionKey)
            {
                continue;
            }

            await using (memory)
            {
                var stats = await memory.GetStatsAsync();
                Assert.True(stats.DocumentCount == Count && stats.InvalidRows == 0, $"{trial}: {stats.DocumentCount} documents, {stats.InvalidRows} invalid under key {name}");
                Assert.NotEmpty(await memory.SearchMemoryAsync("harbour crane container", 3, new SearchOptions { Mode = SearchMode.Keyword }));
                Assert.Equal(1, (await memory.StoreDocumentsAsync([new MemoryDocument { Content = $"written after {trial}" }])).Stored);
            }

            return name;
        }

        Assert.Fail($"{trial}: the file opens under neither key");
        return '?';
    }
}
