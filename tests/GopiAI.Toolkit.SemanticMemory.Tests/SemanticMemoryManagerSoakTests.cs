using System.Diagnostics;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

[Collection(ModelCollection.Name)]
public sealed class SemanticMemoryManagerSoakTests(ModelFixture model) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SearchMemoryAsync_ParallelWithWrites_AlwaysSeesCommittedConsistentData()
    {
        // A low HNSW threshold makes the graph build in the background while the writes below go on.
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"), c => c with { BatchSize = 5, HnswThreshold = 10 });
        await memory.StoreDocumentsAsync(Enumerable.Range(0, 20).Select(i => new MemoryDocument { Id = $"seed{i}", Content = $"Seed fact {i} about gardening and tomatoes." }));
        using var stop = new CancellationTokenSource();
        var errors = new List<Exception>();

        var writer = Task.Run(async () =>
        {
            for (var round = 0; round < 12; round++)
            {
                await memory.StoreDocumentsAsync(Enumerable.Range(0, 5).Select(i => new MemoryDocument { Id = $"w{round}-{i}", Content = $"Round {round} item {i}: watering schedule for tomatoes and basil." }));
                await memory.DeleteAsync($"seed{round}");
            }
        });
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(async () =>
        {
            var modes = new[] { SearchMode.Hybrid, SearchMode.Dense, SearchMode.Keyword };
            for (var i = 0; i < 40; i++)
            {
                try
                {
                    var results = await memory.SearchMemoryAsync("tomatoes watering", 10, new SearchOptions { Mode = modes[(i + r) % 3] });
                    Assert.All(results, x => Assert.False(string.IsNullOrEmpty(x.Content)));
                    Assert.Equal(results.Count, results.Select(x => x.Id).Distinct().Count());
                }
#pragma warning disable CA1031 // collected and asserted below
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    lock (errors)
                    {
                        errors.Add(ex);
                    }
                }
            }
        })).ToArray();

        await Task.WhenAll(readers.Append(writer));

        Assert.Empty(errors);
        var stats = await memory.GetStatsAsync();
        Assert.Equal(20 - 12 + 60, stats.DocumentCount);
        var keyword = await memory.SearchMemoryAsync("seed fact gardening", 100, new SearchOptions { Mode = SearchMode.Keyword });
        string[] survivors = ["seed12", "seed13", "seed14", "seed15", "seed16", "seed17", "seed18", "seed19"];
        Assert.Equal(survivors, keyword.Where(r => r.Id.StartsWith("seed", StringComparison.Ordinal)).Select(r => r.Id).Order());

        // The graph built in the background during the writes (with the commits made meanwhile replayed), then a rebuilt one.
        for (var i = 0; i < 200 && !(await memory.GetStatsAsync()).HnswActive; i++)
        {
            await Task.Delay(50);
        }

        for (var pass = 0; pass < 2; pass++)
        {
            Assert.True((await memory.GetStatsAsync()).HnswActive);
            var dense = await memory.SearchMemoryAsync("seed fact gardening", 100, new SearchOptions { Mode = SearchMode.Dense, SimilarityThreshold = -1 });
            Assert.Equal(68, dense.Count);
            Assert.Equal(survivors, dense.Where(r => r.Id.StartsWith("seed", StringComparison.Ordinal)).Select(r => r.Id).Order());
            await memory.OptimizeIndexAsync();
        }
    }

    [Fact]
    public async Task SearchMemoryAsync_DuringRepeatedBackupAndRestoreCycles_NeverFailsAndSeesOneWholeBackup()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("m.db"), c => c with { ResultCacheSize = 0 });
        await memory.StoreDocumentsAsync(Enumerable.Range(0, 12).Select(i => new MemoryDocument { Id = $"a{i}", Content = $"Alpha note {i} about tomatoes and watering." }));
        var backupA = _temp.File("a.bak");
        await memory.BackupAsync(backupA);
        await memory.DeleteConversationAsync("none");
        foreach (var i in Enumerable.Range(0, 12))
        {
            await memory.DeleteAsync($"a{i}");
        }

        await memory.StoreDocumentsAsync(Enumerable.Range(0, 7).Select(i => new MemoryDocument { Id = $"b{i}", Content = $"Beta note {i} about tomatoes and basil." }));
        var backupB = _temp.File("b.bak");
        await memory.BackupAsync(backupB);

        using var stop = new CancellationTokenSource();
        var errors = new List<Exception>();
        var searches = 0;
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(async () =>
        {
            var modes = new[] { SearchMode.Keyword, SearchMode.Dense, SearchMode.Hybrid };
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var results = await memory.SearchMemoryAsync("note about tomatoes", 20, new SearchOptions { Mode = modes[(i + r) % 3], SimilarityThreshold = -1 });
                    var prefixes = results.Select(x => x.Id[0]).Distinct().ToList();
                    Assert.True(prefixes.Count <= 1, "a search saw two backups at once: " + string.Join(",", results.Select(x => x.Id)));
                    Assert.Contains(results.Count, new[] { 7, 12 });
                    Interlocked.Increment(ref searches);
                }
#pragma warning disable CA1031 // collected and asserted below
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    lock (errors)
                    {
                        errors.Add(ex);
                    }
                }
            }
        })).ToArray();

        for (var cycle = 0; cycle < 6; cycle++)
        {
            await memory.RestoreAsync(cycle % 2 == 0 ? backupA : backupB);
            await memory.BackupAsync(_temp.File($"cycle-{cycle}.bak"));
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Empty(errors);
        Assert.True(searches > 6, $"only {searches} searches ran");
        Assert.Equal(7, (await memory.GetStatsAsync()).DocumentCount);
    }

    [Fact]
    public async Task StoreDocumentsAsync_ProcessKilledMidIngest_LosesOnlyTheUncommittedBatch()
    {
        var path = _temp.File("killed.db");
        const int batchSize = 20;
        var start = new ProcessStartInfo(DotnetHost(), $"exec \"{TestPaths.IngestChildPath}\" \"{path}\" {batchSize} 50")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var committed = 0;
        using (var child = Process.Start(start)!)
        {
            try
            {
                // Kill after several committed batches, while the next batch is being embedded or written.
                while (await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120)) is { } line)
                {
                    if (line.StartsWith("committed ", StringComparison.Ordinal))
                    {
                        committed = int.Parse(line["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                        if (committed >= batchSize * 3)
                        {
                            child.Kill(entireProcessTree: true);
                            break;
                        }
                    }
                }
            }
            finally
            {
                if (!child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                }

                await child.WaitForExitAsync();
            }

            Assert.True(committed >= batchSize * 3, "the child finished or failed before it could be killed: " + await child.StandardError.ReadToEndAsync());

            // On a loaded machine the child can commit (and announce) more batches between the line read above and the
            // kill landing: what it announced before it died is still in the pipe, and that is the bound that holds.
            foreach (var line in (await child.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.StartsWith("committed ", StringComparison.Ordinal))
                {
                    committed = Math.Max(committed, int.Parse(line["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        await using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await raw.OpenAsync();
            using var check = raw.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", await check.ExecuteScalarAsync());
            check.CommandText = "INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1);";
            await check.ExecuteNonQueryAsync();
            check.CommandText = "SELECT (SELECT count(*) FROM documents) || '/' || (SELECT count(*) FROM vectors) || '/' || (SELECT count(*) FROM fts);";
            var counts = ((string)(await check.ExecuteScalarAsync())!).Split('/').Select(int.Parse).ToArray();
            Assert.Equal(counts[0], counts[1]);
            Assert.Equal(counts[0], counts[2]);
            Assert.Equal(0, counts[0] % batchSize);
            Assert.InRange(counts[0], committed, committed + batchSize);
        }

        await using var reopened = await Memory.OpenAsync(model, path);
        var stats = await reopened.GetStatsAsync();
        var resumed = await reopened.StoreDocumentsAsync([new MemoryDocument { Content = "after the crash" }]);
        Assert.Equal(1, resumed.Stored);
        Assert.Contains(await reopened.SearchMemoryAsync("Ingest test document number 7", 5, new SearchOptions { Mode = SearchMode.Keyword }), r => r.Id == "doc-000007");
        Assert.True(stats.DocumentCount >= committed);
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? process : "dotnet";
    }
}
