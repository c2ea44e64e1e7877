using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Tests.Repository;

/// <summary>Every rule in <see cref="Descriptors"/> is documented, release-tracked and reported by an analyzer.</summary>
public sealed class DescriptorsTests
{
    public static TheoryData<string> RuleIds => [.. AllDescriptors().Select(d => d.Id)];

    [Fact]
    public void Descriptors_Reflected_FindsEveryRuleFamily()
    {
        var ids = AllDescriptors().Select(d => d.Id).ToList();

        Assert.Contains(ids, id => id.StartsWith("GOPI0", StringComparison.Ordinal));
        Assert.Contains(ids, id => id.StartsWith("GOPI1", StringComparison.Ordinal));
        Assert.Contains(ids, id => id.StartsWith("GOPI2", StringComparison.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Descriptors_SharedId_OnlyALiveAndACompilationEndTwin()
    {
        foreach (var group in EveryDescriptor().GroupBy(d => d.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var twins = group.ToList();
            Assert.Equal(2, twins.Count);
            var live = Assert.Single(twins, d => !d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd));
            var end = Assert.Single(twins, d => d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd));
            Assert.Equal(live.MessageFormat.ToString(), end.MessageFormat.ToString());
            Assert.Equal(live.Title.ToString(), end.Title.ToString());
            Assert.Equal(live.Category, end.Category);
            Assert.Equal(live.DefaultSeverity, end.DefaultSeverity);
            Assert.Equal(live.HelpLinkUri, end.HelpLinkUri);
        }
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Descriptor_Rule_HasDocsPageAndHelpLink(string id)
    {
        var descriptor = Find(id);
        var page = RepositoryPaths.Combine("docs", "rules", id + ".md");

        Assert.True(File.Exists(page), $"{id} has no documentation page at {page}.");
        Assert.EndsWith("/docs/rules/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.Contains("# " + id, File.ReadAllText(page), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Descriptor_Rule_IsInAnalyzerReleasesWithItsCategoryAndSeverity(string id)
    {
        var descriptor = Find(id);
        var row = ReleaseRows().SingleOrDefault(r => r.Id == id);

        Assert.True(row is not null, $"{id} is missing from AnalyzerReleases.Shipped.md / AnalyzerReleases.Unshipped.md.");
        Assert.Equal(descriptor.Category, row.Category);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row.Severity);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Descriptor_Rule_IsReportedByTheAnalyzerItsReleaseRowNames(string id)
    {
        var row = ReleaseRows().Single(r => r.Id == id);
        var reporters = AllAnalyzers().Where(a => a.SupportedDiagnostics.Any(d => d.Id == id)).ToList();

        var named = row.Notes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        Assert.NotEmpty(reporters);
        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Contains(reporters, a => a.GetType().Name == name));
    }

    /// <summary>One descriptor per rule: the live one where a rule also has a compilation-end twin.</summary>
    internal static IReadOnlyList<DiagnosticDescriptor> AllDescriptors() =>
        [.. EveryDescriptor()
            .GroupBy(d => d.Id, StringComparer.Ordinal)
            .Select(g => g.OrderBy(d => d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd)).First())];

    private static IReadOnlyList<DiagnosticDescriptor> EveryDescriptor() =>
        [.. typeof(Descriptors)
            .GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)];

    internal static IReadOnlyList<DiagnosticAnalyzer> AllAnalyzers() =>
        [.. typeof(Descriptors).Assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];

    private static DiagnosticDescriptor Find(string id) => AllDescriptors().Single(d => d.Id == id);

    private static List<ReleaseRow> ReleaseRows()
    {
        var rows = new List<ReleaseRow>();
        foreach (var file in new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" })
        {
            foreach (var line in File.ReadLines(RepositoryPaths.Combine("analyzers", "GopiAI.Toolkit.Analyzers", file)))
            {
                var cells = line.Split('|', StringSplitOptions.TrimEntries);
                if (cells.Length >= 4 && cells[0].StartsWith("GOPI", StringComparison.Ordinal))
                {
                    rows.Add(new ReleaseRow(cells[0], cells[1], cells[2], cells[3]));
                }
            }
        }

        return rows;
    }

    private sealed record ReleaseRow(string Id, string Category, string Severity, string Notes);
}
