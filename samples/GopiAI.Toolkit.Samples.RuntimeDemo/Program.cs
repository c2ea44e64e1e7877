using GopiAI.Toolkit.Samples.RuntimeDemo;

// The README's main command: dotnet run --project samples/GopiAI.Toolkit.Samples.RuntimeDemo
return await RuntimeDemo.RunAsync(Console.Out).ConfigureAwait(false);
