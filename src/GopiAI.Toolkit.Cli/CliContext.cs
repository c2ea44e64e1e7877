using Spectre.Console;

namespace GopiAI.Toolkit.Cli;

/// <summary>What a command needs from its run: the settings and the console built from them.</summary>
internal sealed record CliContext(CliSettings Settings, IAnsiConsole Console)
{
    public bool Interactive => Console.Profile.Capabilities.Interactive;

    /// <summary>Resolves a user-given path against the working directory.</summary>
    public string ResolvePath(string path) =>
        Path.GetFullPath(path, Settings.WorkingDirectory ?? Directory.GetCurrentDirectory());
}
