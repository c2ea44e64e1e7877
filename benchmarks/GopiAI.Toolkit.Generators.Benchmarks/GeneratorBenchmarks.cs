using System.Text;
using BenchmarkDotNet.Attributes;
using GopiAI.Toolkit.Generators.Cached;
using GopiAI.Toolkit.Generators.LazyStartup;
using GopiAI.Toolkit.Generators.Monitored;
using GopiAI.Toolkit.Generators.Pooled;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GopiAI.Toolkit.Generators.Benchmarks;

/// <summary>
/// Generator time for a project with 500 annotated methods (50 classes x 10 methods, half [Cached], half [Monitored],
/// some both): a full run, and a run after an unrelated edit, which must regenerate nothing (checked in setup).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        var trees = Enumerable.Range(0, 50).Select(i => CSharpSyntaxTree.ParseText(ServiceSource(i), ParseOptions, path: "Service" + i + ".cs")).ToList();
        trees.Add(CSharpSyntaxTree.ParseText("namespace Bench; public class Unrelated { public int X; }", ParseOptions, path: "Unrelated.cs"));
        _compilation = CSharpCompilation.Create(
            "Bench",
            trees,
            [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(CachedAttribute).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var unrelated = _compilation.SyntaxTrees.Last();
        _edited = _compilation.ReplaceSyntaxTree(unrelated, CSharpSyntaxTree.ParseText("namespace Bench; public class Unrelated { public int X; public int Y; }", ParseOptions, path: "Unrelated.cs"));

        var first = CreateDriver().RunGenerators(_compilation);
        var generated = first.GetRunResult().Results.Sum(r => r.GeneratedSources.Length);
        if (generated != 500)
        {
            throw new InvalidOperationException("expected 500 generated files, got " + generated);
        }

        _warmDriver = first;
        var after = first.RunGenerators(_edited).GetRunResult();
        var rerun = after.Results.SelectMany(r => r.TrackedOutputSteps).SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .Count(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        if (rerun != 0)
        {
            throw new InvalidOperationException(rerun + " outputs were regenerated after an unrelated edit");
        }

        Console.WriteLine("// Unrelated edit: 0 of 500 outputs regenerated (all Cached/Unchanged).");
    }

    [Benchmark(Baseline = true, Description = "full run, 500 methods")]
    public GeneratorDriver FullRun() => CreateDriver().RunGenerators(_compilation);

    [Benchmark(Description = "re-run after unrelated edit")]
    public GeneratorDriver IncrementalRun() => _warmDriver.RunGenerators(_edited);

    private static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new CachedGenerator().AsSourceGenerator(), new MonitoredGenerator().AsSourceGenerator(), new PooledGenerator().AsSourceGenerator(), new LazyStartupGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private static string ServiceSource(int index)
    {
        var source = new StringBuilder();
        source.AppendLine("using System.Threading; using System.Threading.Tasks; using GopiAI.Toolkit;");
        source.AppendLine("namespace Bench;");
        source.AppendLine("public partial class Service" + index + " {");
        for (var m = 0; m < 10; m++)
        {
            var attribute = (m % 3) switch { 0 => "[Cached(60)]", 1 => "[Monitored]", _ => "[Cached(60), Monitored]" };
            source.AppendLine($"    {attribute} public partial Task<int> Get{m}Async(int id, string name, CancellationToken ct = default);");
            source.AppendLine($"    private Task<int> Get{m}AsyncCore(int id, string name, CancellationToken ct) => Task.FromResult(id + name.Length);");
        }

        source.AppendLine("}");
        return source.ToString();
    }
}
