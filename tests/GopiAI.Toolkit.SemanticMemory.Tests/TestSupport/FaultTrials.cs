using System.Diagnostics;
using System.Globalization;
using GopiAI.Toolkit.SemanticMemory.Faults;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

/// <summary>
/// Support for the fault-injection trials: a child process (the IngestChild project) that works on a real memory file
/// until it is killed with SIGKILL, and the checks every file must pass afterwards.
/// </summary>
internal static class FaultTrials
{
    /// <summary>Trials per operation: at least 20 (the issue's floor); <c>GOPIAI_FAULT_TRIALS</c> raises it for a longer soak.</summary>
    public static int Trials => Math.Max(20, int.TryParse(Environment.GetEnvironmentVariable("GOPIAI_FAULT_TRIALS"), CultureInfo.InvariantCulture, out var n) ? n : 20);

    /// <summary>The seed of the random kill points and damage; <c>GOPIAI_FAULT_SEED</c> replays a failed run.</summary>
    public static int Seed(string operation) =>
        int.TryParse(Environment.GetEnvironmentVariable("GOPIAI_FAULT_SEED"), CultureInfo.InvariantCulture, out var seed)
            ? seed
            : HashCode.Combine(operation, Environment.TickCount64);

    public static MemoryConfig Config(string path, int batchSize = 100) =>
        new() { IndexPath = path, BatchSize = batchSize, EmbeddingModel = HashEmbeddingGenerator.ModelId, BusyTimeout = TimeSpan.FromSeconds(2) };

    public static Task<SemanticMemoryManager> OpenAsync(string path, int batchSize = 100) =>
        SemanticMemoryManager.OpenAsync(Config(path, batchSize), new HashEmbeddingGenerator());

    public static IEnumerable<MemoryDocument> Documents(int count, string prefix = "doc") => Enumerable.Range(0, count).Select(i => new MemoryDocument
    {
        Id = $"{prefix}-{i:D6}",
        Content = $"Fault trial {prefix} document {i}: the harbour crane {i % 9} lifts container {i * 13} onto ship {i % 5}.",
        ConversationId = $"{prefix}-c{i / 10}",
    });

    /// <summary>
    /// Starts the child with <paramref name="args"/>; <paramref name="delay"/> after it prints "ready" it kills itself
    /// with SIGKILL (a timer in the child, so the kill point does not depend on how busy the test process is). Returns
    /// every line it printed and whether the kill landed while it was still working (false when it finished first).
    /// </summary>
    public static async Task<(List<string> Lines, bool Killed)> RunAndKillAsync(TimeSpan delay, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["GOPIAI_KILL_AFTER_MS"] = ((int)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(TestPaths.IngestChildPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        var error = child.StandardError.ReadToEndAsync();
        try
        {
            var output = await child.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(120));
            await child.WaitForExitAsync();
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            Assert.True(lines.Contains("ready"), $"the child never got ready: {string.Join(" | ", lines)} {await error}");
            return (lines, !lines.Any(l => l.StartsWith("done", StringComparison.Ordinal)));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync();
            }
        }
    }

    /// <summary>The number in the last line starting with <paramref name="prefix"/> (0 when there is none).</summary>
    public static int LastReported(List<string> lines, string prefix) =>
        lines.LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line ? int.Parse(line[prefix.Length..], CultureInfo.InvariantCulture) : 0;

    /// <summary>
    /// The checks every file must pass after a fault: SQLite and FTS5 integrity, documents = vectors = keyword rows,
    /// no invalid row, and the memory opens, searches and accepts a write. Returns the stored document ids.
    /// </summary>
    public static async Task<HashSet<string>> AssertConsistentAsync(string path, string trial)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);

        // Read-write, as an application opens it: SQLite recovers the WAL a killed process left behind.
        await using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await raw.OpenAsync();
            await using var command = raw.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            Assert.True("ok".Equals(await command.ExecuteScalarAsync()), $"{trial}: integrity check failed");
            command.CommandText = "INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1);";
            await command.ExecuteNonQueryAsync();
            command.CommandText = "SELECT (SELECT count(*) FROM documents WHERE kind <> 1) || '/' || (SELECT count(*) FROM vectors) || '/' || (SELECT count(*) FROM fts);";
            var counts = ((string)(await command.ExecuteScalarAsync())!).Split('/');
            Assert.True(counts.Distinct().Count() == 1, $"{trial}: documents/vectors/keyword rows = {string.Join('/', counts)}");
            command.CommandText = "SELECT id FROM documents WHERE kind <> 2;";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
        }

        await using var memory = await OpenAsync(path);
        var stats = await memory.GetStatsAsync();
        Assert.True(stats.InvalidRows == 0, $"{trial}: {string.Join("; ", stats.InvalidRowDetails)}");
        Assert.Equal(ids.Count, stats.DocumentCount);
        await memory.SearchMemoryAsync("harbour crane container", 5);
        Assert.Equal(1, (await memory.StoreDocumentsAsync([new MemoryDocument { Content = $"written after {trial} " + Guid.NewGuid() }])).Stored);
        return ids;
    }

    internal static string DotnetHost()
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
