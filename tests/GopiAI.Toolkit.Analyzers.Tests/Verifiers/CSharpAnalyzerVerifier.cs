using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace GopiAI.Toolkit.Analyzers.Tests.Verifiers;

/// <summary>
/// Runs one analyzer over C# sources written with diagnostic markup (<c>[|...|]</c>, <c>{|GOPI1001:...|}</c>) and
/// checks that exactly the marked diagnostics are reported.
/// </summary>
/// <typeparam name="TAnalyzer">The analyzer under test.</typeparam>
internal static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>A diagnostic expected from the analyzer's only (or first) descriptor.</summary>
    public static DiagnosticResult Diagnostic() => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic();

    /// <summary>A diagnostic expected with the given ID.</summary>
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(TestSetup.FirstDescriptor<TAnalyzer>(diagnosticId));

    /// <summary>A diagnostic expected for the given descriptor.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(descriptor);

    /// <summary>Verifies <paramref name="source"/> against its markup and any extra <paramref name="expected"/> results.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Verifies that <paramref name="source"/> produces no diagnostic at all.</summary>
    public static Task VerifyNoDiagnosticsAsync(string source) => VerifyAnalyzerAsync(source);

    /// <summary>
    /// The configurable test: set <see cref="AnalyzerTest{TVerifier}.ReferenceAssemblies"/> (see <see cref="TestReferences"/>),
    /// add sources to <c>TestState.Sources</c> (e.g. <see cref="ToolkitStubs.Attributes"/>), metadata references to
    /// <c>TestState.AdditionalReferences</c>, or an .editorconfig through <see cref="WithEditorConfig"/>.
    /// </summary>
    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        /// <summary>Creates a test over the default references with the latest language version.</summary>
        public Test()
        {
            ReferenceAssemblies = TestReferences.Default;
            SolutionTransforms.Add(TestSetup.UseLatestLanguageVersion);

            // A rule that is live for local facts and decided at compilation end for the rest has two descriptors
            // with one ID; markup means the rule, so the first (live) descriptor stands for both.
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
        }

        /// <summary>Adds <c>[*.cs]</c> .editorconfig lines (e.g. <c>gopiai.disposal.exempt_types = ...</c>).</summary>
        public Test WithEditorConfig(params string[] lines)
        {
            TestState.AnalyzerConfigFiles.Add(("/.editorconfig", TestSetup.EditorConfig(lines)));
            return this;
        }

        /// <summary>Adds a source file next to the test code.</summary>
        public Test WithSource(string source)
        {
            TestState.Sources.Add(source);
            return this;
        }

        /// <summary>Adds the toolkit attribute stubs (<see cref="ToolkitStubs.Attributes"/>).</summary>
        public Test WithToolkitStubs() => WithSource(ToolkitStubs.Attributes);

        /// <summary>Adds metadata references (e.g. <c>MetadataReference.CreateFromFile(typeof(X).Assembly.Location)</c>).</summary>
        public Test WithReferences(params MetadataReference[] references)
        {
            TestState.AdditionalReferences.AddRange(references);
            return this;
        }
    }
}

/// <summary>Shared test plumbing for the verifiers.</summary>
internal static class TestSetup
{
    /// <summary>Sets every C# project of the solution to the latest language version.</summary>
    public static Solution UseLatestLanguageVersion(Solution solution, ProjectId projectId)
    {
        var project = solution.GetProject(projectId);
        if (project?.ParseOptions is CSharpParseOptions parseOptions)
        {
            solution = solution.WithProjectParseOptions(projectId, parseOptions.WithLanguageVersion(LanguageVersion.Latest));
        }

        return solution;
    }

    /// <summary>The first descriptor <typeparamref name="TAnalyzer"/> supports with <paramref name="id"/> (the live one of a twin pair).</summary>
    public static DiagnosticDescriptor FirstDescriptor<TAnalyzer>(string id)
        where TAnalyzer : DiagnosticAnalyzer, new() =>
        new TAnalyzer().SupportedDiagnostics.First(d => d.Id == id);

    /// <summary>Builds the text of a root .editorconfig with the given <c>[*.cs]</c> lines.</summary>
    public static string EditorConfig(IEnumerable<string> lines) =>
        "root = true\n\n[*.cs]\n" + string.Join("\n", lines) + "\n";
}
