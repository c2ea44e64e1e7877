using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Disposal.OwnedMemberNotDisposedAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1003;

/// <summary>Owned members that the type's Dispose forgets.</summary>
public sealed class Diagnostics
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    public static readonly Dictionary<string, string> Cases = new()
    {
        ["FieldInitializer"] = "sealed class C : IDisposable { private readonly Timer [|_t|] = new(_ => { }); public void Dispose() { } }",
        ["AssignedInConstructor"] = "sealed class C : IDisposable { private readonly Stream [|_s|]; public C(string p) { _s = File.OpenRead(p); } public void Dispose() { } }",
        ["AssignedInMethod"] = "sealed class C : IDisposable { private Stream? [|_s|]; public void Open(string p) { _s ??= File.OpenRead(p); } public void Dispose() { } }",
        ["OneOfTwoDisposed"] = "sealed class C : IDisposable { private readonly Timer _a = new(_ => { }); private readonly Timer [|_b|] = new(_ => { }); public void Dispose() => _a.Dispose(); }",
        ["AutoProperty"] = "sealed class C : IDisposable { public Stream [|S|] { get; } = File.OpenRead(\"x\"); public void Dispose() { } }",
        ["AsyncDisposableForgets"] = "sealed class C : IAsyncDisposable { private readonly Stream [|_s|] = File.OpenRead(\"x\"); public ValueTask DisposeAsync() => default; }",
        ["ReadIntoLocalOutsideDisposeDoesNotCount"] = "sealed class C : IDisposable { private readonly Stream [|_s|] = File.OpenRead(\"x\"); public int Peek() { var s = _s; return s.ReadByte(); } public void Dispose() { } }",
        ["WrapperCreatedButDropped"] = "sealed class C : IDisposable { private readonly Stream [|_s|] = File.OpenRead(\"x\"); public string Head() => new StreamReader(_s, leaveOpen: true).ReadLine() ?? \"\"; public void Dispose() { } }",
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Analyze_OwnedMemberNotDisposed_ReportsGOPI1003(string name)
    {
        await Verify.VerifyAnalyzerAsync(Usings + Cases[name] + "\n");
    }

    [Fact]
    public async Task Analyze_Message_NamesTypeAndMember()
    {
        await Verify.VerifyAnalyzerAsync(
            "using System; using System.Threading; sealed class Owner : IDisposable { private readonly Timer _timer = new(_ => { }); public void Dispose() { } }",
            Verify.Diagnostic("GOPI1003").WithSpan(1, 97, 1, 103).WithArguments("Owner", "_timer"));
    }
}
