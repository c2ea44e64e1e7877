using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Disposal.DisposableDiscardedAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1002;

/// <summary>Statements GOPI1002 must leave alone.</summary>
public sealed class Valid
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    public static readonly Dictionary<string, string> Cases = new()
    {
        ["Kept"] = "Stream M(string p) { var s = File.OpenRead(p); return s; }",
        ["UsingStatementWithoutDeclaration"] = "void M(string p) { using (File.OpenRead(p)) { } }",
        ["DiscardedTask"] = "void M() { _ = Task.Run(() => { }); }",
        ["DiscardedExemptMemoryStream"] = "void M() { _ = new MemoryStream(); }",
        ["DiscardedNonDisposable"] = "void M() { _ = new object(); }",
        ["DiscardedResultOfNonFactory"] = "void M(IServiceProvider sp) { sp.GetService(typeof(Stream)); }",
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Analyze_NotDiscardedOrNotOwned_NoDiagnostic(string name)
    {
        await Verify.VerifyAnalyzerAsync(Usings + "class C\n{\n    " + Cases[name] + "\n}\n");
    }
}
