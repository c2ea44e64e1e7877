using System.Reflection;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.Cli.Tests.TestSupport;

/// <summary>Runs <see cref="CliApp"/> in-process in a temporary folder and captures its output.</summary>
public sealed class CliRunner : IDisposable
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;

    public CliRunner(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        _generator = generator;
        Directory = Path.Combine(Path.GetTempPath(), "gopiai-cli-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string DefaultDatabase => Path.Combine(Directory, "gopiai-memory.db");

    /// <summary>The clock the tool stamps documents and retrievals with (default: the system's).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public static string GopiaiDllPath => typeof(CliRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "GopiaiDllPath").Value!;

    public string PathOf(string name) => Path.Combine(Directory, name);

    public async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync(string.Empty, args);

    public async Task<CliResult> RunWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input);
        var settings = new CliSettings
        {
            Output = output,
            Error = error,
            Input = reader,
            Interactive = false,
            WorkingDirectory = Directory,
            EmbeddingGenerator = _generator,
            TimeProvider = TimeProvider,
        };
        var code = await CliApp.RunAsync(args, settings, CancellationToken.None);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public ExitCode Code => (ExitCode)ExitCode;

    /// <summary>Gets the id printed by <c>memory add</c> ("Stored {id}.").</summary>
    public string StoredId()
    {
        const string Prefix = "Stored ";
        var line = Output.Split('\n').Single(l => l.StartsWith(Prefix, StringComparison.Ordinal)).TrimEnd();
        return line[Prefix.Length..^1];
    }
}
