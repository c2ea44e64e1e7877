using Spectre.Console;

namespace GopiAI.Toolkit.Cli.Output;

/// <summary>Creates the Spectre console for a run: rich in a terminal, plain ASCII text when redirected or captured.</summary>
internal static class ConsoleFactory
{
    /// <summary>Width used for tables when output is not a terminal (a pipe, a file, a test), so lines do not wrap at 80.</summary>
    public const int RedirectedWidth = 160;

    public static IAnsiConsole Create(CliSettings settings)
    {
        var interactive = settings.Interactive ?? (ReferenceEquals(settings.Output, Console.Out) && !Console.IsOutputRedirected);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(settings.Output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive)
        {
            console.Profile.Width = RedirectedWidth;
            console.Profile.Capabilities.Unicode = false;
        }

        return console;
    }
}
