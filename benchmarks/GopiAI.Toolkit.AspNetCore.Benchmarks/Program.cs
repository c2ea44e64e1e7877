using BenchmarkDotNet.Running;
using GopiAI.Toolkit.AspNetCore.Benchmarks;

// Reproduce (see docs/benchmarks.md, Dashboard section):
//   dotnet run -c Release --project benchmarks/GopiAI.Toolkit.AspNetCore.Benchmarks -- --filter '*' --job short
//   dotnet run -c Release --project benchmarks/GopiAI.Toolkit.AspNetCore.Benchmarks -- overhead [seconds-per-phase] [pairs] [requests-per-second] [sample-interval-ms] [pages]
if (args.Length > 0 && args[0] == "overhead")
{
    return await DashboardOverhead.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
