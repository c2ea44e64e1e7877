using System.Diagnostics;
using System.Reflection;

namespace GopiAI.Toolkit.Redis.Tests.TestSupport;

/// <summary>
/// One instance of the app (tests/GopiAI.Toolkit.Redis.Host) in its own process, sharing a Redis with the others. Each
/// command is one line on its stdin and one answer line on its stdout.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private static readonly string HostPath = typeof(HostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RedisHostPath").Value!;

    private readonly Process _process;
    private readonly System.Text.StringBuilder _errors = new();

    private HostProcess(Process process)
    {
        _process = process;
    }

    /// <summary>What the host logged on stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Starts a host connected to Redis on <paramref name="port"/> and waits for it to be ready.</summary>
    public static async Task<HostProcess> StartAsync(int port)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(HostPath);
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("The host did not start.");
        var host = new HostProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (host._errors)
                {
                    host._errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        var ready = await host.ReadLineAsync();
        Assert.True(ready == "ready", $"The host answered '{ready}' instead of 'ready'.\n{host.Log}");
        return host;
    }

    /// <summary>Sends <paramref name="command"/> and returns the answer line.</summary>
    public async Task<string> SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        var answer = await ReadLineAsync();
        Assert.False(answer.StartsWith("error", StringComparison.Ordinal), $"'{command}' failed: {answer}\n{Log}");
        return answer;
    }

    /// <summary>Returns how often <paramref name="method"/> (profile, numbers, describe, secret) ran in this host.</summary>
    public async Task<int> RunsAsync(string method)
    {
        var runs = await SendAsync("runs");
        var part = runs.Split(' ').Single(p => p.StartsWith(method + "=", StringComparison.Ordinal));
        return int.Parse(part[(method.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Asks the host to quit, killing it if it does not.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("quit");
                await _process.StandardInput.FlushAsync();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
        return line ?? throw new InvalidOperationException($"The host exited (code {(_process.HasExited ? _process.ExitCode : -1)}).\n{Log}");
    }
}
