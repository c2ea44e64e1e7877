using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using GopiAI.Toolkit.Generators.Cached;
using GopiAI.Toolkit.Generators.LazyStartup;
using GopiAI.Toolkit.Generators.Monitored;
using GopiAI.Toolkit.Generators.Pooled;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GopiAI.Toolkit.Generators.Tests.Infrastructure;

/// <summary>
/// Runs the toolkit's generators over real Roslyn compilations against the .NET 10 reference assemblies and the real
/// GopiAI.Toolkit runtime, and loads the result into a collectible load context for compile-and-run tests.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(CachedAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.ObjectPool.ObjectPool).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location),
    ];

    public static IIncrementalGenerator[] Generators() =>
        [new CachedGenerator(), new MonitoredGenerator(), new PooledGenerator(), new LazyStartupGenerator()];

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "GeneratedTests",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: "Source" + i + ".cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            Generators().Select(GeneratorExtensions.AsSourceGenerator),
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs every generator and returns the result plus the updated compilation.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(params string[] sources)
    {
        var compilation = CreateCompilation(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult(), output);
    }

    /// <summary>The generated source with the given hint name.</summary>
    public static string GeneratedSource(GeneratorDriverRunResult result, string hintName) =>
        result.Results.SelectMany(r => r.GeneratedSources).Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>Errors and warnings of the compilation after generation.</summary>
    public static ImmutableArray<Diagnostic> Problems(Compilation output) =>
        [.. output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];

    /// <summary>Generates, compiles (failing with the compiler's messages on any error or warning) and loads the assembly.</summary>
    public static LoadedAssembly CompileAndLoad(params string[] sources)
    {
        var (_, output) = Run(sources);
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        var problems = emit.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(emit.Success && problems.Count == 0, string.Join(Environment.NewLine, problems));
        stream.Position = 0;
        return new LoadedAssembly(stream);
    }
}

/// <summary>An assembly compiled by a test, loaded into a collectible context that is unloaded on dispose.</summary>
internal sealed class LoadedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context = new("GeneratorTest", isCollectible: true);

    public LoadedAssembly(Stream image) => Assembly = _context.LoadFromStream(image);

    public Assembly Assembly { get; }

    public Type GetType(string name) => Assembly.GetType(name, throwOnError: true)!;

    public dynamic Create(string typeName) => Activator.CreateInstance(GetType(typeName))!;

    /// <summary>Calls a public static method.</summary>
    public object? InvokeStatic(string typeName, string method, params object?[] arguments) =>
        GetType(typeName).GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments);

    /// <summary>Reads a public static property.</summary>
    public object? GetStatic(string typeName, string property) =>
        GetType(typeName).GetProperty(property, BindingFlags.Public | BindingFlags.Static)!.GetValue(null);

    public void Dispose() => _context.Unload();
}
