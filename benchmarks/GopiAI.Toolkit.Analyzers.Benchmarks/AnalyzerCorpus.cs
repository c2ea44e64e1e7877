using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GopiAI.Toolkit.Analyzers.Benchmarks;

/// <summary>
/// The fixed corpus the analyzer benchmarks run over: realistic service code (catalog, messaging, sessions, reporting)
/// with both leaky and correct patterns for every rule kind, instantiated <see cref="Copies"/> times in separate
/// namespaces and compiled against the .NET 10 reference assemblies.
/// </summary>
internal static class AnalyzerCorpus
{
    /// <summary>How many copies of the per-copy files the corpus holds.</summary>
    public const int Copies = 4;

    /// <summary>Builds the corpus compilation; throws if it does not compile cleanly.</summary>
    /// <exception cref="InvalidOperationException">The corpus has compile errors.</exception>
    public static CSharpCompilation Create()
    {
        var assembly = typeof(AnalyzerCorpus).Assembly;
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Corpus/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var text = Read(assembly, name);
            var file = name["Corpus/".Length..].Replace(".cs.txt", string.Empty, StringComparison.Ordinal);
            if (file == "Shared")
            {
                trees.Add(CSharpSyntaxTree.ParseText(text, parseOptions, "Shared.cs"));
                continue;
            }

            for (var copy = 1; copy <= Copies; copy++)
            {
                trees.Add(CSharpSyntaxTree.ParseText(text.Replace("__N__", copy.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), parseOptions, $"{file}{copy}.cs"));
            }
        }

        var compilation = CSharpCompilation.Create(
            "AnalyzerCorpus",
            trees,
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        if (!errors.IsEmpty)
        {
            throw new InvalidOperationException("The analyzer corpus does not compile: " + string.Join(Environment.NewLine, errors.Take(10)));
        }

        return compilation;
    }

    /// <summary>Counts the corpus' source lines (all copies).</summary>
    public static int LineCount(Compilation compilation) => compilation.SyntaxTrees.Sum(t => t.GetText().Lines.Count);

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Missing resource {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
