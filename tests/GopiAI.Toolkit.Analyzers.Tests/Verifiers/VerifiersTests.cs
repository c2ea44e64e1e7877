using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GopiAI.Toolkit.Analyzers.Tests.Verifiers;

/// <summary>Proves the shared verifiers resolve their references and honour markup, stubs and .editorconfig.</summary>
public sealed class VerifiersTests
{
    [Fact]
    public async Task VerifyAnalyzerAsync_MarkedObjectCreation_Passes()
    {
        await CSharpAnalyzerVerifier<ObjectCreationProbe>.VerifyAnalyzerAsync("""
            class C
            {
                object M() => [|new object()|];
            }
            """);
    }

    [Fact]
    public async Task VerifyAnalyzerAsync_UnmarkedObjectCreation_Fails()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => CSharpAnalyzerVerifier<ObjectCreationProbe>.VerifyAnalyzerAsync("""
            class C
            {
                object M() => new object();
            }
            """));
    }

    [Fact]
    public async Task Test_WithObjectPoolAndStubs_Compiles()
    {
        var test = new CSharpAnalyzerVerifier<ObjectCreationProbe>.Test
        {
            ReferenceAssemblies = TestReferences.WithExtensions,
            TestCode = """
                using Microsoft.Extensions.ObjectPool;
                using Microsoft.Extensions.DependencyInjection;

                [GopiAI.Toolkit.Pooled(MaxRetained = 4)]
                partial class Buffer { }

                class C
                {
                    void M(ObjectPool<System.Text.StringBuilder> pool, IServiceCollection services)
                    {
                        var sb = pool.Get();
                        pool.Return(sb);
                    }
                }
                """,
        }.WithToolkitStubs().WithEditorConfig("gopiai.test.probe_off = true");
        await test.RunAsync();
    }

    [Fact]
    public async Task Test_WithEditorConfig_OptionReachesAnalyzer()
    {
        var test = new CSharpAnalyzerVerifier<ObjectCreationProbe>.Test
        {
            TestCode = """
                class C
                {
                    object M() => new object();
                }
                """,
        }.WithEditorConfig("gopiai.test.probe_off = true");
        await test.RunAsync();
    }

    // A test-only probe: it runs inside the testing library, never as a compiler extension.
#pragma warning disable RS1036, RS1038, RS1041, RS2008
    /// <summary>Reports every object creation unless the option <c>gopiai.test.probe_off</c> is true.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class ObjectCreationProbe : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new(
            "PROBE01", "Probe", "Probe", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(
                c =>
                {
                    var options = c.Options.AnalyzerConfigOptionsProvider.GetOptions(c.Operation.Syntax.SyntaxTree);
                    if (options.TryGetValue("gopiai.test.probe_off", out var off) && off == "true")
                    {
                        return;
                    }

                    c.ReportDiagnostic(Diagnostic.Create(Rule, c.Operation.Syntax.GetLocation()));
                },
                OperationKind.ObjectCreation);
        }
    }
#pragma warning restore RS1036, RS1038, RS1041, RS2008
}
