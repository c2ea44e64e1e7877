using BenchmarkDotNet.Running;
using GopiAI.Toolkit.SemanticMemory.Benchmarks;

if (args.Length > 0 && args[0] == "harness")
{
    return await Harness.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
