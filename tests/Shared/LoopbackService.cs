using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GopiAI.Toolkit.Testing;

/// <summary>
/// A real server process (Redis, PGlite, the dashboard host, ...) that a test class starts on a free loopback port
/// and stops when it is disposed. Linked into the test projects that need one (tests/Shared); the services
/// themselves are installed by scripts/provision/*.sh, which the README's test command runs first.
/// </summary>
public sealed class LoopbackService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();

    private LoopbackService(Process process, int port, string name)
    {
        _process = process;
        Port = port;
        Name = name;
    }

    /// <summary>The loopback port the service listens on.</summary>
    public int Port { get; }

    /// <summary>A short name for messages (the executable's file name).</summary>
    public string Name { get; }

    /// <summary>Whether the process is still running.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>What the process has written to stdout and stderr so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_outputGate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Asks the operating system for a loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with the arguments <paramref name="arguments"/> builds for a free port,
    /// and waits until that port accepts TCP connections.
    /// </summary>
    /// <exception cref="InvalidOperationException">The executable is missing, exits early or never listens.</exception>
    public static async Task<LoopbackService> StartAsync(
        string fileName,
        Func<int, IEnumerable<string>> arguments,
        TimeSpan? readyTimeout = null,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        int? port = null)
    {
        var chosenPort = port ?? FreePort();
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments(chosenPort))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"{fileName} could not be started ({e.Message}). Run the README's test command (bash scripts/test.sh), which installs it.", e);
        }

        var service = new LoopbackService(process, chosenPort, Path.GetFileName(fileName));
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        var timeout = readyTimeout ?? TimeSpan.FromSeconds(30);
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                var exitCode = process.ExitCode;
                await service.DisposeAsync();
                throw new InvalidOperationException($"{service.Name} exited with code {exitCode} before listening on port {chosenPort}.\n{service.Output}");
            }

            if (await CanConnectAsync(chosenPort))
            {
                return service;
            }

            await Task.Delay(50);
        }

        await service.DisposeAsync();
        throw new InvalidOperationException($"{service.Name} did not listen on port {chosenPort} within {timeout}.\n{service.Output}");
    }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Asks the process to stop (SIGTERM, as <c>docker stop</c> or systemd would) and waits for it to exit.</summary>
    /// <returns>The exit code.</returns>
    /// <exception cref="TimeoutException">It did not exit within <paramref name="timeout"/> (it is killed then).</exception>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{Name} did not exit within {timeout} of SIGTERM.\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash or an outage would.</summary>
    public void Kill()
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
            // Already gone.
        }
    }

    /// <summary>Stops the process (killing its tree) and releases it.</summary>
    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(1));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }
}
