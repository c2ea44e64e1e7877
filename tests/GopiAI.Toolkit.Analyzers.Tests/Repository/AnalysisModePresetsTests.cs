using System.Collections.Immutable;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GopiAI.Toolkit.Analyzers.Tests.Repository;

/// <summary>
/// The GopiAIAnalysisMode presets (analyzers/GopiAI.Toolkit.Analyzers/buildTransitive) set the severities
/// docs/analyzers.md promises, read through Roslyn's own global-config parser.
/// </summary>
public sealed class AnalysisModePresetsTests
{
    private static readonly string PresetFolder = RepositoryPaths.Combine("analyzers", "GopiAI.Toolkit.Analyzers", "buildTransitive");

    public static TheoryData<string> RuleIds => DescriptorsTests.RuleIds;

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void DefaultPreset_Rule_KeepsTheDescriptorDefault(string id)
    {
        var descriptor = DescriptorsTests.AllDescriptors().Single(d => d.Id == id);

        Assert.Equal(ToReport(descriptor.DefaultSeverity), Severities("Default")[id]);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void StrictPreset_Rule_IsAnErrorExceptProducerQueuesAsWarning(string id)
    {
        var expected = id == "GOPI2005" ? ReportDiagnostic.Warn : ReportDiagnostic.Error;

        Assert.Equal(expected, Severities("Strict")[id]);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void NonePreset_Rule_TurnsLeakRulesOffAndKeepsUsageRules(string id)
    {
        var descriptor = DescriptorsTests.AllDescriptors().Single(d => d.Id == id);
        var expected = id.StartsWith("GOPI0", StringComparison.Ordinal) ? ToReport(descriptor.DefaultSeverity) : ReportDiagnostic.Suppress;

        Assert.Equal(expected, Severities("None")[id]);
    }

    [Theory]
    [InlineData("Default")]
    [InlineData("Strict")]
    [InlineData("None")]
    public void Preset_Parsed_IsALowLevelGlobalConfigWithoutUnknownRules(string mode)
    {
        var lines = File.ReadAllLines(Path.Combine(PresetFolder, $"GopiAI.Toolkit.Analyzers.{mode}.globalconfig"));
        var known = DescriptorsTests.AllDescriptors().Select(d => d.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Contains("is_global = true", lines);
        Assert.Contains("global_level = -1", lines);
        Assert.All(Severities(mode).Keys, id => Assert.Contains(id, known));
    }

    [Fact]
    public void Targets_AnalysisMode_AddsTheChosenPresetToGlobalAnalyzerConfigFiles()
    {
        var targets = XDocument.Load(Path.Combine(PresetFolder, "GopiAI.Toolkit.targets"));
        XNamespace ns = targets.Root!.Name.Namespace;

        var mode = targets.Descendants(ns + "GopiAIAnalysisMode").Single();
        Assert.Equal("Default", mode.Value);
        Assert.Equal("'$(GopiAIAnalysisMode)' == ''", mode.Attribute("Condition")?.Value);

        var configPath = targets.Descendants(ns + "_GopiAIAnalysisModeConfig").Single().Value;
        Assert.Equal("$(MSBuildThisFileDirectory)GopiAI.Toolkit.Analyzers.$(GopiAIAnalysisMode).globalconfig", configPath);
        Assert.Equal("$(_GopiAIAnalysisModeConfig)", targets.Descendants(ns + "GlobalAnalyzerConfigFiles").Single().Attribute("Include")?.Value);
        Assert.Contains(targets.Descendants(ns + "Error"), e => e.Attribute("Text")!.Value.Contains("Default, Strict or None", StringComparison.Ordinal));
        foreach (var preset in new[] { "Default", "Strict", "None" })
        {
            Assert.True(File.Exists(Path.Combine(PresetFolder, configPath.Replace("$(MSBuildThisFileDirectory)", string.Empty, StringComparison.Ordinal).Replace("$(GopiAIAnalysisMode)", preset, StringComparison.Ordinal))));
        }
    }

    [Fact]
    public void EditorConfig_RuleOverride_BeatsThePreset()
    {
        var editorConfig = AnalyzerConfig.Parse("root = true\n\n[*.cs]\ndotnet_diagnostic.GOPI2001.severity = none\n", "/repo/.editorconfig");
        var set = AnalyzerConfigSet.Create(ImmutableArray.Create(editorConfig, Parse("Strict")), out _);

        var options = set.GetOptionsForSourcePath("/repo/src/Foo.cs").TreeOptions;

        Assert.Equal(ReportDiagnostic.Suppress, options["GOPI2001"]);
        Assert.Equal(ReportDiagnostic.Error, set.GlobalConfigOptions.TreeOptions["GOPI2002"]);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void AnalyzersGuide_RuleRow_ShowsThePresetSeverities(string id)
    {
        var row = File.ReadLines(RepositoryPaths.Combine("docs", "analyzers.md"))
            .SingleOrDefault(l => l.StartsWith($"| [{id}](rules/{id}.md) |", StringComparison.Ordinal));
        Assert.True(row is not null, $"docs/analyzers.md has no row for {id}.");

        var cells = row.Split('|', StringSplitOptions.TrimEntries);
        Assert.Equal(Word(Severities("Default")[id]), cells[3]);
        Assert.Equal(Word(Severities("Strict")[id]), cells[4]);
        Assert.Equal(Word(Severities("None")[id]), cells[5]);
    }

    private static string Word(ReportDiagnostic report) => report switch
    {
        ReportDiagnostic.Error => "error",
        ReportDiagnostic.Warn => "warning",
        ReportDiagnostic.Info => "suggestion",
        ReportDiagnostic.Hidden => "silent",
        _ => "none",
    };

    private static AnalyzerConfig Parse(string mode)
    {
        var path = Path.Combine(PresetFolder, $"GopiAI.Toolkit.Analyzers.{mode}.globalconfig");
        return AnalyzerConfig.Parse(File.ReadAllText(path), path);
    }

    private static ImmutableDictionary<string, ReportDiagnostic> Severities(string mode)
    {
        var set = AnalyzerConfigSet.Create(ImmutableArray.Create(Parse(mode)), out var diagnostics);
        Assert.Empty(diagnostics);
        return set.GlobalConfigOptions.TreeOptions;
    }

    private static ReportDiagnostic ToReport(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => ReportDiagnostic.Error,
        DiagnosticSeverity.Warning => ReportDiagnostic.Warn,
        DiagnosticSeverity.Info => ReportDiagnostic.Info,
        _ => ReportDiagnostic.Hidden,
    };
}
