namespace GopiAI.Toolkit.Cli;

/// <summary>A user error detected by the tool itself, with the exit code to return.</summary>
internal sealed class CliException(ExitCode code, string message) : Exception(message)
{
    public ExitCode Code { get; } = code;
}
