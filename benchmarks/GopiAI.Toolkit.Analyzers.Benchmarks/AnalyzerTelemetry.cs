using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Benchmarks;

/// <summary>
/// <c>--telemetry</c>: the compiler's own per-analyzer execution times (what <c>/p:ReportAnalyzer=true</c> prints),
/// summed over several runs of each set on the corpus. Complements the wall-clock benchmark with attribution.
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

        Console.WriteLine("| Set | Diagnostics | Analyzer execution time per run (ms) |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var set in sets)
        {
            var total = TimeSpan.Zero;
            var diagnostics = 0;
            for (var run = 0; run < runs; run++)
            {
                var withAnalyzers = corpus.Clone()
                    .WithOptions(corpus.Options.WithSpecificDiagnosticOptions(set.Options))
                    .WithAnalyzers(set.Analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));
                diagnostics = (await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false)).Length;
                foreach (var analyzer in set.Analyzers)
                {
                    var info = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false);
                    total += info.ExecutionTime;
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {set.Name} | {diagnostics} | {total.TotalMilliseconds / runs:F1} |"));
        }
    }

    private static AnalyzerSet[] Sets() =>
    [
        AnalyzerSets.NetAnalyzers("NetAnalyzers CA2000", "CA2000"),
        AnalyzerSets.NetAnalyzers("NetAnalyzers CA2000+CA2213+CA1001", "CA2000", "CA2213", "CA1001"),
        AnalyzerSets.Gopi("GOPI1xxx (disposal)", "GOPI1"),
        AnalyzerSets.Gopi("GOPI2xxx (growth)", "GOPI2"),
        AnalyzerSets.Gopi("GOPI1xxx+GOPI2xxx (all)", "GOPI"),
    ];
}
