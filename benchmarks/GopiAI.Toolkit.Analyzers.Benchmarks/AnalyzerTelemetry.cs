using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Benchmarks;

/// <summary>
/// <c>--telemetry</c>: the compiler's own per-analyzer execution times (what <c>/p:ReportAnalyzer=true</c> prints),
/// plus the process CPU time and wall time of each run, over several runs of each set on the corpus. On a busy machine
/// CPU time and the analyzers' own execution time are far steadier than wall-clock time.
/// </summary>
internal static class AnalyzerTelemetry
{
    /// <summary>Prints what each set reports on the first copy of the corpus (to check the sets do real work).</summary>
    public static async Task ListAsync()
    {
        var corpus = AnalyzerCorpus.Create();
        foreach (var set in Sets())
        {
            Console.WriteLine($"== {set.Name}");
            foreach (var diagnostic in (await set.RunAsync(corpus).ConfigureAwait(false))
                .Where(d => d.Location.SourceTree?.FilePath.EndsWith("1.cs", StringComparison.Ordinal) == true)
                .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start))
            {
                Console.WriteLine("  " + diagnostic);
            }
        }
    }

    /// <summary>Prints the per-analyzer execution time of every set.</summary>
    public static async Task RunAsync(int runs)
    {
        var corpus = AnalyzerCorpus.Create();
        Console.WriteLine($"Corpus: {corpus.SyntaxTrees.Count()} files, {AnalyzerCorpus.LineCount(corpus)} lines; {runs} runs per set.");
        var sets = Sets();

        // Warm-up: load and JIT every analyzer once before timing.
        foreach (var set in sets)
        {
            await set.RunAsync(corpus.Clone()).ConfigureAwait(false);
        }

        Console.WriteLine("| Set | Diagnostics | Analyzer execution time per run (ms) | Process CPU per run, median (ms) | Wall time per run, median (ms) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var executions = new TimeSpan[sets.Length];
        var diagnostics = new int[sets.Length];
        var walls = sets.Select(_ => new List<double>()).ToArray();
        var cpus = sets.Select(_ => new List<double>()).ToArray();

        // Round robin: a change in the machine's load hits every set alike.
        for (var run = 0; run < runs; run++)
        {
            for (var i = 0; i < sets.Length; i++)
            {
                var set = sets[i];
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var stopwatch = System.Diagnostics.Stopwatch.StartNew();
                var withAnalyzers = corpus.Clone()
                    .WithOptions(corpus.Options.WithSpecificDiagnosticOptions(set.Options))
                    .WithAnalyzers(set.Analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));
                diagnostics[i] = (await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false)).Length;
                walls[i].Add(stopwatch.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpus[i].Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                foreach (var analyzer in set.Analyzers)
                {
                    executions[i] += (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false)).ExecutionTime;
                }
            }
        }

        for (var i = 0; i < sets.Length; i++)
        {
            walls[i].Sort();
            cpus[i].Sort();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {sets[i].Name} | {diagnostics[i]} | {executions[i].TotalMilliseconds / runs:F1} | {cpus[i][runs / 2]:F0} | {walls[i][runs / 2]:F0} |"));
        }
    }

    private static AnalyzerSet[] Sets() =>
    [
        AnalyzerSets.Floor(),
        AnalyzerSets.NetAnalyzers("NetAnalyzers CA2000", "CA2000"),
        AnalyzerSets.NetAnalyzers("NetAnalyzers CA2000+CA2213+CA1001", "CA2000", "CA2213", "CA1001"),
        AnalyzerSets.Gopi("GOPI1xxx (disposal)", "GOPI1"),
        AnalyzerSets.Gopi("GOPI2xxx (growth)", "GOPI2"),
        AnalyzerSets.Gopi("GOPI1xxx+GOPI2xxx (all)", "GOPI"),
    ];
}
