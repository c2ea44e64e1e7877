using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Tests.Repository;

/// <summary>
/// The recall benchmark's cases (benchmarks/.../Recall: minimal repros of leaks real projects fixed) hold what
/// docs/analyzers-recall.md claims: each compiles, and the GOPI rule its header names reports on a line marked
/// <c>// LEAK</c>. The peers' columns come from <c>--recall</c> in the benchmark project.
/// </summary>
public sealed class RecallCasesTests
{
    private static readonly string Folder = RepositoryPaths.Combine("benchmarks", "GopiAI.Toolkit.Analyzers.Benchmarks", "Recall");

    public static TheoryData<string> Cases => [.. Directory.EnumerateFiles(Folder, "*.cs.txt").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void RecallCases_Folder_HoldsAtLeastTwelveCasesWithAFixLink()
    {
        var files = Directory.EnumerateFiles(Folder, "*.cs.txt").ToList();

        Assert.True(files.Count >= 12, $"only {files.Count} recall cases");
        Assert.All(files, f => Assert.Contains("// Fix: https://github.com/", File.ReadAllText(f), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RecallCase_AllGopiAnalyzers_ReportTheExpectedRuleOnALeakLine(string file)
    {
        var source = await File.ReadAllTextAsync(Path.Combine(Folder, file));
        var lines = source.Split('\n');
        var leakLines = Enumerable.Range(1, lines.Length).Where(n => lines[n - 1].TrimEnd('\r').EndsWith("// LEAK", StringComparison.Ordinal)).ToHashSet();
        var expected = lines.Single(l => l.StartsWith("// Expect GOPI: ", StringComparison.Ordinal))["// Expect GOPI: ".Length..].Trim();
        var compilation = CSharpCompilation.Create(
            "Recall",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), "Case.cs")],
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var diagnostics = await compilation
            .WithAnalyzers([.. DescriptorsTests.AllAnalyzers()])
            .GetAnalyzerDiagnosticsAsync();

        Assert.NotEmpty(leakLines);
        Assert.Contains(diagnostics, d => d.Id == expected && leakLines.Contains(d.Location.GetLineSpan().StartLinePosition.Line + 1));
    }
}
