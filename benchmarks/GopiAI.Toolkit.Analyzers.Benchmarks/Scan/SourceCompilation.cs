using System.Collections.Immutable;
using System.Text;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Benchmarks.Scan;

/// <summary>
/// Compiles a folder of C# sources for net10.0 the way the SDK would: the framework's reference assemblies, the
/// packages' compile assets, the target framework's preprocessor symbols, implicit usings, resx accessors, and the
/// packages' source generators run once before analysis.
/// </summary>
internal static class SourceCompilation
{
    /// <summary>The preprocessor symbols the SDK defines for net10.0.</summary>
    public static readonly ImmutableArray<string> FrameworkSymbols =
    [
        "TRACE", "RELEASE", "NET", "NET10_0", "NETCOREAPP",
        .. Enumerable.Range(5, 6).Select(v => $"NET{v}_0_OR_GREATER"),
        "NETCOREAPP1_0_OR_GREATER", "NETCOREAPP1_1_OR_GREATER", "NETCOREAPP2_0_OR_GREATER", "NETCOREAPP2_1_OR_GREATER",
        "NETCOREAPP2_2_OR_GREATER", "NETCOREAPP3_0_OR_GREATER", "NETCOREAPP3_1_OR_GREATER",
    ];

    private static readonly string[] SdkImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    /// <summary>Builds the compilation (generators already run) and returns it with its compile errors.</summary>
    public static (Compilation Compilation, ImmutableArray<Diagnostic> Errors) Create(ScanOptions options)
    {
        var parseOptions = new CSharpParseOptions(
            LanguageVersionFacts.TryParse(options.LanguageVersion, out var version) ? version : LanguageVersion.Latest,
            preprocessorSymbols: [.. FrameworkSymbols, .. options.Defines]);

        var trees = new List<SyntaxTree>();
        foreach (var file in SourceFiles(options))
        {
            trees.Add(CSharpSyntaxTree.ParseText(Microsoft.CodeAnalysis.Text.SourceText.From(File.ReadAllText(file), Encoding.UTF8), parseOptions, file));
        }

        var usings = (options.ImplicitUsings ? SdkImplicitUsings : []).Concat(options.Usings).ToList();
        if (usings.Count > 0)
        {
            trees.Add(CSharpSyntaxTree.ParseText(string.Concat(usings.Select(u => $"global using global::{u};\n")), parseOptions, "GlobalUsings.g.cs"));
        }

        foreach (var resource in options.Resources)
        {
            var parts = resource.Split('=', 2);
            trees.Add(CSharpSyntaxTree.ParseText(ResxAccessor(parts[0], parts[1]), parseOptions, Path.GetFileName(parts[0]) + ".g.cs"));
        }

        var (packageReferences, packageAnalyzers) = PackageAssets.Restore(options.Packages);
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Concat(packageReferences.Concat(options.References).Distinct(StringComparer.Ordinal).Select(p => MetadataReference.CreateFromFile(p)))
            .ToList();

        Compilation compilation = CSharpCompilation.Create(
            "Scanned",
            trees,
            references,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: options.Nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable,
                allowUnsafe: options.Unsafe));

        var generators = packageAnalyzers.Concat(FrameworkGenerators())
            .SelectMany(path => new AnalyzerFileReference(path, new PathLoader()).GetGenerators(LanguageNames.CSharp))
            .ToList();
        if (generators.Count > 0)
        {
            CSharpGeneratorDriver.Create(generators, parseOptions: parseOptions)
                .RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);
        }

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return (compilation, errors);
    }

    // The generators the SDK runs for every net10.0 project (Regex, LibraryImport, JSON...): the ref pack's analyzers.
    private static IEnumerable<string> FrameworkGenerators()
    {
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var pack = Directory.Exists(packs)
            ? Directory.EnumerateDirectories(packs, "10.*").OrderBy(d => Version.TryParse(Path.GetFileName(d), out var v) ? v : new Version()).LastOrDefault()
            : null;
        var folder = pack is null ? null : Path.Combine(pack, "analyzers", "dotnet", "cs");
        return folder is not null && Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.dll") : [];
    }

    /// <summary>Counts the lines of the sources that were scanned (generated files excluded).</summary>
    public static int LineCount(Compilation compilation) =>
        compilation.SyntaxTrees.Where(t => File.Exists(t.FilePath)).Sum(t => t.GetText().Lines.Count);

    private static IEnumerable<string> SourceFiles(ScanOptions options)
    {
        var separator = Path.DirectorySeparatorChar;
        foreach (var folder in options.Folders)
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = separator + Path.GetRelativePath(folder, file);
                if (relative.Contains($"{separator}bin{separator}", StringComparison.Ordinal) ||
                    relative.Contains($"{separator}obj{separator}", StringComparison.Ordinal) ||
                    options.Excludes.Any(e => relative.Contains(e, StringComparison.Ordinal)))
                {
                    continue;
                }

                yield return file;
            }
        }

        foreach (var file in options.Files)
        {
            yield return file;
        }
    }

    // What MSBuild's GenerateResxSource writes: a ResourceManager and one string property per entry.
    private static string ResxAccessor(string resx, string fullName)
    {
        var lastDot = fullName.LastIndexOf('.');
        var ns = fullName[..lastDot];
        var name = fullName[(lastDot + 1)..];
        var builder = new StringBuilder();
        builder.AppendLine($"namespace {ns};");
        builder.AppendLine($"internal static partial class {name}");
        builder.AppendLine("{");
        builder.AppendLine("    private static global::System.Resources.ResourceManager? s_resourceManager;");
        builder.AppendLine($"    internal static global::System.Resources.ResourceManager ResourceManager => s_resourceManager ??= new global::System.Resources.ResourceManager(typeof({name}));");
        builder.AppendLine("    internal static global::System.Globalization.CultureInfo? Culture { get; set; }");
        builder.AppendLine("    internal static string GetResourceString(string resourceKey) => ResourceManager.GetString(resourceKey, Culture)!;");
        foreach (var data in XDocument.Load(resx).Root!.Elements("data"))
        {
            if (data.Attribute("type") is null && data.Attribute("name")?.Value is { } key)
            {
                builder.AppendLine($"    internal static string @{key} => GetResourceString(\"{key}\");");
            }
        }

        builder.AppendLine("}");
        return builder.ToString();
    }

    private sealed class PathLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
    }
}
