using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Disposal.DisposableDiscardedAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1002;

/// <summary>Discarded creations.</summary>
public sealed class Diagnostics
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    public static readonly Dictionary<string, string> Cases = new()
    {
        ["ExpressionStatementFactory"] = "void M(string p) { [|File.OpenRead(p)|]; }",
        ["DiscardedTimer"] = "void M() { _ = [|new Timer(_ => { })|]; }",
        ["ExpressionStatementConstructor"] = "void M(string p) { [|new FileStream(p, FileMode.Open)|]; }",
        ["DiscardedAwaitedResponse"] = "async Task M(HttpClient c) { [|await c.GetAsync(\"http://x\")|]; }",
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Analyze_Discarded_ReportsGOPI1002(string name)
    {
        await Verify.VerifyAnalyzerAsync(Usings + "class C\n{\n    " + Cases[name] + "\n}\n");
    }

    [Fact]
    public async Task Analyze_Message_NamesType()
    {
        await Verify.VerifyAnalyzerAsync(
            "using System.Threading; class C { void M() { _ = new Timer(_ => { }); } }",
            Verify.Diagnostic("GOPI1002").WithSpan(1, 50, 1, 69).WithArguments("Timer"));
    }
}
