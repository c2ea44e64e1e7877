using BenchmarkDotNet.Running;
using GopiAI.Toolkit.Analyzers.Benchmarks;

if (args.Length > 0 && args[0] == "--telemetry")
{
    await AnalyzerTelemetry.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10).ConfigureAwait(false);
    return 0;
}

if (args.Length > 0 && args[0] == "--scan")
{
    return await GopiAI.Toolkit.Analyzers.Benchmarks.Scan.ScanCommand.RunAsync(GopiAI.Toolkit.Analyzers.Benchmarks.Scan.ScanOptions.Parse(args[1..])).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "--recall")
{
    return await GopiAI.Toolkit.Analyzers.Benchmarks.Scan.RecallCommand.RunAsync().ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "--diagnostics")
{
    await AnalyzerTelemetry.ListAsync().ConfigureAwait(false);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(AnalyzerBenchmarks).Assembly).Run(args);
return 0;
