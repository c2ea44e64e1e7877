using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using GopiAI.Toolkit.SemanticMemory.Faults;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using GopiAI.Toolkit.Testing;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage.Postgres;

/// <summary>
/// Several processes share one memory on PostgreSQL (real wire protocol, PGlite): each stores, deletes and searches
/// concurrently, sees its own and the others' committed writes (through its result cache), and nothing is lost or
/// stored twice.
/// </summary>
public sealed class PostgresMultiProcessTests : IAsyncLifetime
{
    private const int Workers = 3;
    private const int Rounds = 12;
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);
    private PGliteServer? _server;

    public async Task InitializeAsync() => _server = await PGliteServer.StartAsync(maxConnections: 16);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Workers_StoreDeleteAndSearchOneMemoryAtOnce_SeeEachOthersCommitsAndLoseNothing()
    {
        const string schema = "shared_memory";
        var connection = _server!.ConnectionString(maxPoolSize: 2);
        var workers = Enumerable.Range(0, Workers)
            .Select(w => Child.Start(TestPaths.IngestChildPath, "pg-worker", connection, schema, w.ToString(CultureInfo.InvariantCulture), Rounds.ToString(CultureInfo.InvariantCulture)))
            .ToList();
        try
        {
            // All open (racing to create the schema) and work at the same time.
            await Task.WhenAll(workers.Select(w => w.ExpectAsync("finished", StepTimeout)));

            await Task.WhenAll(workers.Select(w => w.SendAsync("warm")));
            Assert.All(await Task.WhenAll(workers.Select(w => w.ExpectAsync("warmed", StepTimeout))), line => Assert.Equal("warmed 0", line));
            await workers[0].SendAsync("final");
            await workers[0].ExpectAsync("stored", StepTimeout);
            await Task.WhenAll(workers.Select(w => w.SendAsync("check")));
            // Workers 1 and 2 wrote nothing since their search was cached: only worker 0's commit can have invalidated it.
            Assert.All(await Task.WhenAll(workers.Select(w => w.ExpectAsync("saw", StepTimeout))), line => Assert.Equal("saw 1", line));
            await Task.WhenAll(workers.Select(w => w.SendAsync("exit")));
            foreach (var worker in workers)
            {
                await worker.ExpectAsync("done", StepTimeout);
                Assert.Equal(0, await worker.ExitCodeAsync(StepTimeout));
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }

        await using var memory = await SemanticMemoryManager.OpenAsync(
            new MemoryConfig { Provider = MemoryProvider.Postgres, ConnectionString = connection, PostgresSchema = schema, EmbeddingModel = HashEmbeddingGenerator.ModelId },
            new HashEmbeddingGenerator());
        var keyword = new SearchOptions { Mode = SearchMode.Keyword };
        var deletedPerWorker = Enumerable.Range(0, Rounds).Count(i => i % 3 == 2);
        var shared = await memory.SearchMemoryAsync("Shared note number", 100, keyword);
        var stats = await memory.GetStatsAsync();

        // No lost writes and no duplicates: every surviving note once, each shared text once although every worker stored it.
        Assert.Equal((Workers * (Rounds - deletedPerWorker)) + 1 + 5, stats.DocumentCount);
        Assert.Equal(5, shared.Count);
        Assert.Equal(5, shared.Select(r => r.Content).Distinct().Count());
        for (var w = 0; w < Workers; w++)
        {
            for (var i = 0; i < Rounds; i++)
            {
                var found = (await memory.SearchMemoryAsync($"w{w}r{i}", 5, keyword)).Any(r => r.Id == $"w{w}-{i:D3}");
                Assert.True(found == (i % 3 != 0 || i + 2 >= Rounds), $"w{w}-{i:D3}: found {found}");
            }
        }
    }

    /// <summary>A child process driven line by line over standard input and output.</summary>
    private sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
        private readonly List<string> _log = [];

        private Child(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => Received(e.Data, output: true);
            process.ErrorDataReceived += (_, e) => Received(e.Data, output: false);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public static Child Start(string childPath, params string[] args)
        {
            var start = new ProcessStartInfo(FaultTrials.DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(childPath);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            return new Child(Process.Start(start)!);
        }

        public async Task SendAsync(string line)
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }

        /// <summary>Waits for the next line starting with <paramref name="prefix"/>; fails on a "missing" line, an exit or the timeout.</summary>
        public async Task<string> ExpectAsync(string prefix, TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                while (true)
                {
                    var line = await _lines.Reader.ReadAsync(cancel.Token);
                    Assert.False(line.StartsWith("missing", StringComparison.Ordinal), $"{line}\n{Log()}");
                    if (line.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return line;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                throw new Xunit.Sdk.XunitException($"No '{prefix}' line from the worker within {timeout} (exited: {_process.HasExited}).\n{Log()}");
            }
        }

        public async Task<int> ExitCodeAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cancel.Token);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }

        private void Received(string? line, bool output)
        {
            lock (_log)
            {
                if (line is null)
                {
                    if (output)
                    {
                        _lines.Writer.TryComplete();
                    }

                    return;
                }

                _log.Add(line);
            }

            if (output)
            {
                _lines.Writer.TryWrite(line);
            }
        }

        private string Log()
        {
            lock (_log)
            {
                return string.Join('\n', _log.TakeLast(60));
            }
        }
    }
}
