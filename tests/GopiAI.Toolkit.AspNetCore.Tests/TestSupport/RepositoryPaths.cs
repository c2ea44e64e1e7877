using System.Reflection;

namespace GopiAI.Toolkit.AspNetCore.Tests.TestSupport;

/// <summary>Paths written into this assembly by MSBuild at build time.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value
        ?? throw new InvalidOperationException("The build did not record 'RepositoryRoot' (see the test project).");

    public static string Docs(string name) => Path.Combine(Root, "docs", name);

    /// <summary>Where screenshots and other test artifacts go: GOPI_TEST_ARTIFACTS, else TestResults/artifacts in the repository (git-ignored).</summary>
    public static string Artifact(string name)
    {
        var folder = Environment.GetEnvironmentVariable("GOPI_TEST_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Root, "TestResults", "artifacts");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
