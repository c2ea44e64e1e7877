using GopiAI.Toolkit.Analyzers.Disposal;
using GopiAI.Toolkit.Analyzers.Tests.Verifiers;
using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Disposal.DisposableNotDisposedAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1001;

/// <summary>Ownership transfers and correct disposal that GOPI1001 must not flag.</summary>
public sealed class Valid
{
    private const string Usings = """
        using System;
        using GopiAI.Toolkit.Analyzers.Tests.Stubs;
        using System.Collections.Generic;
        using System.IO;
        using System.IO.Compression;
        using System.Net.Http;
        using System.Security.Cryptography;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private const string Extensions = """
        namespace GopiAI.Toolkit.Analyzers.Tests.Stubs
        {
            public static class DisposableExtensions
            {
                public static T DisposeWith<T>(this T item, System.Collections.Generic.ICollection<System.IDisposable> owner)
                    where T : System.IDisposable
                {
                    owner.Add(item);
                    return item;
                }

                public static T Tagged<T>(this T item, string tag)
                    where T : System.IDisposable => item;
            }
        }

        """;

    public static readonly Dictionary<string, string> Cases = new()
    {
        ["UsingDeclaration"] = "void M(string p) { using var s = File.OpenRead(p); s.ReadByte(); }",
        ["UsingStatement"] = "void M(string p) { using (var s = File.OpenRead(p)) { s.ReadByte(); } }",
        ["AwaitUsingDeclaration"] = "async Task M(string p) { await using var s = new FileStream(p, FileMode.Open); await s.FlushAsync(); }",
        ["UsingStatementOnExistingLocal"] = "void M(string p) { var s = File.OpenRead(p); using (s) { s.ReadByte(); } }",
        ["DisposeAtEnd"] = "void M(string p) { var s = File.OpenRead(p); s.ReadByte(); s.Dispose(); }",
        ["DisposeAsyncAwaited"] = "async Task M(string p) { var s = File.OpenRead(p); await s.DisposeAsync(); }",
        ["CloseCall"] = "void M(string p) { var s = File.OpenRead(p); s.Close(); }",
        ["ConditionalDispose"] = "void M(string p) { var s = File.OpenRead(p); s?.Dispose(); }",
        ["NullCheckedDispose"] = "void M(string p) { var s = File.OpenRead(p); if (s != null) { s.Dispose(); } }",
        ["IsNotNullDispose"] = "void M(string p) { var s = File.OpenRead(p); if (s is not null) s.Dispose(); }",
        ["TryFinallyDispose"] = "void M(string p) { var s = File.OpenRead(p); try { s.ReadByte(); } finally { s.Dispose(); } }",
        ["DisposedOnBothBranches"] = "int M(string p, bool b) { var s = File.OpenRead(p); if (b) { s.Dispose(); return 1; } s.Dispose(); return 0; }",
        ["ThrowPathIsNotALeak"] = "void M(string p, bool b) { var s = File.OpenRead(p); if (b) throw new InvalidOperationException(); s.Dispose(); }",
        ["DisposedInEveryLoopIteration"] = "void M(string[] ps) { foreach (var p in ps) { var s = File.OpenRead(p); s.ReadByte(); s.Dispose(); } }",
        ["Returned"] = "Stream M(string p) { var s = File.OpenRead(p); s.ReadByte(); return s; }",
        ["ReturnedDirectly"] = "Stream M(string p) => new FileStream(p, FileMode.Open);",
        ["ReturnedFromAsync"] = "async Task<Stream> M(string p) { await Task.Yield(); return File.OpenRead(p); }",
        ["OutParameter"] = "void M(string p, out Stream s) { s = File.OpenRead(p); }",
        ["StoredInField"] = "Stream? _s; void M(string p) { _s = File.OpenRead(p); }",
        ["StoredInFieldViaLocal"] = "Stream? _s; void M(string p) { var s = File.OpenRead(p); _s = s; }",
        ["StoredInOtherObjectsProperty"] = "sealed class Holder { public Stream? S { get; set; } } void M(Holder h, string p) { h.S = File.OpenRead(p); }",
        ["WrappedByStreamReader"] = "string M(string p) { using var r = new StreamReader(File.OpenRead(p)); return r.ReadToEnd(); }",
        ["WrappedByStreamReaderViaLocal"] = "string M(string p) { var s = File.OpenRead(p); using var r = new StreamReader(s); return r.ReadToEnd(); }",
        ["WrappedByGZipStream"] = "Stream M(string p) { var s = File.OpenRead(p); return new GZipStream(s, CompressionMode.Decompress); }",
        ["WrappedByBinaryReader"] = "BinaryReader M(string p) => new BinaryReader(File.OpenRead(p));",
        ["WrappedByCryptoStream"] = "Stream M(Stream inner) { var aes = Aes.Create(); using (aes) { return new CryptoStream(inner, aes.CreateEncryptor(), CryptoStreamMode.Write); } }",
        ["HttpClientOwnsHandler"] = "HttpClient M() { var handler = new HttpClientHandler(); return new HttpClient(handler); }",
        ["HttpClientOwnsHandlerExplicitTrue"] = "HttpClient M() { var handler = new HttpClientHandler(); return new HttpClient(handler, disposeHandler: true); }",
        ["AddedToList"] = "readonly List<IDisposable> _items = new(); void M(string p) { var s = File.OpenRead(p); _items.Add(s); }",
        ["AddedToCompositeStyleContainer"] = "sealed class Bag : IDisposable { public void Add(IDisposable d) { } public void Dispose() { } } void M(Bag bag) { bag.Add(new Timer(_ => { })); }",
        ["HandedToDisposableParameterApi"] = "static void Track(IDisposable d) { } void M(string p) { Track(File.OpenRead(p)); }",
        ["CapturedByLambda"] = "Action M(string p) { var s = File.OpenRead(p); return () => s.Dispose(); }",
        ["DisposeRegisteredAsMethodGroup"] = "void M(CancellationToken t) { var cts = new CancellationTokenSource(); t.Register(cts.Dispose); }",
        ["ParameterNotOwned"] = "void M(Stream s) { s.ReadByte(); }",
        ["FactoryKeepsOwnership"] = "void M(IServiceProvider sp) { var d = (IDisposable?)sp.GetService(typeof(IDisposable)); }",
        ["TaskIsNotOwned"] = "void M() { var t = new Task(() => { }); t.Start(); }",
        ["MemoryStreamExempt"] = "byte[] M() { var ms = new MemoryStream(); ms.WriteByte(1); return ms.ToArray(); }",
        ["StringReaderAndWriterExempt"] = "string M(string text) { var r = new StringReader(text); var w = new StringWriter(); w.Write(r.ReadToEnd()); return w.ToString(); }",
        ["StaticMemberOfOtherType"] = "void M() { var s = Stream.Null; s.WriteByte(1); }",
        ["ReassignAfterDispose"] = "void M(string p) { var s = File.OpenRead(p); s.Dispose(); s = File.OpenRead(p); s.Dispose(); }",
        ["LocalFunctionDisposes"] = "void M(string p) { void Inner() { using var s = File.OpenRead(p); } Inner(); }",
        ["LambdaDisposes"] = "Action M(string p) => () => { var s = File.OpenRead(p); s.Dispose(); };",
        ["ConditionalCreationDisposed"] = "void M(string p, bool b) { var s = b ? File.OpenRead(p) : null; s?.Dispose(); }",
        ["TupleReturned"] = "(Stream, Stream) M(string p) { var a = File.OpenRead(p); var b = File.OpenRead(p); return (a, b); }",
        ["ArrayInitializer"] = "Stream[] M(string p) => new Stream[] { File.OpenRead(p) };",
        ["AwaitedResponseDisposed"] = "async Task<int> M(HttpClient c) { using var r = await c.GetAsync(\"http://x\"); return (int)r.StatusCode; }",
        ["CatchDisposesAndRethrowsSuccessReturns"] = "Stream M(string p) { var s = File.OpenRead(p); try { s.ReadByte(); return s; } catch { s.Dispose(); throw; } }",
        ["SwitchReturnsEitherWay"] = "Stream M(string p, int k) { var s = File.OpenRead(p); switch (k) { case 0: return s; default: s.Dispose(); return Stream.Null; } }",
        ["HandlerDisposedInCatchOrWrapped"] = "HttpClient M() { HttpClientHandler? handler = null; try { handler = new HttpClientHandler(); handler.CheckCertificateRevocationList = true; return new HttpClient(handler); } catch (Exception) { handler?.Dispose(); throw; } }",
        ["DisposeWithExtension"] = "sealed class Bag : List<IDisposable>, IDisposable { public void Dispose() { } } readonly Bag _bag = new(); void M() { var t = new Timer(_ => { }).DisposeWith(_bag); t.Change(0, 1); }",
        ["WrapperFactory"] = "Stream M(string p) => Stream.Synchronized(File.OpenRead(p));",
        ["NullCoalescingFromParameterDisposed"] = "void M(Stream? s, string p) { var x = s ?? File.OpenRead(p); x.Dispose(); }",
        ["ReturnedThroughSwitchExpression"] = "Stream M(string p, int k) => k switch { 0 => File.OpenRead(p), _ => Stream.Null };",
        ["WhileLoopDisposesEachIteration"] = "void M(Queue<string> q) { while (q.Count > 0) { var s = File.OpenRead(q.Dequeue()); try { s.ReadByte(); } finally { s.Dispose(); } } }",
        ["AwaitUsingStatement"] = "async Task M(string p) { await using (var s = File.OpenRead(p)) { await s.FlushAsync(); } }",
        ["StoredInDictionaryIndexer"] = "readonly Dictionary<string, Stream> _open = new(); void M(string p) { _open[p] = File.OpenRead(p); }",
        ["EnqueuedToQueue"] = "readonly Queue<Stream> _q = new(); void M(string p) { var s = File.OpenRead(p); _q.Enqueue(s); }",
        ["PassedByRefToHelper"] = "static void Keep(ref Stream? s) { } void M(string p) { Stream? s = File.OpenRead(p); Keep(ref s); }",
        ["PassedToOwnHelperThatStoresIt"] = "Stream? _current; void Replace(Stream? next) { ArgumentNullException.ThrowIfNull(next); var old = _current; Volatile.Write(ref _current, next); old?.Dispose(); } void M(string p) { var s = File.OpenRead(p); Replace(s); }",
        ["OwnsFlagTransfers"] = "static Task<int> OpenCore(Stream s, bool ownsStream) => Task.FromResult(0); async Task<int> M(string p) { var s = File.OpenRead(p); try { return await OpenCore(s, ownsStream: true); } catch { s.Dispose(); throw; } }",
        ["InterlockedExchangeIntoField"] = "Timer? _t; void M() { Interlocked.Exchange(ref _t, new Timer(_ => { }))?.Dispose(); }",
        ["BoundByPatternAndReturnedInTuple"] = "(Stream?, string?) M(string p) => File.OpenRead(p) is { } s ? (s, null) : (null, \"missing\");",
        ["ReturnedThroughTaskFromResult"] = "Task<Stream> M(string p) => Task.FromResult<Stream>(File.OpenRead(p));",
        ["ReturnedInsideResultObject"] = "sealed class FileResult { public FileResult(object body, string type) { } } static FileResult File(Stream s, string type) => new FileResult(s, type); FileResult M(string p) { var s = System.IO.File.OpenRead(p); return File(s, \"text/csv\"); }",
        ["StoredThroughFactoryResult"] = "object? _result; static object Wrap(object o) => o; void M(string p) { _result = Wrap(System.IO.File.OpenRead(p)); }",

        // Issue 15, false positives seen on real libraries and in a corpus of valid code.
        ["HandedToDelegate"] = "void M(Action<TextWriter> addSink, string p) { var w = new StreamWriter(p); addSink(w); }",
        ["HandedToDelegateField"] = "readonly Func<TextWriter, object> _addSink = w => w; object M(string p) { var w = new StreamWriter(p); return _addSink.Invoke(w); }",
        ["CatchThatReturnsBeforeBinding"] = "object M(Func<TextWriter, object> addSink, string p) { TextWriter w; try { w = new StreamWriter(p); } catch (IOException) { return addSink(TextWriter.Null); } return addSink(w); }",
        ["AssignedInUsingHeader"] = "void M(string p) { Stream s; using (s = File.OpenRead(p)) { s.ReadByte(); } }",
        ["AssignedInAwaitUsingHeader"] = "async Task M(string p) { FileStream s; await using ((s = new FileStream(p, FileMode.Open)).ConfigureAwait(false)) { s.ReadByte(); } }",
        ["TaskFromResultAwaitedIntoUsing"] = "async Task M(string p) { using var s = await Task.FromResult(File.OpenRead(p)); s.ReadByte(); }",
        ["TaskFromResultConfigureAwaitIntoUsing"] = "async Task M(string p) { using var s = await Task.FromResult(File.OpenRead(p)).ConfigureAwait(false); s.ReadByte(); }",
        ["TaskFromResultStoredThenAwaited"] = "async Task M(string p) { var t = Task.FromResult(File.OpenRead(p)); using var s = await t; s.ReadByte(); }",
        ["TaskRunAwaitedIntoUsing"] = "async Task M(string p) { using var s = await Task.Run(() => File.OpenRead(p)); s.ReadByte(); }",
        ["TaskRunConfigureAwaitIntoUsing"] = "async Task M(string p) { using var s = await Task.Run(() => new FileStream(p, FileMode.Open)).ConfigureAwait(false); s.ReadByte(); }",
        ["TaskFromResultResultIntoUsing"] = "void M(string p) { using var s = Task.FromResult(File.OpenRead(p)).Result; s.ReadByte(); }",
        ["TaskFromResultGetResultIntoUsing"] = "void M(string p) { using var s = Task.FromResult(File.OpenRead(p)).GetAwaiter().GetResult(); s.ReadByte(); }",
        ["TaskRunResultIntoUsing"] = "void M(string p) { using var s = Task.Run(() => File.OpenRead(p)).ConfigureAwait(false).GetAwaiter().GetResult(); s.ReadByte(); }",
        ["FluentReturnsSameInstanceIntoUsing"] = "sealed class Res : IDisposable { public Res Configure(int n) => this; public void Dispose() { } } void M() { using var r = new Res().Configure(1); }",
        ["FluentReturnedFromFactory"] = "sealed class Res : IDisposable { public Res Configure(int n) => this; public void Dispose() { } } IDisposable Create() => new Res().Configure(1);",
        ["ExtensionReturnsArgumentIntoUsing"] = "void M(string p) { using var s = File.OpenRead(p).Tagged(\"x\"); s.ReadByte(); }",
        ["ExtensionReturnsArgumentReturned"] = "Stream M(string p) => File.OpenRead(p).Tagged(\"x\");",
        ["TupleDisposedThroughItem"] = "void M(string p) { var pair = (Name: p, Stream: File.OpenRead(p)); pair.Stream.ReadByte(); pair.Stream.Dispose(); }",
        ["LocalInTupleDisposedThroughItem"] = "void M(string p) { var s = File.OpenRead(p); var pair = (p, s); pair.Item2.Dispose(); }",
        ["ListOfTuplesDisposedThroughItems"] = "void M(string[] ps) { var open = new List<(string Name, Stream S)>(); foreach (var p in ps) { open.Add((p, File.OpenRead(p))); } foreach (var (_, s) in open) { s.Dispose(); } }",
        ["ListOfTuplesViaLocal"] = "void M(string[] ps) { var open = new List<(string, IDisposable)>(); foreach (var p in ps) { var s = File.OpenRead(p); open.Add((p, s)); } foreach (var item in open) { item.Item2.Dispose(); } }",
        ["BuilderStructHandsItsDisposableToTheCaller"] = "struct Builder : IDisposable { private Stream? _s; public Builder(string p) { _s = File.OpenRead(p); } public Stream Build() { var s = _s!; _s = null; return s; } public void Dispose() => _s?.Dispose(); } Stream M(string p) { var b = new Builder(p); return b.Build(); }",
        ["CarrierStoredBackIntoItsOwnLocal"] = "void M(string p) { object t = Task.FromResult<object>(File.OpenRead(p)); t = Task.FromResult<object>(t); GC.KeepAlive(t); }",
        ["WrapperOfMemoryStreamIsExempt"] = "string M() { var w = new StreamWriter(new MemoryStream()); w.Write(1); w.Flush(); return w.ToString()!; }",
        ["WrapperOfExemptLocalIsExempt"] = "byte[] M() { var ms = new MemoryStream(); var w = new BinaryWriter(ms); w.Write(1); return ms.ToArray(); }",
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Analyze_OwnershipTransferOrDisposal_NoDiagnostic(string name)
    {
        await Verify.VerifyAnalyzerAsync(Usings + "class C\n{\n    " + Cases[name] + "\n}\n" + Extensions);
    }

    [Fact]
    public async Task Analyze_DiRegistration_NoDiagnostic()
    {
        var test = new CSharpAnalyzerVerifier<DisposableNotDisposedAnalyzer>.Test
        {
            ReferenceAssemblies = TestReferences.WithExtensions,
            TestCode = """
                using System.Threading;
                using Microsoft.Extensions.DependencyInjection;

                static class Setup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        var cts = new CancellationTokenSource();
                        services.AddSingleton(cts);
                        services.AddSingleton(new SemaphoreSlim(1));
                    }
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task Analyze_HttpClientFactory_NoDiagnostic()
    {
        await Verify.VerifyAnalyzerAsync("""
            namespace System.Net.Http
            {
                public interface IHttpClientFactory { HttpClient CreateClient(string name); }
            }

            class C
            {
                async System.Threading.Tasks.Task<string> M(System.Net.Http.IHttpClientFactory factory)
                {
                    var client = factory.CreateClient("x");
                    return await client.GetStringAsync("http://x");
                }
            }
            """);
    }
}
