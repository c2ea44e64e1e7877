using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Disposal.OwnerNotDisposableAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1004;

/// <summary>Owners that cannot be disposed.</summary>
public sealed class Diagnostics
{
    [Fact]
    public async Task Analyze_FieldInitializer_ReportsGOPI1004()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            sealed class {|GOPI1004:Poller|}
            {
                private readonly Timer _timer = new(_ => { });
            }
            """);
    }

    [Fact]
    public async Task Analyze_ConstructorCreations_ListsAllMembers()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Net.Http;
            class Downloader
            {
                private readonly HttpClient _client;
                private readonly Stream _log;
                public Downloader(string path) { _client = new HttpClient(); _log = File.OpenWrite(path); }
            }
            """,
            Verify.Diagnostic("GOPI1004").WithSpan(3, 7, 3, 17).WithArguments("Downloader", "'_client', '_log'"));
    }

    [Fact]
    public async Task Analyze_Struct_ReportsGOPI1004()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.IO;
            struct {|GOPI1004:Reader|}
            {
                private readonly Stream _s;
                public Reader(string p) { _s = File.OpenRead(p); }
            }
            """);
    }

    [Fact]
    public async Task Analyze_ReleasedOnlyInLifecycleMethod_StillReportsGOPI1004()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            sealed class {|GOPI1004:Poller|}
            {
                private Timer? _t;
                public void Start() => _t = new Timer(_ => { });
                public void Stop() { _t?.Dispose(); _t = null; }
            }
            """);
    }
}
