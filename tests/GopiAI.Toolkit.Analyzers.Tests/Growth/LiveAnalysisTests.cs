using System.Collections.Immutable;
using GopiAI.Toolkit.Analyzers.Growth;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Tests.Growth;

/// <summary>
/// The growth rules report facts local to a type live — from a single document's semantic analysis, what the IDE
/// runs as you type — and keep compilation end for facts across types. A live diagnostic uses the descriptor without
/// the <c>CompilationEnd</c> tag; a compilation-end one the tagged twin.
/// </summary>
public sealed class LiveAnalysisTests
{
    private const string Source = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading.Channels;

        public static class PrivateLog
        {
            private static readonly List<string> s_entries = new();
            private static readonly ConcurrentDictionary<string, string> s_slugs = new();
            private static readonly Channel<string> s_queue = Channel.CreateUnbounded<string>();

            public static void Write(string entry) => s_entries.Add(entry);
            public static string Slug(string title) => s_slugs.GetOrAdd(title, t => t.ToLowerInvariant());
            public static bool Publish(string item) => s_queue.Writer.TryWrite(item);
        }

        public sealed class Pool : IDisposable
        {
            private readonly List<Stream> _streams = new();

            public void Open(string path) => _streams.Add(new FileStream(path, FileMode.Open));
            public void Dispose() { }
        }

        public static class SharedLog
        {
            public static readonly List<string> Entries = new();

            public static void Write(string entry) => Entries.Add(entry);
        }

        public static class Outer
        {
            private static readonly List<string> s_items = new();

            public static void Add(string item) => s_items.Add(item);

            public static class Janitor
            {
                public static void Sweep() => s_items.Clear();
            }
        }
        """;

    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
    [
        new CollectionOnlyGrowsAnalyzer(),
        new UnboundedMemoCacheAnalyzer(),
        new DisposablesInCollectionAnalyzer(),
        new UnboundedProducerQueueAnalyzer(),
    ];

    [Fact]
    public async Task DocumentAnalysis_PrivateFieldsOfTheType_ReportedLiveWithoutCompilationEndTag()
    {
        var (compilation, tree) = Compile();
        var withAnalyzers = compilation.WithAnalyzers(Analyzers);

        var live = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), filterSpan: null, CancellationToken.None);

        Assert.Equal(["GOPI2001:s_entries", "GOPI2002:s_slugs", "GOPI2004:_streams", "GOPI2005:s_queue"], Names(live));
        Assert.All(live, d => Assert.DoesNotContain(WellKnownDiagnosticTags.CompilationEnd, d.Descriptor.CustomTags));
    }

    [Fact]
    public async Task FullAnalysis_PublicField_ReportedAtCompilationEndOnly()
    {
        var (compilation, _) = Compile();

        var all = await compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        Assert.Equal(["GOPI2001:Entries", "GOPI2001:s_entries", "GOPI2002:s_slugs", "GOPI2004:_streams", "GOPI2005:s_queue"], Names(all));
        var shared = Assert.Single(all, d => Name(d) == "GOPI2001:Entries");
        Assert.Contains(WellKnownDiagnosticTags.CompilationEnd, shared.Descriptor.CustomTags);
    }

    [Fact]
    public async Task FullAnalysis_PrivateFieldClearedByNestedType_NotReported()
    {
        var (compilation, _) = Compile();

        var all = await compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        Assert.DoesNotContain(all, d => Name(d).EndsWith(":s_items", StringComparison.Ordinal));
    }

    private static (Compilation Compilation, SyntaxTree Tree) Compile()
    {
        var tree = CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest), "Live.cs");
        var compilation = CSharpCompilation.Create(
            "Live",
            [tree],
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return (compilation, tree);
    }

    private static List<string> Names(IEnumerable<Diagnostic> diagnostics) => [.. diagnostics.Select(Name).Order(StringComparer.Ordinal)];

    private static string Name(Diagnostic diagnostic)
    {
        var text = diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);
        var name = text.Contains("CreateUnbounded", StringComparison.Ordinal) ? "s_queue" : text;
        return diagnostic.Id + ":" + name;
    }
}
