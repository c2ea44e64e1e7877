using System.CommandLine;
using GopiAI.Toolkit.Cli.Commands;
using GopiAI.Toolkit.Cli.Output;

namespace GopiAI.Toolkit.Cli;

/// <summary>
/// The <c>gopiai</c> command line as a library: parses the arguments, runs the command against a memory file and
/// returns the process exit code. <c>Program</c> calls it with the real console; tests call it in-process with writers.
/// </summary>
public static class CliApp
{
    /// <summary>Runs one command line, writing results to <paramref name="output"/> and errors to <paramref name="error"/>.</summary>
    /// <param name="args">The arguments, without the program name (for example <c>["memory", "search", "sqlite"]</c>).</param>
    /// <param name="output">Standard output (treated as non-interactive: plain text, no colours).</param>
    /// <param name="error">Standard error: one line per failure.</param>
    /// <param name="cancellationToken">Cancels the running command; the exit code is then <see cref="ExitCode.Canceled"/>.</param>
    /// <returns>The exit code, one of <see cref="ExitCode"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        return RunAsync(args, new CliSettings { Output = output, Error = error, Interactive = false }, cancellationToken);
    }

    /// <summary>Runs one command line with the given input, outputs and options.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="settings">Where to read and write, and optional shared services.</param>
    /// <param name="cancellationToken">Cancels the running command; the exit code is then <see cref="ExitCode.Canceled"/>.</param>
    /// <returns>The exit code, one of <see cref="ExitCode"/>. User errors never throw: they print one line to the error writer.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static async Task<int> RunAsync(string[] args, CliSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(settings);

        var context = new CliContext(settings, ConsoleFactory.Create(settings));
        var root = MemoryCommands.CreateRoot(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = string.Join(' ', parse.CommandResult.Command.Name == root.Name ? ["gopiai"] : CommandPath(parse));
            var hint = $" (see '{command} --help')";
            await settings.Error.WriteLineAsync(ErrorReporter.Format(parse.Errors[0].Message) + hint).ConfigureAwait(false);
            return (int)ExitCode.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = settings.Output,
            Error = settings.Error,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await settings.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(result.Parent is null ? "gopiai" : result.Command.Name);
        }

        return names;
    }
}
