using System.Diagnostics;
using System.Text.Json;

namespace GopiAI.Toolkit.Analyzers.Benchmarks.Scan;

/// <summary>
/// Restores NuGet packages the ordinary way (<c>dotnet restore</c> of a throwaway project in a temp folder) and reads
/// the compile assemblies and analyzer assemblies of the whole dependency closure from its <c>project.assets.json</c>.
/// </summary>
internal static class PackageAssets
{
    /// <summary>The compile references and analyzer (generator) assemblies of <paramref name="packages"/> for net10.0.</summary>
    /// <exception cref="InvalidOperationException">The restore failed.</exception>
    public static (List<string> Compile, List<string> Analyzers) Restore(IReadOnlyList<string> packages)
    {
        var compile = new List<string>();
        var analyzers = new List<string>();
        if (packages.Count == 0)
        {
            return (compile, analyzers);
        }

        var folder = Directory.CreateTempSubdirectory("gopi-scan-restore-").FullName;
        try
        {
            var references = string.Concat(packages.Select(p =>
            {
                var parts = p.Split('/', 2);
                return $"<PackageReference Include=\"{parts[0]}\" Version=\"{(parts.Length > 1 ? parts[1] : "*")}\" />";
            }));
            File.WriteAllText(Path.Combine(folder, "Restore.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
                  <ItemGroup>{references}</ItemGroup>
                </Project>
                """);
            var start = new ProcessStartInfo("dotnet", "restore Restore.csproj") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet restore did not start.");
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("dotnet restore failed:" + Environment.NewLine + output);
            }

            using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "obj", "project.assets.json")));
            var root = assets.RootElement;
            var packageFolder = root.GetProperty("packageFolders").EnumerateObject().First().Name;
            var libraries = root.GetProperty("libraries");
            foreach (var target in root.GetProperty("targets").EnumerateObject().First().Value.EnumerateObject())
            {
                if (target.Value.GetProperty("type").GetString() != "package")
                {
                    continue;
                }

                var path = Path.Combine(packageFolder, libraries.GetProperty(target.Name).GetProperty("path").GetString()!);
                if (target.Value.TryGetProperty("compile", out var items))
                {
                    compile.AddRange(items.EnumerateObject().Where(i => i.Name.EndsWith(".dll", StringComparison.Ordinal)).Select(i => Path.Combine(path, i.Name)));
                }

                var files = libraries.GetProperty(target.Name).GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
                analyzers.AddRange(CSharpAnalyzers(files).Select(f => Path.Combine(path, f)));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return (compile, analyzers);
    }

    // analyzers/dotnet/cs/*.dll, analyzers/dotnet/*.dll, or the newest analyzers/dotnet/roslynX.Y/cs/ this Roslyn can load.
    private static IEnumerable<string> CSharpAnalyzers(List<string> files)
    {
        var candidates = files.Where(f => f.StartsWith("analyzers/dotnet/", StringComparison.Ordinal) && f.EndsWith(".dll", StringComparison.Ordinal) &&
                                          !f.Contains("/vb/", StringComparison.Ordinal) && !f.Contains("/fs/", StringComparison.Ordinal) &&
                                          !f.Contains("/resources/", StringComparison.OrdinalIgnoreCase) && f.Count(c => c == '/') <= 4).ToList();
        var roslyn = typeof(Microsoft.CodeAnalysis.Compilation).Assembly.GetName().Version!;
        var versioned = candidates
            .Select(f => (File: f, Version: RoslynFolder(f)))
            .Where(c => c.Version is not null && c.Version <= roslyn)
            .ToList();
        if (versioned.Count > 0)
        {
            var best = versioned.Max(c => c.Version);
            return versioned.Where(c => c.Version == best).Select(c => c.File);
        }

        return candidates.Where(f => RoslynFolder(f) is null);
    }

    private static Version? RoslynFolder(string file)
    {
        var segment = file.Split('/').FirstOrDefault(s => s.StartsWith("roslyn", StringComparison.Ordinal));
        return segment is not null && Version.TryParse(segment["roslyn".Length..], out var version) ? version : null;
    }
}
