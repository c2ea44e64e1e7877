using GopiAI.Toolkit.Cli;

return await CliApp.RunAsync(args, new CliSettings()).ConfigureAwait(false);
