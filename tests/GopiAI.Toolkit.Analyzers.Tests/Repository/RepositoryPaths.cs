using System.Reflection;

namespace GopiAI.Toolkit.Analyzers.Tests.Repository;

/// <summary>Paths MSBuild wrote into the test assembly at build time (see the test project's GopiWriteRepositoryScanInfo target).</summary>
internal static class RepositoryPaths
{
    /// <summary>Gets the repository root (the folder holding GopiAI.Toolkit.sln).</summary>
    public static string Root { get; } = Metadata("GopiRepositoryRoot");

    /// <summary>Gets the file listing the reference assemblies used to compile src/ and samples/.</summary>
    public static string ScanReferences { get; } = Metadata("GopiScanReferences");

    /// <summary>Combines <paramref name="parts"/> under the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Metadata(string key) =>
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no '{key}' metadata.");
}
