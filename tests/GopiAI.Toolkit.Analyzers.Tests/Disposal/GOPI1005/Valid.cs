using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Disposal.ReassignedWithoutDisposeAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1005;

/// <summary>Reassignments that do not leak the old value.</summary>
public sealed class Valid
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Threading;

        """;

    public static readonly Dictionary<string, string> Cases = new()
    {
        ["DisposeBeforeReassign"] = "sealed class C : IDisposable { private Timer _t = new(_ => { }); public void Reset() { _t.Dispose(); _t = new Timer(_ => { }); } public void Dispose() => _t.Dispose(); }",
        ["ConditionalDisposeBeforeReassign"] = "sealed class C : IDisposable { private Timer? _t = new(_ => { }); public void Reset() { _t?.Dispose(); _t = new Timer(_ => { }); } public void Dispose() => _t?.Dispose(); }",
        ["NullGuardedLazyInit"] = "sealed class C : IDisposable { private Timer? _t = new(_ => { }); public void Ensure() { if (_t == null) { _t = new Timer(_ => { }); } } public void Dispose() => _t?.Dispose(); }",
        ["IsNullGuardedLazyInit"] = "sealed class C : IDisposable { private Timer? _t = new(_ => { }); public void Ensure() { if (_t is null) _t = new Timer(_ => { }); } public void Dispose() => _t?.Dispose(); }",
        ["CoalesceAssignment"] = "sealed class C : IDisposable { private Timer? _t = new(_ => { }); public Timer Get() => _t ??= new Timer(_ => { }); public void Dispose() => _t?.Dispose(); }",
        ["SwapThenDisposeOld"] = "sealed class C : IDisposable { private Stream _s = File.OpenRead(\"a\"); public void Swap(string p) { var old = _s; _s = File.OpenRead(p); old.Dispose(); } public void Dispose() => _s.Dispose(); }",
        ["OnlyAssignedInConstructor"] = "sealed class C : IDisposable { private readonly Stream _s; public C(string p) { _s = File.OpenRead(p); } public void Dispose() => _s.Dispose(); }",
        ["SingleAssignmentSite"] = "sealed class C : IDisposable { private Timer? _t; public void Start() => _t = new Timer(_ => { }); public void Dispose() => _t?.Dispose(); }",
        ["InterlockedExchange"] = "sealed class C : IDisposable { private Timer? _t = new(_ => { }); public void Reset() { Interlocked.Exchange(ref _t, null)?.Dispose(); _t = new Timer(_ => { }); } public void Dispose() => _t?.Dispose(); }",
        ["InjectedFieldNotOwned"] = "sealed class C { private Stream _s; public C(Stream s) { _s = s; } public void Replace(string p) { _s = File.OpenRead(p); } }",
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Analyze_OldValueReleased_NoDiagnostic(string name)
    {
        await Verify.VerifyAnalyzerAsync(Usings + Cases[name] + "\n");
    }
}
