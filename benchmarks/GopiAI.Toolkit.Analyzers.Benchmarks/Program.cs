using BenchmarkDotNet.Running;
using GopiAI.Toolkit.Analyzers.Benchmarks;

if (args.Length > 0 && args[0] == "--telemetry")
{
    await AnalyzerTelemetry.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10).ConfigureAwait(false);
    return;
}

if (args.Length > 0 && args[0] == "--diagnostics")
{
    await AnalyzerTelemetry.ListAsync().ConfigureAwait(false);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(AnalyzerBenchmarks).Assembly).Run(args);
