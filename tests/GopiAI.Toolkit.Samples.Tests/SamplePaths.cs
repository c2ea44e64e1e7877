using System.Reflection;

namespace GopiAI.Toolkit.Samples.Tests;

/// <summary>Paths written into this assembly by MSBuild at build time.</summary>
internal static class SamplePaths
{
    public static string AssistantDll => Metadata("AssistantDll");

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    /// <summary>The GOPI_ARTIFACTS folder the tests were built with (empty when bin/obj sit next to each project).</summary>
    public static string ArtifactsPath => Metadata("ArtifactsPath", required: false);

    public static string Sample(string name) => Path.Combine(RepositoryRoot, "samples", name);

    private static string Metadata(string key, bool required = true)
    {
        var value = typeof(SamplePaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
        return !required ? value ?? string.Empty
            : string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"The build did not record '{key}' (see AddSamplePathsMetadata in the test project).") : value;
    }
}
