using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Benchmarks.Scan;

/// <summary>
/// <c>--scan</c>: compiles any folder of C# sources (see <see cref="SourceCompilation"/>), runs the GOPI rules,
/// IDisposableAnalyzers' leak rules and NetAnalyzers CA2000/CA2213/CA1001 over it, and prints every diagnostic of
/// each set with its file and line, so each one can be judged. With <c>--timing N</c> it also prints each set's own
/// analyzer execution time (what <c>/p:ReportAnalyzer=true</c> reports), over N round-robin runs.
/// </summary>
internal static class ScanCommand
{
    /// <summary>Runs the scan; returns the process exit code (1 when the sources do not compile).</summary>
    public static async Task<int> RunAsync(ScanOptions options)
    {
        var (compilation, errors) = SourceCompilation.Create(options);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Compiled {compilation.SyntaxTrees.Count()} files, {SourceCompilation.LineCount(compilation)} source lines, {errors.Length} errors."));
        foreach (var error in errors.Take(25))
        {
            Console.WriteLine("  " + Format(error, options.Root));
        }

        if (!errors.IsEmpty)
        {
            return 1;
        }

        var sets = Sets(options.Sets);
        foreach (var set in sets)
        {
            var diagnostics = (await set.RunAsync(compilation).ConfigureAwait(false))
                .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start)
                .ToList();
            Console.WriteLine();
            Console.WriteLine($"== {set.Name}: {diagnostics.Count} diagnostics ({string.Join(", ", diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))})");
            foreach (var diagnostic in diagnostics)
            {
                Console.WriteLine("  " + Format(diagnostic, options.Root));
            }
        }

        if (options.TimingRuns > 0)
        {
            await TimeAsync(compilation, sets, options.TimingRuns).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>The sets named by <c>--sets</c>: <c>gopi</c>, <c>idisp</c>, <c>ca</c>, <c>ca2000</c>.</summary>
    public static AnalyzerSet[] Sets(IEnumerable<string> names) =>
    [
        .. names.Select(name => name switch
        {
            "gopi" => AnalyzerSets.Gopi("GOPI (all rules)", "GOPI"),
            "idisp" => AnalyzerSets.IDisposableAnalyzers("IDisposableAnalyzers 4.0.8 (IDISP001-004, IDISP006)", AnalyzerSets.IDisposableLeakRules),
            "ca" => AnalyzerSets.NetAnalyzers("NetAnalyzers (CA2000, CA2213, CA1001)", AnalyzerSets.NetAnalyzersDisposalRules),
            "ca2000" => AnalyzerSets.NetAnalyzers("NetAnalyzers CA2000", "CA2000"),
            _ => throw new ArgumentException($"Unknown set {name}: use gopi, idisp, ca or ca2000."),
        }),
    ];

    /// <summary><c>ID path(line,col): message</c> with the path relative to <paramref name="root"/>.</summary>
    public static string Format(Diagnostic diagnostic, string root)
    {
        var span = diagnostic.Location.GetLineSpan();
        var path = string.IsNullOrEmpty(span.Path) ? "(no file)" : Path.GetRelativePath(root, span.Path);
        return string.Create(CultureInfo.InvariantCulture, $"{diagnostic.Id} {path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {diagnostic.GetMessage(CultureInfo.InvariantCulture)}");
    }

    private static async Task TimeAsync(Compilation compilation, AnalyzerSet[] sets, int runs)
    {
        // Warm-up: load and JIT every analyzer once before timing.
        foreach (var set in sets)
        {
            await set.RunAsync(compilation.Clone()).ConfigureAwait(false);
        }

        var executions = sets.Select(_ => new List<double>()).ToArray();
        var walls = sets.Select(_ => new List<double>()).ToArray();
        for (var run = 0; run < runs; run++)
        {
            for (var i = 0; i < sets.Length; i++)
            {
                var set = sets[i];
                var stopwatch = System.Diagnostics.Stopwatch.StartNew();
                var withAnalyzers = compilation.Clone()
                    .WithOptions(compilation.Options.WithSpecificDiagnosticOptions(set.Options))
                    .WithAnalyzers(set.Analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));
                _ = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false);
                walls[i].Add(stopwatch.Elapsed.TotalMilliseconds);
                var execution = TimeSpan.Zero;
                foreach (var analyzer in set.Analyzers)
                {
                    execution += (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false)).ExecutionTime;
                }

                executions[i].Add(execution.TotalMilliseconds);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Analyzer cost, {runs} runs per set (round robin, after a warm-up), medians:");
        Console.WriteLine("| Set | Analyzer execution time (ms) | Wall time incl. binding (ms) |");
        Console.WriteLine("|---|---:|---:|");
        for (var i = 0; i < sets.Length; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {sets[i].Name} | {Median(executions[i]):F0} | {Median(walls[i]):F0} |"));
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
