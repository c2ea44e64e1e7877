using System.Reflection;

namespace GopiAI.Toolkit.OpenTelemetry.Tests;

internal static class RepositoryPaths
{
    public static string Root { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value
        ?? throw new InvalidOperationException("The build did not record 'RepositoryRoot' (see the test project).");
}
