using Verify = GopiAI.Toolkit.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<GopiAI.Toolkit.Analyzers.Disposal.OwnerNotDisposableAnalyzer>;

namespace GopiAI.Toolkit.Analyzers.Tests.Disposal.GOPI1004;

/// <summary>Types GOPI1004 must leave alone.</summary>
public sealed class Valid
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Threading;

        """;

    public static readonly Dictionary<string, string> Cases = new()
    {
        ["ImplementsIDisposable"] = "sealed class C : IDisposable { private readonly Timer _t = new(_ => { }); public void Dispose() => _t.Dispose(); }",
        ["InheritsDisposable"] = "class B : IDisposable { public virtual void Dispose() { } } sealed class C : B { private readonly Timer _t = new(_ => { }); public override void Dispose() { _t.Dispose(); base.Dispose(); } }",
        ["InjectedOnly"] = "sealed class C { private readonly HttpClient _client; public C(HttpClient client) => _client = client; }",
        ["ExemptOnly"] = "sealed class C { private readonly MemoryStream _ms = new(); private readonly StringWriter _w = new(); }",
        ["StaticOnly"] = "static class C { private static readonly HttpClient Client = new(); }",
        ["FactoryKeepsOwnership"] = "sealed class C { private readonly object _o; public C(IServiceProvider sp) { _o = sp.GetService(typeof(HttpClient))!; } }",

        // Issue 15, false positives seen on real libraries.
        ["LifetimeManagedByAnotherType"] = "sealed class Handle : IAsyncDisposable { public System.Threading.Tasks.ValueTask DisposeAsync() => default; } sealed class Pipeline { internal Handle Handle { get; } = new(); } sealed class Registry : IAsyncDisposable { private readonly System.Collections.Generic.List<Pipeline> _all = new(); public void Add(Pipeline p) => _all.Add(p); public async System.Threading.Tasks.ValueTask DisposeAsync() { foreach (var p in _all) { await p.Handle.DisposeAsync(); } } }",
        ["WrapperOfMemoryStreamIsExempt"] = "sealed class C { private readonly StreamWriter _w = new StreamWriter(new MemoryStream()); }",
        ["LifetimeDrivenFromAnotherTypesDispose"] = "sealed class Helper : IAsyncDisposable { public System.Threading.Tasks.ValueTask DisposeAsync() => ForceDisposeAsync(); public System.Threading.Tasks.ValueTask ForceDisposeAsync() => default; } sealed class Pipeline { internal Helper DisposeHelper { get; } = new(); } sealed class Registry : IAsyncDisposable { private readonly System.Collections.Generic.Dictionary<string, Pipeline> _all = new(); public async System.Threading.Tasks.ValueTask DisposeAsync() { foreach (var kv in _all) { await kv.Value.DisposeHelper.ForceDisposeAsync(); } } }",
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Analyze_NotAnOwnerOrAlreadyDisposable_NoDiagnostic(string name)
    {
        await Verify.VerifyAnalyzerAsync(Usings + Cases[name] + "\n");
    }
}
