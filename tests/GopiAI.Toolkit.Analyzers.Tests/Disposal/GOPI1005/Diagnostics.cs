using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Disposal.ReassignedWithoutDisposeAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1005;

/// <summary>Reassignments that leak the old value.</summary>
public sealed class Diagnostics
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Threading;

        """;

    public static readonly Dictionary<string, string> Cases = new()
    {
        ["ReassignAfterInitializer"] = "sealed class C : IDisposable { private Timer _t = new(_ => { }); public void Reset() { [|_t = new Timer(_ => { })|]; } public void Dispose() => _t.Dispose(); }",
        ["ReassignAfterConstructor"] = "sealed class C : IDisposable { private Stream _s; public C() { _s = File.OpenRead(\"a\"); } public void Open(string p) => [|_s = File.OpenRead(p)|]; public void Dispose() => _s.Dispose(); }",
        ["ReassignInLoop"] = "sealed class C : IDisposable { private Stream? _s; public void OpenAll(string[] ps) { foreach (var p in ps) { [|_s = File.OpenRead(p)|]; } } public void Dispose() => _s?.Dispose(); }",
        ["TwoMethodsReassign"] = "sealed class C : IDisposable { private Timer? _t; public void A() => [|_t = new Timer(_ => { })|]; public void B() => [|_t = new Timer(_ => { })|]; public void Dispose() => _t?.Dispose(); }",
        ["NullCheckOfOtherField"] = "sealed class C : IDisposable { private Timer? _t = new(_ => { }); private object? _o; public void Reset() { if (_o == null) { [|_t = new Timer(_ => { })|]; } } public void Dispose() => _t?.Dispose(); }",
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Analyze_ReassignWithoutDispose_ReportsGOPI1005(string name)
    {
        await Verify.VerifyAnalyzerAsync(Usings + Cases[name] + "\n");
    }
}
