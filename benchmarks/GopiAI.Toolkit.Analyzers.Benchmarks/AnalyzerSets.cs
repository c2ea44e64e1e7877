using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Benchmarks;

/// <summary>One set of analyzers to time, with the diagnostic options that switch on exactly its rules.</summary>
/// <param name="Name">A label for reports.</param>
/// <param name="Analyzers">The analyzer instances.</param>
/// <param name="Options">Specific diagnostic options: the set's rules on, every other rule of its analyzers off.</param>
internal sealed record AnalyzerSet(string Name, ImmutableArray<DiagnosticAnalyzer> Analyzers, ImmutableDictionary<string, ReportDiagnostic> Options)
{
    /// <summary>Runs the set over <paramref name="compilation"/> and returns its diagnostics.</summary>
    public Task<ImmutableArray<Diagnostic>> RunAsync(Compilation compilation, bool logTime = false) =>
        compilation
            .WithOptions(compilation.Options.WithSpecificDiagnosticOptions(Options))
            .WithAnalyzers(Analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: true, logAnalyzerExecutionTime: logTime, reportSuppressedDiagnostics: false))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
}

/// <summary>Builds the analyzer sets: the toolkit's rules and the NetAnalyzers peer rules.</summary>
internal static class AnalyzerSets
{
    /// <summary>Every GOPI1xxx and GOPI2xxx analyzer of the toolkit.</summary>
    public static AnalyzerSet Gopi(string name, string idPrefix)
    {
        var analyzers = typeof(Descriptors).Assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .Where(a => a.SupportedDiagnostics.Any(d => d.Id.StartsWith(idPrefix, StringComparison.Ordinal)))
            .ToImmutableArray();
        return Create(name, analyzers, id => id.StartsWith(idPrefix, StringComparison.Ordinal));
    }

    /// <summary>The floor: binding every body and building its operations, with no rule logic (<see cref="OperationWalkAnalyzer"/>).</summary>
    public static AnalyzerSet Floor() =>
        new("Floor: bind + walk operations", [new OperationWalkAnalyzer()], ImmutableDictionary<string, ReportDiagnostic>.Empty);

    /// <summary>The NetAnalyzers analyzers that report any of <paramref name="ids"/>, with only those rules on.</summary>
    /// <exception cref="InvalidOperationException">The package folder or the rules are missing.</exception>
    public static AnalyzerSet NetAnalyzers(string name, params string[] ids) => FromPackage(name, "NetAnalyzersFolder", ids);

    /// <summary>IDisposableAnalyzers 4.0.8 with only <paramref name="ids"/> on.</summary>
    /// <exception cref="InvalidOperationException">The package folder or the rules are missing.</exception>
    public static AnalyzerSet IDisposableAnalyzers(string name, params string[] ids) => FromPackage(name, "IDisposableAnalyzersFolder", ids);

    /// <summary>IDisposableAnalyzers' rules that say a disposable leaks: IDISP001-IDISP004 and IDISP006.</summary>
    public static readonly string[] IDisposableLeakRules = ["IDISP001", "IDISP002", "IDISP003", "IDISP004", "IDISP006"];

    /// <summary>The NetAnalyzers disposal rules: CA2000, CA2213, CA1001.</summary>
    public static readonly string[] NetAnalyzersDisposalRules = ["CA2000", "CA2213", "CA1001"];

    private static AnalyzerSet FromPackage(string name, string folderKey, string[] ids)
    {
        var folder = typeof(AnalyzerSets).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == folderKey).Value!;
        var loader = new PathLoader();
        var analyzers = Directory.EnumerateFiles(folder, "*.dll")
            .SelectMany(path => new AnalyzerFileReference(path, loader).GetAnalyzers(LanguageNames.CSharp))
            .Where(a => a.SupportedDiagnostics.Any(d => ids.Contains(d.Id)))
            .ToImmutableArray();
        if (analyzers.IsEmpty)
        {
            throw new InvalidOperationException($"No analyzer for {string.Join(", ", ids)} in {folder}.");
        }

        return Create(name, analyzers, ids.Contains);
    }

    private static AnalyzerSet Create(string name, ImmutableArray<DiagnosticAnalyzer> analyzers, Func<string, bool> isOn)
    {
        var options = analyzers
            .SelectMany(a => a.SupportedDiagnostics)
            .Select(d => d.Id)
            .Distinct(StringComparer.Ordinal)
            .ToImmutableDictionary(id => id, id => isOn(id) ? ReportDiagnostic.Warn : ReportDiagnostic.Suppress);
        return new AnalyzerSet(name, analyzers, options);
    }

    private sealed class PathLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
