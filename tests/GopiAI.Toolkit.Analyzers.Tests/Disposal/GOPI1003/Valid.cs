using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Disposal.OwnedMemberNotDisposedAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1003;

/// <summary>Disposable types that release what they own, or do not own it, and GOPI1003 must leave alone.</summary>
public sealed class Valid
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
        ["DisposedInDispose"] = "sealed class C : IDisposable { private readonly Timer _t = new(_ => { }); public void Dispose() => _t.Dispose(); }",
        ["ConditionalDisposeInDispose"] = "sealed class C : IDisposable { private Stream? _s; public void Open(string p) { _s?.Dispose(); _s = File.OpenRead(p); } public void Dispose() { _s?.Dispose(); } }",
        ["DisposedInDisposeBool"] = "class C : IDisposable { private readonly Timer _t = new(_ => { }); protected virtual void Dispose(bool disposing) { if (disposing) { _t.Dispose(); } } public void Dispose() { Dispose(true); GC.SuppressFinalize(this); } }",
        ["DisposeAsyncDisposes"] = "sealed class C : IAsyncDisposable { private readonly Stream _s = new FileStream(\"x\", FileMode.Open); public ValueTask DisposeAsync() => _s.DisposeAsync(); }",
        ["InterlockedExchangeInDispose"] = "sealed class C : IDisposable { private CancellationTokenSource? _cts = new(); public void Dispose() => Interlocked.Exchange(ref _cts, null)?.Dispose(); }",
        ["CopiedToLocalInDispose"] = "sealed class C : IDisposable { private Timer? _t = new(_ => { }); public void Dispose() { var t = _t; _t = null; t?.Dispose(); } }",
        ["InjectedNotOwned"] = "sealed class C : IDisposable { private readonly HttpClient _client; public C(HttpClient client) => _client = client; public void Dispose() { } }",
        ["MixedSourcesNotOwned"] = "sealed class C : IDisposable { private readonly Stream _s; public C(Stream? s) { _s = s ?? File.OpenRead(\"x\"); } public void Dispose() { } }",
        ["ExemptMemoryStream"] = "sealed class C : IDisposable { private readonly MemoryStream _ms = new(); public void Dispose() { } }",
        ["AutoPropertyDisposed"] = "sealed class C : IDisposable { public Stream S { get; } = File.OpenRead(\"x\"); public void Dispose() => S.Dispose(); }",
        ["UsingInDispose"] = "sealed class C : IDisposable { private readonly Timer _t = new(_ => { }); public void Dispose() { using (_t) { } } }",
        ["HandedToHelperInDispose"] = "sealed class C : IDisposable { private readonly Timer _t = new(_ => { }); static void Release(IDisposable d) => d.Dispose(); public void Dispose() => Release(_t); }",
        ["CreatedViaLocalThenDisposed"] = "sealed class C : IDisposable { private readonly Timer _t; public C() { var t = new Timer(_ => { }); _t = t; } public void Dispose() => _t.Dispose(); }",
        ["StaticFieldIgnored"] = "sealed class C : IDisposable { private static readonly HttpClient Shared = new(); public void Dispose() { } }",
        ["TaskFieldIgnored"] = "sealed class C : IDisposable { private readonly Task _t = Task.Run(() => { }); public void Dispose() { } }",
        ["WrappedByOwnedReader"] = "sealed class C : IDisposable { private readonly Stream _s; private readonly StreamReader _r; public C(string p) { _s = File.OpenRead(p); _r = new StreamReader(_s); } public void Dispose() => _r.Dispose(); }",
        ["AddedToOwnedContainer"] = "sealed class C : IDisposable { private readonly System.Collections.Generic.List<IDisposable> _all = new(); private readonly Timer _t = new(_ => { }); public C() { _all.Add(_t); } public void Dispose() { foreach (var d in _all) d.Dispose(); } }",

        // Issue 15, false positives seen on real libraries.
        ["WrappedByStoredOwnerThroughLocal"] = "sealed class C : IDisposable { private readonly Stream _file; private readonly BufferedStream? _buffer; private readonly TextWriter _output; public C(string path, bool buffer) { Stream s = _file = File.OpenWrite(path); if (buffer) { s = _buffer = new BufferedStream(_file); } _output = new StreamWriter(s); } public void Dispose() => _output.Dispose(); }",
        ["WrapperOfMemoryStreamIsExempt"] = "sealed class C : IDisposable { private readonly StreamWriter _w = new StreamWriter(new MemoryStream()); public void Dispose() { } }",
        ["WrapperOfStringWriterIsExempt"] = "sealed class C : IDisposable { private readonly System.CodeDom.Compiler.IndentedTextWriter _w = new(new StringWriter()); public void Dispose() { } }",
        ["WrapperOfExemptFieldIsExempt"] = "sealed class C : IDisposable { private readonly MemoryStream _ms = new(); private readonly StreamWriter _w; public C() { _w = new StreamWriter(_ms); } public void Dispose() { } }",
        ["LifetimeManagedByAnotherType"] = "sealed class Handle : IAsyncDisposable { public ValueTask DisposeAsync() => default; } sealed class Pipeline : IDisposable { internal Handle Handle { get; } = new(); public void Dispose() { } } sealed class Registry : IAsyncDisposable { private readonly System.Collections.Generic.List<Pipeline> _all = new(); public void Add(Pipeline p) => _all.Add(p); public async ValueTask DisposeAsync() { foreach (var p in _all) { await p.Handle.DisposeAsync(); p.Dispose(); } } }",
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Analyze_OwnedMemberReleasedOrNotOwned_NoDiagnostic(string name)
    {
        await Verify.VerifyAnalyzerAsync(Usings + Cases[name] + "\n");
    }
}
