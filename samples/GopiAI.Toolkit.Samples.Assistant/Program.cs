using System.Runtime.InteropServices;
using GopiAI.Toolkit.Samples.Assistant;
using Spectre.Console;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

// SIGTERM (docker stop, systemd, a test harness) ends the run the same way as Ctrl+C: the dashboard stops, files close.
using var termination = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});

if (Console.IsOutputRedirected)
{
    // Redirected output (CI, tests, `| tee`): wide tables instead of 80 columns.
    AnsiConsole.Profile.Width = 160;
}

return await AssistantApp.RunAsync(args, AnsiConsole.Console, Console.In, cancellation.Token);
