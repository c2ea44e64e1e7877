using GopiAI.Toolkit.Analyzers.Disposal;
using GopiAI.Toolkit.Analyzers.Tests.Verifiers;
using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Disposal.DisposableNotDisposedAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1001;

/// <summary>Leaks GOPI1001 must report, at the creation.</summary>
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
        ["NeverDisposed"] = "void M(string p) { var s = [|File.OpenRead(p)|]; s.ReadByte(); }",
        ["UnusedLocal"] = "void M() { var t = [|new Timer(_ => { })|]; }",
        ["DisposedOnOneBranchOnly"] = "void M(string p, bool b) { var s = [|File.OpenRead(p)|]; if (b) { s.Dispose(); } }",
        ["EarlyReturnSkipsDispose"] = "int M(string p, bool b) { var s = [|new FileStream(p, FileMode.Open)|]; if (b) return 0; s.Dispose(); return 1; }",
        ["CreatedInLoopDisposedOnce"] = "void M(string[] ps) { Stream? last = null; foreach (var p in ps) { last = [|File.OpenRead(p)|]; } last?.Dispose(); }",
        ["BreakSkipsDispose"] = "void M(string[] ps) { foreach (var p in ps) { var s = [|File.OpenRead(p)|]; if (s.Length == 0) break; s.Dispose(); } }",
        ["ReassignedBeforeDispose"] = "void M(string p) { var s = [|File.OpenRead(p)|]; s = File.OpenRead(p); s.Dispose(); }",
        ["PassedToNonOwningMethod"] = "static void Use(Stream s) { } void M(string p) { Use([|File.OpenRead(p)|]); }",
        ["UsedAsReceiverAndDropped"] = "string M(string p) => [|new StreamReader(p)|].ReadToEnd();",
        ["LeaveOpenTrueKeepsOwnership"] = "string M(string p) { var s = [|File.OpenRead(p)|]; using var r = new StreamReader(s, leaveOpen: true); return r.ReadToEnd(); }",
        ["DisposeHandlerFalseKeepsOwnership"] = "HttpClient M() { var h = [|new HttpClientHandler()|]; return new HttpClient(h, disposeHandler: false); }",
        ["AwaitedResponseNotDisposed"] = "async Task<int> M(HttpClient c) { var r = [|await c.GetAsync(\"http://x\")|]; return (int)r.StatusCode; }",
        ["AwaitedResponseThroughConfigureAwaitLeaksOnEarlyReturn"] = "async Task<int> M(HttpClient c) { var r = [|await c.GetAsync(\"http://x\").ConfigureAwait(false)|]; if (!r.IsSuccessStatusCode) { return 0; } r.Dispose(); return 1; }",
        ["CatchSwallowsWithoutDispose"] = "void M(string p) { var s = [|File.OpenRead(p)|]; try { s.ReadByte(); } catch (IOException) { return; } s.Dispose(); }",
        ["LocalFunctionLeaks"] = "void M(string p) { void Inner() { var s = [|File.OpenRead(p)|]; s.ReadByte(); } Inner(); }",
        ["NullCheckOnOtherLocalDoesNotHelp"] = "void M(string p, object? o) { var s = [|File.OpenRead(p)|]; if (o != null) s.Dispose(); }",
        ["PassedToOwnHelperThatOnlyReads"] = "static long Size(Stream s) { ArgumentNullException.ThrowIfNull(s); return s.Length; } long M(string p) { var s = [|File.OpenRead(p)|]; return Size(s); }",
        ["OwnsFlagFalseDoesNotTransfer"] = "static int OpenCore(Stream s, bool ownsStream) => 0; int M(string p) { var s = [|File.OpenRead(p)|]; return OpenCore(s, ownsStream: false); }",
        ["ResultIsOnlyANumber"] = "static int Count(Stream s) => 0; int M(string p) => Count([|File.OpenRead(p)|]);",
        ["ResultObjectUsedLocally"] = "long M(string p) { var box = Tuple.Create([|File.OpenRead(p)|]); return box.Item1.Length; }",
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Analyze_Leak_ReportsGOPI1001(string name)
    {
        await Verify.VerifyAnalyzerAsync(Usings + "class C\n{\n    " + Cases[name] + "\n}\n");
    }

    [Fact]
    public async Task Analyze_MessageNamesCreatedType()
    {
        await Verify.VerifyAnalyzerAsync(
            Usings + "class C { void M(string p) { var s = File.OpenRead(p); } }",
            Verify.Diagnostic("GOPI1001").WithSpan(6, 38, 6, 54).WithArguments("FileStream"));
    }

    [Fact]
    public async Task Analyze_MemoryStreamWhenExemptionsCleared_ReportsGOPI1001()
    {
        var test = new CSharpAnalyzerVerifier<DisposableNotDisposedAnalyzer>.Test
        {
            TestCode = "using System.IO; class C { void M() { var m = [|new MemoryStream()|]; m.WriteByte(1); } }",
        }.WithEditorConfig("gopiai.disposal.exempt_types = none");
        await test.RunAsync();
    }

    [Fact]
    public async Task Analyze_CustomExemptType_NoDiagnostic()
    {
        var test = new CSharpAnalyzerVerifier<DisposableNotDisposedAnalyzer>.Test
        {
            TestCode = "using System.IO; class C { void M(string p) { var s = File.OpenRead(p); var m = new MemoryStream(); s.ReadByte(); m.WriteByte(1); } }",
        }.WithEditorConfig("gopiai.disposal.exempt_types = System.IO.FileStream, System.IO.MemoryStream");
        await test.RunAsync();
    }

    [Fact]
    public async Task Analyze_PooledLeaseWithoutUsing_ReportsGOPI1001()
    {
        await Verify.VerifyAnalyzerAsync("""
            namespace GopiAI.Toolkit.Pooling
            {
                public ref struct PooledLease<T> where T : class
                {
                    public T Value => null!;
                    public void Dispose() { }
                }
            }

            partial class Scratch
            {
                public static GopiAI.Toolkit.Pooling.PooledLease<Scratch> RentScoped() => default;
            }

            class C
            {
                void Leaks() { var lease = [|Scratch.RentScoped()|]; _ = lease.Value; }
                void Scoped() { using var lease = Scratch.RentScoped(); _ = lease.Value; }
            }
            """);
    }
}
