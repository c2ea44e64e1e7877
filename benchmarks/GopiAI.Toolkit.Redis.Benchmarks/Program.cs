using BenchmarkDotNet.Running;

// Reproduce (docs/benchmarks.md, "Distributed caching"):
//   dotnet run -c Release --project benchmarks/GopiAI.Toolkit.Redis.Benchmarks -- --filter '*' --job short --inProcess
//   dotnet run -c Release --project benchmarks/GopiAI.Toolkit.Redis.Benchmarks -- invalidation 1000
// Both start their own redis-server on a free loopback port (install it with scripts/provision/redis.sh).
if (args.Length > 0 && args[0] == "invalidation")
{
    return await GopiAI.Toolkit.Redis.Benchmarks.InvalidationDelay.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
