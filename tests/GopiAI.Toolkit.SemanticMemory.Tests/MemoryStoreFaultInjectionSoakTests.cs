using System.Diagnostics;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using GopiAI.Toolkit.Tests.Shared;
using Xunit.Abstractions;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>
/// Fault injection on real files: kill -9 at random points of ingest, delete, optimize and restore (a child process
/// per trial), truncated, header-only and bit-flipped files, full disks (a size-limited file and a small tmpfs) and a
/// second process holding the lock. Every trial ends with the file checked (<see cref="FaultTrials.AssertConsistentAsync"/>).
/// Trial counts: <see cref="FaultTrials.Trials"/> per operation (20 by default; docs/semantic-memory.md).
/// </summary>
[Trait("Category", "Soak")]
[Collection(FaultInjectionCollection.Name)]
public sealed class MemoryStoreFaultInjectionSoakTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task StoreDocumentsAsync_KilledAtRandomPoints_LeavesWholeBatchPrefixes()
    {
        const int BatchSize = 20;
        var seed = FaultTrials.Seed("ingest");
        var random = new Random(seed);
        var killed = 0;
        var attempts = 0;
        var found = new List<int>();
        var maxDelay = 3_000;
        for (var attempt = 0; killed < FaultTrials.Trials && attempt < FaultTrials.Trials * 3; attempt++, attempts++)
        {
            var path = _temp.File($"ingest-{attempt}.db");
            var (lines, wasKilled) = await FaultTrials.RunAndKillAsync(TimeSpan.FromMilliseconds(random.Next(maxDelay)), "ingest", path, $"{BatchSize}", "250");
            var trial = $"ingest trial {attempt} (seed {seed})";
            var reported = FaultTrials.LastReported(lines, "committed ");
            if (!File.Exists(path))
            {
                continue; // killed before the file was created
            }

            var ids = await FaultTrials.AssertConsistentAsync(path, trial);
            Assert.True(ids.Count % BatchSize == 0, $"{trial}: {ids.Count} documents is not a whole number of batches");
            Assert.InRange(ids.Count, reported, reported + BatchSize);
            Assert.Equal(Enumerable.Range(0, ids.Count).Select(i => $"doc-{i:D6}"), ids.Order(StringComparer.Ordinal));
            found.Add(ids.Count);
            killed += wasKilled ? 1 : 0;
            maxDelay = wasKilled ? maxDelay : Math.Max(50, maxDelay / 2);
        }

        output.WriteLine($"ingest: {killed} killed trials of {attempts} (seed {seed}); documents found after the kills: {found.Min()} to {found.Max()}");
        Assert.True(killed >= FaultTrials.Trials, $"only {killed} trials were killed mid-ingest");
    }

    [Fact]
    public async Task DeleteAsync_KilledAtRandomPoints_LeavesEachDocumentWholeOrGone()
    {
        const int Count = 300;
        var basePath = _temp.File("delete-base.db");
        await using (var memory = await FaultTrials.OpenAsync(basePath))
        {
            await memory.StoreDocumentsAsync(FaultTrials.Documents(Count));
        }

        var seed = FaultTrials.Seed("delete");
        var random = new Random(seed);
        var killed = 0;
        var maxDelay = 2_000;
        for (var attempt = 0; killed < FaultTrials.Trials && attempt < FaultTrials.Trials * 3; attempt++)
        {
            var path = _temp.File($"delete-{attempt}.db");
            File.Copy(basePath, path);
            var (lines, wasKilled) = await FaultTrials.RunAndKillAsync(TimeSpan.FromMilliseconds(random.Next(maxDelay)), "delete", path);
            var trial = $"delete trial {attempt} (seed {seed})";
            var reported = FaultTrials.LastReported(lines, "deleted ");

            var ids = await FaultTrials.AssertConsistentAsync(path, trial);
            var deleted = Count - ids.Count;
            Assert.InRange(deleted, reported, reported + 1);
            Assert.Equal(Enumerable.Range(deleted, ids.Count).Select(i => $"doc-{i:D6}"), ids.Order(StringComparer.Ordinal));
            killed += wasKilled ? 1 : 0;
            maxDelay = wasKilled ? maxDelay : Math.Max(50, maxDelay / 2);
        }

        output.WriteLine($"delete: {killed} killed trials (seed {seed})");
        Assert.True(killed >= FaultTrials.Trials, $"only {killed} trials were killed mid-delete");
    }

    [Fact]
    public async Task OptimizeIndexAsync_KilledAtRandomPoints_LosesNothingCommitted()
    {
        const int Count = 400;
        var basePath = _temp.File("optimize-base.db");
        await using (var memory = await FaultTrials.OpenAsync(basePath, batchSize: 10))
        {
            // Many small batches leave many FTS5 segments for the merge to work on.
            await memory.StoreDocumentsAsync(FaultTrials.Documents(Count));
        }

        var seed = FaultTrials.Seed("optimize");
        var random = new Random(seed);
        var killed = 0;
        for (var attempt = 0; killed < FaultTrials.Trials && attempt < FaultTrials.Trials * 3; attempt++)
        {
            var path = _temp.File($"optimize-{attempt}.db");
            File.Copy(basePath, path);
            var (lines, wasKilled) = await FaultTrials.RunAndKillAsync(TimeSpan.FromMilliseconds(random.Next(1_000)), "optimize", path);
            var trial = $"optimize trial {attempt} (seed {seed})";
            var stored = FaultTrials.LastReported(lines, "stored ");

            var ids = await FaultTrials.AssertConsistentAsync(path, trial);
            Assert.InRange(ids.Count - Count, stored, stored + 1);
            Assert.All(Enumerable.Range(0, Count), i => Assert.Contains($"doc-{i:D6}", ids));
            killed += wasKilled ? 1 : 0;
        }

        output.WriteLine($"optimize: {killed} killed trials (seed {seed})");
        Assert.True(killed >= FaultTrials.Trials, $"only {killed} trials were killed mid-optimize");
    }

    [Fact]
    public async Task RestoreAsync_KilledAtRandomPoints_LeavesTheOldOrTheNewContent()
    {
        var backupA = _temp.File("a.bak");
        var backupB = _temp.File("b.bak");
        await using (var memory = await FaultTrials.OpenAsync(_temp.File("a-source.db")))
        {
            await memory.StoreDocumentsAsync(FaultTrials.Documents(800, "a"));
            await memory.BackupAsync(backupA);
        }

        await using (var memory = await FaultTrials.OpenAsync(_temp.File("b-source.db")))
        {
            await memory.StoreDocumentsAsync(FaultTrials.Documents(500, "b"));
            await memory.BackupAsync(backupB);
        }

        var idsA = FaultTrials.Documents(800, "a").Select(d => d.Id!).ToHashSet();
        var idsB = FaultTrials.Documents(500, "b").Select(d => d.Id!).ToHashSet();
        var seed = FaultTrials.Seed("restore");
        var random = new Random(seed);
        var killed = 0;
        var sawB = 0;
        for (var attempt = 0; killed < FaultTrials.Trials && attempt < FaultTrials.Trials * 3; attempt++)
        {
            var folder = Path.Combine(_temp.Path, $"restore-{attempt}");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "live.db");
            File.Copy(backupA, path);
            var (lines, wasKilled) = await FaultTrials.RunAndKillAsync(TimeSpan.FromMilliseconds(random.Next(1_500)), "restore", path, backupA, backupB);
            var trial = $"restore trial {attempt} (seed {seed})";
            var restored = FaultTrials.LastReported(lines, "restored ");

            var ids = await FaultTrials.AssertConsistentAsync(path, trial);
            Assert.True(ids.SetEquals(idsA) || ids.SetEquals(idsB), $"{trial}: {ids.Count} documents, neither backup A nor B");

            // The restores reported done are in the file: after an odd count the live file holds B, after an even one A,
            // unless the next restore committed just before the kill.
            var expectB = restored % 2 == 1;
            Assert.True(ids.SetEquals(expectB ? idsB : idsA) || ids.SetEquals(expectB ? idsA : idsB), trial);
            sawB += ids.SetEquals(idsB) ? 1 : 0;
            killed += wasKilled ? 1 : 0;
        }

        output.WriteLine($"restore: {killed} killed trials, {sawB} ended holding backup B (seed {seed})");
        Assert.True(killed >= FaultTrials.Trials, $"only {killed} trials were killed mid-restore");
    }

    [Fact]
    public async Task OpenAsync_TruncatedAndHeaderOnlyFiles_AreRefusedAndNeverModified()
    {
        var basePath = _temp.File("truncate-base.db");
        await using (var memory = await FaultTrials.OpenAsync(basePath))
        {
            await memory.StoreDocumentsAsync(FaultTrials.Documents(300));
        }

        var original = await File.ReadAllBytesAsync(basePath);
        var seed = FaultTrials.Seed("truncate");
        var random = new Random(seed);
        var lengths = new List<int> { 100, 4096, original.Length - 1 };
        while (lengths.Count < FaultTrials.Trials + 3)
        {
            lengths.Add(random.Next(1, original.Length));
        }

        foreach (var length in lengths)
        {
            var path = _temp.File($"truncated-{length}.db");
            await File.WriteAllBytesAsync(path, original.AsSpan(0, length).ToArray());

            var error = await Assert.ThrowsAsync<MemoryStoreException>(() => FaultTrials.OpenAsync(path));

            Assert.Equal(MemoryStoreError.NotAMemoryFile, error.Error);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Equal(length, new FileInfo(path).Length);
            Assert.False(File.Exists(path + "-wal"), $"opening the {length}-byte file created a WAL");
        }

        output.WriteLine($"truncated: {lengths.Count} lengths refused (seed {seed})");
    }

    [Fact]
    public async Task Operations_BitFlippedFiles_EndInResultsOrMemoryStoreExceptionAndRestoreRecovers()
    {
        var basePath = _temp.File("flip-base.db");
        var good = _temp.File("flip-good.bak");
        await using (var memory = await FaultTrials.OpenAsync(basePath))
        {
            await memory.StoreDocumentsAsync(FaultTrials.Documents(300));
            await memory.BackupAsync(good);
        }

        var original = await File.ReadAllBytesAsync(basePath);
        var seed = FaultTrials.Seed("bitflip");
        var random = new Random(seed);
        int refusedAtOpen = 0, failedLater = 0, unnoticed = 0, restored = 0;
        for (var trial = 0; trial < FaultTrials.Trials; trial++)
        {
            var bytes = original.ToArray();
            var flips = random.Next(1, 17);
            for (var i = 0; i < flips; i++)
            {
                // Mostly page content; one trial in four also hits the 100-byte file header.
                var offset = trial % 4 == 0 ? random.Next(0, bytes.Length) : random.Next(100, bytes.Length);
                bytes[offset] ^= (byte)(1 << random.Next(8));
            }

            var path = _temp.File($"flipped-{trial}.db");
            await File.WriteAllBytesAsync(path, bytes);
            var name = $"bit-flip trial {trial} ({flips} bits, seed {seed})";
            var recovered = false;
            SemanticMemoryManager memory;
            try
            {
                memory = await FaultTrials.OpenAsync(path);
            }
            catch (MemoryStoreException)
            {
                refusedAtOpen++;
                continue;
            }

            await using (memory)
            {
                var failures = 0;
                var operations = new Func<Task>[]
                {
                    () => memory.GetStatsAsync(),
                    () => memory.SearchMemoryAsync("harbour crane container", 10, new SearchOptions { Mode = SearchMode.Hybrid }),
                    () => memory.SearchMemoryAsync("harbour crane container", 10, new SearchOptions { Mode = SearchMode.Dense, SimilarityThreshold = -1 }),
                    () => memory.SearchMemoryAsync("harbour crane container", 10, new SearchOptions { Mode = SearchMode.Keyword }),
                    () => memory.GetContextAsync("ship container", 300),
                    () => memory.StoreDocumentsAsync([new MemoryDocument { Content = "a note written into a damaged file" }]),
                    () => memory.DeleteAsync("doc-000007"),
                    () => memory.OptimizeIndexAsync(),
                    () => memory.BackupAsync(_temp.File($"flipped-{trial}.bak")),
                };
                foreach (var operation in operations)
                {
                    var error = await Record.ExceptionAsync(operation);
                    Assert.True(error is null or MemoryStoreException, $"{name}: {error}");
                    failures += error is null ? 0 : 1;
                }

                if (failures > 0)
                {
                    failedLater++;
                }
                else
                {
                    unnoticed++;
                }

                try
                {
                    var dense = await memory.SearchMemoryAsync("harbour crane container", 50, new SearchOptions { Mode = SearchMode.Dense, SimilarityThreshold = -1 });
                    Assert.All(dense, result => Assert.InRange(result.Score, -1.0, 1.0));
                }
                catch (MemoryStoreException)
                {
                }

                // Restoring a good backup is allowed on a damaged memory and brings it back.
                var restore = await Record.ExceptionAsync(() => memory.RestoreAsync(good));
                Assert.True(restore is null or MemoryStoreException, $"{name}: restore threw {restore}");
                recovered = restore is null;
                if (recovered)
                {
                    restored++;
                    Assert.Equal(300, (await memory.GetStatsAsync()).DocumentCount);
                }
            }

            if (recovered)
            {
                await FaultTrials.AssertConsistentAsync(path, name);
            }
        }

        output.WriteLine($"bit flips: {FaultTrials.Trials} trials (seed {seed}): {refusedAtOpen} refused at open, {failedLater} failed an operation with MemoryStoreException, {unnoticed} unnoticed (flips in text or free space), {restored} restored from a good backup");
    }

    [Fact]
    public async Task StoreDocumentsAsync_DiskFullViaMaxPageCount_FailsDiskFullKeepsCommittedBatchesAndRecovers()
    {
        var path = _temp.File("full.db");
        await using (var memory = await FaultTrials.OpenAsync(path))
        {
            await memory.StoreDocumentsAsync(FaultTrials.Documents(50));
        }

        var pages = (int)new FileInfo(path).Length / 4096;
        await using (var capped = await SemanticMemoryManager.OpenAsync(FaultTrials.Config(path, batchSize: 25) with { MaxPageCount = pages + 40 }, new Faults.HashEmbeddingGenerator()))
        {
            var error = await Assert.ThrowsAsync<MemoryStoreException>(() => capped.StoreDocumentsAsync(FaultTrials.Documents(5_000, "more")));

            Assert.Equal(MemoryStoreError.DiskFull, error.Error);
            Assert.Contains("full", error.Message, StringComparison.Ordinal);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Equal(0, (await capped.GetStatsAsync()).InvalidRows);
        }

        var ids = await FaultTrials.AssertConsistentAsync(path, "max_page_count");
        Assert.True((ids.Count - 50) % 25 == 0, $"{ids.Count} documents: a partial batch was committed");
        Assert.True(ids.Count > 50, "no batch fit before the cap");
    }

    [SkippableFact]
    public async Task StoreAndBackup_RealSmallDiskFills_FailDiskFullLeaveNoPartialFilesAndRecoverWhenSpaceIsFreed()
    {
        using var disk = FileSystemFaults.SmallDisk(_temp.Path, 1024 * 1024, out var reason);
        Skip.If(disk is null, reason);
        using var tiny = FileSystemFaults.SmallDisk(_temp.Path, 64 * 1024, out reason);
        Skip.If(tiny is null, reason);
        var path = Path.Combine(disk.Path, "m.db");
        var filler = Path.Combine(disk.Path, "filler.bin");
        await using var memory = await FaultTrials.OpenAsync(path, batchSize: 25);
        await memory.StoreDocumentsAsync(FaultTrials.Documents(100));
        // Leave about 96 KiB: a few batches fit, then the disk is full.
        var free = new DriveInfo(disk.Path).AvailableFreeSpace;
        await File.WriteAllBytesAsync(filler, new byte[Math.Max(0, free - (96 * 1024))]);

        var full = await Assert.ThrowsAsync<MemoryStoreException>(() => memory.StoreDocumentsAsync(FaultTrials.Documents(5_000, "more")));
        var backup = await Assert.ThrowsAsync<MemoryStoreException>(() => memory.BackupAsync(Path.Combine(tiny.Path, "m.bak")));

        Assert.Equal(MemoryStoreError.DiskFull, full.Error);
        Assert.Equal(MemoryStoreError.DiskFull, backup.Error);
        Assert.Empty(Directory.GetFiles(tiny.Path));
        Assert.Equal(0, (await memory.GetStatsAsync()).InvalidRows);
        File.Delete(filler);
        Assert.Equal(10, (await memory.StoreDocumentsAsync(FaultTrials.Documents(10, "after"))).Stored);
        var stored = (await memory.GetStatsAsync()).DocumentCount;
        await memory.DisposeAsync();
        Assert.Equal(stored, (await FaultTrials.AssertConsistentAsync(path, "tmpfs")).Count);
    }

    [Fact]
    public async Task Reads_SecondProcessHoldsTheWriteLock_WorkAndWritesFailLockedUntilItLetsGo()
    {
        var path = _temp.File("locked.db");
        await using (var memory = await FaultTrials.OpenAsync(path))
        {
            await memory.StoreDocumentsAsync(FaultTrials.Documents(40));
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", TestPaths.IngestChildPath, "hold-lock", path })
        {
            start.ArgumentList.Add(arg);
        }

        using var holder = Process.Start(start)!;
        try
        {
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            await using var memory = await SemanticMemoryManager.OpenAsync(FaultTrials.Config(path) with { BusyTimeout = TimeSpan.FromMilliseconds(300) }, new Faults.HashEmbeddingGenerator());

            Assert.Equal(40, (await memory.GetStatsAsync()).DocumentCount);
            Assert.NotEmpty(await memory.SearchMemoryAsync("harbour crane", 5));
            Assert.NotEmpty(await memory.GetContextAsync("harbour crane", 200));
            var locked = await Assert.ThrowsAsync<MemoryStoreException>(() => memory.StoreDocumentsAsync([new MemoryDocument { Content = "blocked" }]));
            Assert.Equal(MemoryStoreError.Locked, locked.Error);

            holder.StandardInput.Close();
            await holder.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(1, (await memory.StoreDocumentsAsync([new MemoryDocument { Content = "after the other process let go" }])).Stored);
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill(entireProcessTree: true);
            }
        }
    }
}

/// <summary>The trials run alone, after the parallel tests: model-heavy tests in the same process would otherwise starve them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultInjectionCollection
{
    public const string Name = "Fault injection";
}
