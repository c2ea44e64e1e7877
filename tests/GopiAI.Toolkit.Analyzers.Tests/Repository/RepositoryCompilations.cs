using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Tests.Repository;

/// <summary>
/// Compiles each project folder of the repository's src/ and samples/ the way its .csproj does (implicit usings,
/// nullable, exe or library, project references, the toolkit's source generators), against the reference assemblies the
/// test project resolved at build time. Compilations are cached for the test run.
/// </summary>
internal static class RepositoryCompilations
{
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private static readonly ConcurrentDictionary<string, Lazy<Compilation>> Cache = new(StringComparer.Ordinal);

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
        [.. File.ReadAllLines(RepositoryPaths.ScanReferences)
            .Where(l => l.Length > 0 && File.Exists(l))
            .Where(l => !Path.GetFileName(l).StartsWith("GopiAI.Toolkit", StringComparison.Ordinal))
            .Select(l => MetadataReference.CreateFromFile(l))]);

    private static readonly Lazy<ImmutableArray<ISourceGenerator>> Generators = new(() =>
    {
        var toolkit = Assembly.Load("GopiAI.Toolkit.Generators").GetTypes()
            .Where(t => !t.IsAbstract && t.GetCustomAttribute<GeneratorAttribute>() is not null && typeof(IIncrementalGenerator).IsAssignableFrom(t))
            .Select(t => ((IIncrementalGenerator)Activator.CreateInstance(t)!).AsSourceGenerator());
        var loader = new DefaultLoader();
        var platform = File.ReadAllLines(RepositoryPaths.ScanReferences + ".generators")
            .Where(p => p.Length > 0 && File.Exists(p))
            .Where(p => Path.GetFileName(p) is "System.Text.Json.SourceGeneration.dll" or "System.Text.RegularExpressions.Generator.dll" or "Microsoft.Extensions.Logging.Generators.dll")
            .SelectMany(p => new AnalyzerFileReference(p, loader).GetGenerators(LanguageNames.CSharp));
        return [.. toolkit, .. platform];
    });

    /// <summary>
    /// The project folders to scan, relative to the repository root. Samples whose name contains "Leaky" show leaks on
    /// purpose and are left out; their ".Fixed" twins must be clean and are scanned.
    /// </summary>
    public static IEnumerable<string> ProjectFolders()
    {
        foreach (var top in new[] { "src", "samples" })
        {
            var folder = RepositoryPaths.Combine(top);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var project in Directory.EnumerateFiles(folder, "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var directory = Path.GetDirectoryName(project)!;
                var name = Path.GetFileName(directory);
                if (name.Contains("Leaky", StringComparison.Ordinal) && !name.EndsWith(".Fixed", StringComparison.Ordinal))
                {
                    continue;
                }

                yield return Path.GetRelativePath(RepositoryPaths.Root, directory).Replace('\\', '/');
            }
        }
    }

    /// <summary>Gets the compilation of the project in <paramref name="projectFolder"/> (relative to the root).</summary>
    public static Compilation Get(string projectFolder) =>
        Cache.GetOrAdd(projectFolder, folder => new Lazy<Compilation>(() => Create(folder))).Value;

    private static Compilation Create(string projectFolder)
    {
        var directory = RepositoryPaths.Combine(projectFolder);
        var projectFile = Directory.EnumerateFiles(directory, "*.csproj").Single();
        var project = XDocument.Load(projectFile);
        string? Property(string name) => project.Descendants(name).LastOrDefault()?.Value.Trim();

        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(directory, f))
            .Order(StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parseOptions, f))
            .ToList();

        var usings = new List<string>();
        if (!string.Equals(Property("ImplicitUsings"), "disable", StringComparison.OrdinalIgnoreCase))
        {
            usings.AddRange(ImplicitUsings);
        }

        usings.AddRange(project.Descendants("Using").Select(u => u.Attribute("Include")?.Value).OfType<string>());
        trees.Add(CSharpSyntaxTree.ParseText(string.Concat(usings.Distinct().Select(u => $"global using global::{u};\n")), parseOptions, Path.Combine(directory, "obj", "GlobalUsings.g.cs")));

        var references = new List<MetadataReference>(References.Value);
        foreach (var referenced in ReferencedProjects(directory, project))
        {
            references.Add(Get(referenced).ToMetadataReference());
        }

        var outputKind = string.Equals(Property("OutputType"), "Exe", StringComparison.OrdinalIgnoreCase) ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary;
        var options = new CSharpCompilationOptions(
            outputKind,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: string.Equals(Property("AllowUnsafeBlocks"), "true", StringComparison.OrdinalIgnoreCase));

        Compilation compilation = CSharpCompilation.Create(Path.GetFileName(directory), trees, references, options);

        // Run the toolkit's own generators, as the package does for a consumer, so [Cached] & co. are complete.
        // and the BCL/package generators (System.Text.Json, Regex, LoggerMessage) the SDK would run.
        CSharpGeneratorDriver.Create(Generators.Value, parseOptions: parseOptions).RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);
        return compilation;
    }

    private static IEnumerable<string> ReferencedProjects(string directory, XDocument project)
    {
        var paths = project.Descendants("ProjectReference").Select(r => r.Attribute("Include")?.Value).OfType<string>().ToList();

        // GopiAI.Toolkit.InRepo.targets gives the project what a package consumer gets: the runtime project.
        if (project.Descendants("Import").Any(i => i.Attribute("Project")?.Value.EndsWith("GopiAI.Toolkit.InRepo.targets", StringComparison.Ordinal) == true))
        {
            paths.Add(Path.Combine(RepositoryPaths.Root, "src", "GopiAI.Toolkit", "GopiAI.Toolkit.csproj"));
        }

        foreach (var path in paths)
        {
            var full = Path.GetFullPath(Path.Combine(directory, path.Replace('\\', Path.DirectorySeparatorChar)));
            yield return Path.GetRelativePath(RepositoryPaths.Root, Path.GetDirectoryName(full)!).Replace('\\', '/');
        }
    }

    private sealed class DefaultLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }

    private static bool IsBuildOutput(string projectDirectory, string file)
    {
        var relative = Path.GetRelativePath(projectDirectory, file).Replace('\\', '/');
        return relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal);
    }
}
