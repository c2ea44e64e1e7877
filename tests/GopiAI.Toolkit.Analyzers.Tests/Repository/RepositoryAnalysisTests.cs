using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace GopiAI.Toolkit.Analyzers.Tests.Repository;

/// <summary>
/// Every analyzer of the toolkit runs over the repository's own src/ and samples/ and reports nothing: the code that
/// ships the rules obeys them (the Leaky sample, which shows leaks on purpose, is left out).
/// </summary>
public sealed class RepositoryAnalysisTests(ITestOutputHelper output)
{
    public static TheoryData<string> Projects => [.. RepositoryCompilations.ProjectFolders()];

    [Fact]
    public void ProjectFolders_Repository_IncludeSourcesAndSamplesButNotTheLeakySample()
    {
        var folders = RepositoryCompilations.ProjectFolders().ToList();

        Assert.Contains("src/GopiAI.Toolkit", folders);
        Assert.Contains(folders, f => f.StartsWith("samples/", StringComparison.Ordinal));
        Assert.DoesNotContain(folders, f => f.Contains("Leaky", StringComparison.Ordinal) && !f.EndsWith(".Fixed", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public async Task Analyzers_RepositoryProject_ReportNoGopiDiagnostics(string projectFolder)
    {
        var compilation = RepositoryCompilations.Get(projectFolder);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        foreach (var error in errors.Take(20))
        {
            output.WriteLine("compile: " + error);
        }

        // The scan is only meaningful on code that binds: the reference set must cover the project.
        Assert.True(errors.Count == 0, $"{projectFolder} does not compile in the scan ({errors.Count} errors; first: {errors.FirstOrDefault()}).");

        var analyzers = DescriptorsTests.AllAnalyzers().ToImmutableArray();
        var diagnostics = await compilation
            .WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        var gopi = diagnostics.Where(d => d.Id.StartsWith("GOPI", StringComparison.Ordinal) || d.Id == "AD0001").ToList();
        foreach (var diagnostic in gopi)
        {
            output.WriteLine(diagnostic.ToString());
        }

        Assert.True(gopi.Count == 0, string.Join(Environment.NewLine, gopi));
    }
}
