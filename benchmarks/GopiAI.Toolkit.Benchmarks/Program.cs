using BenchmarkDotNet.Running;

// Reproduce (see docs/benchmarks.md, Runtime section):
//   dotnet run -c Release --project benchmarks/GopiAI.Toolkit.Benchmarks -- --filter '*' --job short
// Hit ratios (not timings) of the cache policies on replayed traces; see HitRatio/HitRatioSimulator.cs:
//   dotnet run -c Release --project benchmarks/GopiAI.Toolkit.Benchmarks -- hitratio --svg docs/images/hit-ratio.svg
if (args.Length > 0 && args[0] == "hitratio")
{
    return GopiAI.Toolkit.Benchmarks.HitRatio.HitRatioSimulator.Run(args[1..]);
}

// Cache hit cost in thread CPU time, interleaved (for loaded machines); see HitCost/HitCostProbe.cs:
//   dotnet run -c Release --project benchmarks/GopiAI.Toolkit.Benchmarks -- hitcost
if (args.Length > 0 && args[0] == "hitcost")
{
    return GopiAI.Toolkit.Benchmarks.HitCost.HitCostProbe.Run(args[1..]);
}

// BenchmarkDotNet timed in thread CPU time (short run, 10 iterations, in process), for loaded machines; see HitCost/ThreadCpuClock.cs:
//   dotnet run -c Release --project benchmarks/GopiAI.Toolkit.Benchmarks -- cpuclock --filter '*CacheHitBenchmarks*'
if (args.Length > 0 && args[0] == "cpuclock")
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..], GopiAI.Toolkit.Benchmarks.HitCost.ThreadCpuClock.Config());
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
