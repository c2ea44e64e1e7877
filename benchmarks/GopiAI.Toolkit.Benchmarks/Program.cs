using BenchmarkDotNet.Running;

// Reproduce (see docs/benchmarks.md, Runtime section):
//   dotnet run -c Release --project benchmarks/GopiAI.Toolkit.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
