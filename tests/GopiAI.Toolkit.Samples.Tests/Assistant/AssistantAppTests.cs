using GopiAI.Toolkit.Samples.Assistant;
using Spectre.Console;

namespace GopiAI.Toolkit.Samples.Tests.Assistant;

/// <summary>Argument handling of the entry point, in process (these paths return before any component is started).</summary>
public sealed class AssistantAppTests
{
    [Fact]
    public async Task RunAsync_Help_PrintsUsageAndReturnsZero()
    {
        var (exitCode, output) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--no-interactive", output, StringComparison.Ordinal);
        Assert.Contains("--simulate-pressure", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidArgument_PrintsOneErrorLineAndUsageAndReturnsTwo()
    {
        var (exitCode, output) = await RunAsync("--top", "zero");

        Assert.Equal(2, exitCode);
        Assert.Contains("error: '--top' must be a whole number of at least 1, not 'zero'.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", output, StringComparison.Ordinal);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 200;
        var exitCode = await AssistantApp.RunAsync(args, console, TextReader.Null, CancellationToken.None);
        return (exitCode, writer.ToString());
    }
}
