using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GopiAI.Toolkit.Analyzers.Benchmarks.Scan;

/// <summary>
/// <c>--recall</c>: runs the GOPI rules, IDisposableAnalyzers' leak rules and NetAnalyzers CA2000/CA2213/CA1001 over
/// each recall case (a minimal repro of a leak a real project fixed, <c>Recall/*.cs.txt</c>) and prints which set
/// catches which: a set catches a case when one of its diagnostics lands on a line marked <c>// LEAK</c>.
/// </summary>
internal static class RecallCommand
{
    /// <summary>Runs every case; returns 0.</summary>
    public static async Task<int> RunAsync()
    {
        var sets = ScanCommand.Sets(["gopi", "idisp", "ca"]);
        var caught = new int[sets.Length];
        var cases = RecallCases.Load();
        Console.WriteLine("| Case | Fix | GOPI | IDisposableAnalyzers | CA2000/CA2213/CA1001 |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var recall in cases)
        {
            var compilation = recall.Compile();
            var cells = new List<string>();
            for (var i = 0; i < sets.Length; i++)
            {
                var hits = (await sets[i].RunAsync(compilation).ConfigureAwait(false))
                    .Where(d => recall.LeakLines.Contains(d.Location.GetLineSpan().StartLinePosition.Line + 1))
                    .Select(d => d.Id)
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                caught[i] += hits.Count > 0 ? 1 : 0;
                cells.Add(hits.Count > 0 ? string.Join(", ", hits) : "missed");
            }

            Console.WriteLine($"| {recall.Name} | {recall.Fix} | {string.Join(" | ", cells)} |");
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| **Caught** | | **{caught[0]} of {cases.Count}** | **{caught[1]} of {cases.Count}** | **{caught[2]} of {cases.Count}** |"));
        return 0;
    }
}

/// <summary>One recall case: its source, the lines marked <c>// LEAK</c>, the fix it reproduces and the GOPI rule expected.</summary>
internal sealed record RecallCase(string Name, string Source, ImmutableHashSet<int> LeakLines, string Fix, string ExpectedGopi)
{
    /// <summary>Compiles the case for net10.0; throws when it has compile errors.</summary>
    /// <exception cref="InvalidOperationException">The case does not compile.</exception>
    public Compilation Compile()
    {
        var compilation = CSharpCompilation.Create(
            Name,
            [CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest), Name + ".cs")],
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return errors.Count == 0
            ? compilation
            : throw new InvalidOperationException($"{Name} does not compile: {string.Join("; ", errors.Take(5))}");
    }
}

/// <summary>Reads the embedded recall cases.</summary>
internal static class RecallCases
{
    /// <summary>Every case, in file order.</summary>
    public static IReadOnlyList<RecallCase> Load()
    {
        var assembly = typeof(RecallCases).Assembly;
        var cases = new List<RecallCase>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Recall/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            cases.Add(Parse(resource["Recall/".Length..].Replace(".cs.txt", string.Empty, StringComparison.Ordinal), reader.ReadToEnd()));
        }

        return cases;
    }

    /// <summary>Parses one case: <c>// Fix: url</c>, <c>// Expect GOPI: ID</c> and the <c>// LEAK</c> lines.</summary>
    public static RecallCase Parse(string name, string source)
    {
        var lines = source.Split('\n');
        var leaks = ImmutableHashSet.CreateBuilder<int>();
        var fix = string.Empty;
        var expected = string.Empty;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.EndsWith("// LEAK", StringComparison.Ordinal))
            {
                leaks.Add(i + 1);
            }
            else if (line.StartsWith("// Fix: ", StringComparison.Ordinal))
            {
                fix = line["// Fix: ".Length..];
            }
            else if (line.StartsWith("// Expect GOPI: ", StringComparison.Ordinal))
            {
                expected = line["// Expect GOPI: ".Length..].Trim();
            }
        }

        return new RecallCase(name, source, leaks.ToImmutable(), fix, expected);
    }
}
