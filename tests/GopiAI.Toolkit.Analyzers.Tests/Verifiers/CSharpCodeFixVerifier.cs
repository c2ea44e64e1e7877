using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace GopiAI.Toolkit.Analyzers.Tests.Verifiers;

/// <summary>
/// Runs an analyzer and a code fix: checks the marked diagnostics in the source, applies the fix (and Fix All in
/// document, project and solution scope) and compares the result with the fixed source.
/// </summary>
/// <typeparam name="TAnalyzer">The analyzer that reports the diagnostics.</typeparam>
/// <typeparam name="TCodeFix">The code fix provider under test.</typeparam>
internal static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>A diagnostic expected from the analyzer's only (or first) descriptor.</summary>
    public static DiagnosticResult Diagnostic() => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic();

    /// <summary>A diagnostic expected with the given ID.</summary>
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(TestSetup.FirstDescriptor<TAnalyzer>(diagnosticId));

    /// <summary>A diagnostic expected for the given descriptor.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(descriptor);

    /// <summary>Verifies the analyzer alone over <paramref name="source"/>.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Verifies that fixing <paramref name="source"/> gives <paramref name="fixedSource"/>.</summary>
    public static Task VerifyCodeFixAsync(string source, string fixedSource) =>
        VerifyCodeFixAsync(source, [], fixedSource);

    /// <summary>Verifies that fixing <paramref name="source"/> (with extra <paramref name="expected"/> results) gives <paramref name="fixedSource"/>.</summary>
    public static Task VerifyCodeFixAsync(string source, DiagnosticResult[] expected, string fixedSource)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// The configurable test: <c>CodeActionEquivalenceKey</c>/<c>CodeActionIndex</c> pick one of several fixes;
    /// <c>NumberOfFixAllIterations</c> and <c>CodeFixTestBehaviors</c> tune Fix All; the hooks match
    /// <see cref="CSharpAnalyzerVerifier{TAnalyzer}.Test"/>.
    /// </summary>
    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
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

        /// <summary>Adds <c>[*.cs]</c> .editorconfig lines to both the test and the fixed state.</summary>
        public Test WithEditorConfig(params string[] lines)
        {
            var text = TestSetup.EditorConfig(lines);
            TestState.AnalyzerConfigFiles.Add(("/.editorconfig", text));
            FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", text));
            return this;
        }

        /// <summary>Adds an unchanged source file to both the test and the fixed state.</summary>
        public Test WithSource(string source)
        {
            TestState.Sources.Add(source);
            FixedState.Sources.Add(source);
            return this;
        }

        /// <summary>Adds the toolkit attribute stubs (<see cref="ToolkitStubs.Attributes"/>) to both states.</summary>
        public Test WithToolkitStubs() => WithSource(ToolkitStubs.Attributes);

        /// <summary>Adds metadata references to both states.</summary>
        public Test WithReferences(params MetadataReference[] references)
        {
            TestState.AdditionalReferences.AddRange(references);
            FixedState.AdditionalReferences.AddRange(references);
            return this;
        }
    }
}
