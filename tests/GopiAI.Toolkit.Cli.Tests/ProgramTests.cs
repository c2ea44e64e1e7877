using System.Diagnostics;
using GopiAI.Toolkit.Cli.Tests.TestSupport;

namespace GopiAI.Toolkit.Cli.Tests;

/// <summary>Runs the built <c>gopiai.dll</c> as a real process (with its own bundled model), as a user would.</summary>
public sealed class ProgramTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gopiai-cli-exe-tests", Guid.NewGuid().ToString("N"));

    public ProgramTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [Fact]
    public void ToolOutput_ContainsTheBundledModel()
    {
        var models = Path.Combine(Path.GetDirectoryName(CliRunner.GopiaiDllPath)!, "models", "all-MiniLM-L6-v2");

        Assert.True(new FileInfo(Path.Combine(models, "model.onnx")).Length > 80_000_000);
        Assert.True(new FileInfo(Path.Combine(models, "vocab.txt")).Length > 200_000);
    }

    [Fact]
    public async Task Main_AddThenSearchInTheDefaultDatabase_FindsTheTextAndExitsZero()
    {
        var add = await RunAsync("memory", "add", "The backup job copies the invoices folder to cold storage nightly.");
        var search = await RunAsync("memory", "search", "invoices cold storage", "--limit", "3");

        Assert.Equal(0, add.ExitCode);
        Assert.Equal(string.Empty, add.Error);
        Assert.True(File.Exists(Path.Combine(_directory, "gopiai-memory.db")));
        Assert.Equal(0, search.ExitCode);
        Assert.Contains(add.StoredId(), search.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', search.Output);
    }

    [Fact]
    public async Task Main_UserError_ExitsNonZeroWithOneLineAndNoStackTrace()
    {
        var result = await RunAsync("memory", "search", "anything", "--db", "missing.db");

        Assert.Equal((int)ExitCode.MissingFile, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: No memory file at", line, StringComparison.Ordinal);
    }

    private async Task<CliResult> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliRunner.GopiaiDllPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }
}
