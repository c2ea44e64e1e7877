using System.Text.RegularExpressions;

namespace GopiAI.Toolkit.OpenTelemetry.Tests;

/// <summary>One row of the instrument table in docs/observability.md.</summary>
internal sealed record DocumentedInstrument(string Name, IReadOnlyList<string> Meters, string Kind, string Unit, IReadOnlyList<string> Tags);

/// <summary>Reads the tables of docs/observability.md.</summary>
internal static partial class ObservabilityDocs
{
    public static string Path => System.IO.Path.Combine(RepositoryPaths.Root, "docs", "observability.md");

    public static IReadOnlyList<DocumentedInstrument> Instruments() =>
        [.. File.ReadAllLines(Path).Select(l => InstrumentRow().Match(l)).Where(m => m.Success).Select(m => new DocumentedInstrument(
            m.Groups["name"].Value,
            [.. TagName().Matches(m.Groups["meters"].Value).Select(t => t.Groups[1].Value).Order(StringComparer.Ordinal)],
            m.Groups["kind"].Value,
            m.Groups["unit"].Value,
            [.. TagName().Matches(m.Groups["tags"].Value).Select(t => t.Groups[1].Value)]))];

    public static IReadOnlyList<string> Meters() =>
        [.. File.ReadAllLines(Path).Select(l => MeterRow().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    public static IReadOnlyList<string> ActivitySources() =>
        [.. File.ReadAllLines(Path).Select(l => SourceRow().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^\| `(?<name>gopi\.[^`]+)` \| (?<meters>`GopiAI[^|]+) \| (?<kind>\w+) \| `(?<unit>[^`]+)` \| (?<tags>[^|]+) \|")]
    private static partial Regex InstrumentRow();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex TagName();

    [GeneratedRegex(@"^\| `(GopiAI\.Toolkit\.[^`]+)` \| (?:every|the|a|`)")]
    private static partial Regex MeterRow();

    [GeneratedRegex(@"^\| `(GopiAI\.Toolkit\.[^`]+)` \| One ")]
    private static partial Regex SourceRow();
}
