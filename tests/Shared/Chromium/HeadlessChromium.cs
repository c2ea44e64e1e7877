using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;

namespace GopiAI.Toolkit.Testing.Chromium;

/// <summary>
/// A headless Chromium (Debian's <c>chromium</c> package, installed by scripts/provision/chromium.sh) driven over the
/// Chrome DevTools Protocol: a fresh profile in a temporary folder, remote debugging on a port the browser picks itself
/// (read back from <c>DevToolsActivePort</c>), and every background service that could reach the network switched off.
/// Dispose it to close the browser, kill what is left of its process tree and delete the profile.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly CdpConnection _connection;

    private HeadlessChromium(Process process, string profile, CdpConnection connection)
    {
        _process = process;
        _profile = profile;
        _connection = connection;
    }

    /// <summary>Gets the browser's process id (tests check it is gone after disposal).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Finds the Chromium executable: <c>CHROMIUM_PATH</c>, else <c>chromium</c> (Debian) or <c>chromium-browser</c> on the PATH.</summary>
    /// <exception cref="InvalidOperationException">None is installed; the message says how to install it.</exception>
    public static string FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrWhiteSpace(configured) && File.Exists(configured))
        {
            return configured;
        }

        foreach (var name in new[] { "chromium", "chromium-browser" })
        {
            foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(
            "Chromium is not installed. Run the README's test command (bash scripts/test.sh), which runs scripts/provision/chromium.sh, or: apt-get install -y chromium.");
    }

    /// <summary>Starts the browser and connects to it.</summary>
    /// <param name="timeout">How long to wait for the browser to open its debugging port (default 60 s).</param>
    /// <returns>The running browser.</returns>
    /// <exception cref="InvalidOperationException">Chromium is missing, exits early, or never opens its port.</exception>
    public static async Task<HeadlessChromium> LaunchAsync(TimeSpan? timeout = null)
    {
        var executable = FindExecutable();
        var profile = Path.Combine(Path.GetTempPath(), "gopi-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1", $"--user-data-dir={profile}", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-default-apps", "--metrics-recording-only", "--mute-audio",
            "--window-size=1280,2000", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var (port, path) = await ReadActivePortAsync(process, profile, timeout ?? TimeSpan.FromSeconds(60), () => Snapshot());
            var connection = await CdpConnection.ConnectAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{port}{path}")));
            return new HeadlessChromium(process, profile, connection);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            DeleteProfile(profile);
            throw;
        }

        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                if (output.Length < 32 * 1024)
                {
                    output.AppendLine(line);
                }
            }
        }

        string Snapshot()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Opens a new tab and attaches to it, with console, log, network and page events enabled.</summary>
    /// <returns>The tab.</returns>
    public async Task<CdpPage> NewPageAsync()
    {
        var target = await _connection.SendAsync("Target.createTarget", new { url = "about:blank" });
        var targetId = target.GetProperty("targetId").GetString()!;
        var attached = await _connection.SendAsync("Target.attachToTarget", new { targetId, flatten = true });
        var page = new CdpPage(_connection, attached.GetProperty("sessionId").GetString()!);
        await page.EnableAsync();
        return page;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _connection.SendAsync("Browser.close", new { }, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or CdpException or ObjectDisposedException or InvalidOperationException)
        {
            // The browser is going away either way.
        }

        await _connection.DisposeAsync();
        if (!_process.WaitForExit(5_000))
        {
            Kill(_process);
        }

        // Helper processes (renderer, zygote) may outlive the main one for a moment.
        Kill(_process);
        _process.Dispose();
        DeleteProfile(_profile);
    }

    private static async Task<(int Port, string Path)> ReadActivePortAsync(Process process, string profile, TimeSpan timeout, Func<string> output)
    {
        var file = Path.Combine(profile, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Chromium exited with code {process.ExitCode} before opening its debugging port.\n{output()}");
            }

            if (File.Exists(file))
            {
                var lines = (await File.ReadAllLinesAsync(file)).Where(l => l.Length > 0).ToArray();
                if (lines.Length >= 2 && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port > 0)
                {
                    return (port, lines[1]);
                }
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"Chromium did not open its debugging port within {timeout}.\n{output()}");
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static void DeleteProfile(string profile)
    {
        for (var attempt = 0; attempt < 5 && Directory.Exists(profile); attempt++)
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                Thread.Sleep(200);
            }
            catch (UnauthorizedAccessException)
            {
                Thread.Sleep(200);
            }
        }
    }
}
