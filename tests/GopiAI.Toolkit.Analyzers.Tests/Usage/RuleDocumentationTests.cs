using System.Reflection;
using Microsoft.CodeAnalysis;

namespace GopiAI.Toolkit.Analyzers.Tests.Usage;

public class RuleDocumentationTests
{
    [Fact]
    public void UsageDescriptors_EachHasDocPageAndReleaseEntry()
    {
        var root = FindRepositoryRoot();
        var descriptors = typeof(Descriptors).GetFields(BindingFlags.Static | BindingFlags.NonPublic)
            .Select(f => f.GetValue(null)).OfType<DiagnosticDescriptor>()
            .Where(d => d.Id.StartsWith("GOPI0", StringComparison.Ordinal)).ToList();
        var releases = File.ReadAllText(Path.Combine(root, "analyzers", "GopiAI.Toolkit.Analyzers", "AnalyzerReleases.Unshipped.md"));

        Assert.Equal(10, descriptors.Count);
        foreach (var descriptor in descriptors)
        {
            var page = Path.Combine(root, "docs", "rules", descriptor.Id + ".md");
            Assert.True(File.Exists(page), "missing " + page);
            Assert.Contains("# " + descriptor.Id, File.ReadAllText(page), StringComparison.Ordinal);
            Assert.EndsWith("docs/rules/" + descriptor.Id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
            Assert.Contains(descriptor.Id + " | " + descriptor.Category, releases, StringComparison.Ordinal);
        }
    }

    private static string FindRepositoryRoot()
    {
        // Tests run from the GOPI_ARTIFACTS output folder; the source path of this file leads back to the repository.
        var directory = new DirectoryInfo(Path.GetDirectoryName(SourcePath())!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GopiAI.Toolkit.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    private static string SourcePath([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
