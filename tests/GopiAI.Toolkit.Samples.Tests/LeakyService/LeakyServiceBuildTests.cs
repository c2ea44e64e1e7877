using System.Text.RegularExpressions;

namespace GopiAI.Toolkit.Samples.Tests.LeakyService;

/// <summary>
/// Builds the LeakyService sample and its fixed twin with the real <c>dotnet build</c> and the repository's analyzers, and
/// checks the GOPI diagnostics against the <c>// expect: GOPInnnn</c> markers in the sample's sources.
/// </summary>
public sealed partial class LeakyServiceBuildTests
{
    private const string LeakyName = "GopiAI.Toolkit.Samples.LeakyService";
    private const string FixedName = "GopiAI.Toolkit.Samples.LeakyService.Fixed";

    private static readonly string[] AllRules =
    [
        "GOPI1001", "GOPI1002", "GOPI1003", "GOPI1004", "GOPI1005", "GOPI1006",
        "GOPI2001", "GOPI2002", "GOPI2003", "GOPI2004", "GOPI2005",
    ];

    [Fact]
    public async Task Build_LeakyService_SucceedsAndReportsExactlyTheMarkedDiagnostics()
    {
        var result = await BuildAsync(LeakyName);

        Assert.True(result.ExitCode == 0, $"The leaky sample must build (GOPI IDs are warnings, not errors).\n{result}");
        var expected = ExpectedDiagnostics(SamplePaths.Sample(LeakyName));
        var actual = ReportedDiagnostics(result.Output);
        Assert.Equal(Format(expected), Format(actual));
    }

    [Fact]
    public void Markers_LeakyService_CoverEveryDisposalAndGrowthRule()
    {
        var marked = ExpectedDiagnostics(SamplePaths.Sample(LeakyName)).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

        var missing = AllRules.Where(rule => !marked.Contains(rule)).ToArray();
        Assert.True(missing.Length == 0, "no `// expect:` marker for " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Build_FixedService_SucceedsWithoutGopiDiagnostics()
    {
        var result = await BuildAsync(FixedName);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(ReportedDiagnostics(result.Output));
        Assert.Empty(ExpectedDiagnostics(SamplePaths.Sample(FixedName)));
    }

    private static async Task<ProcessResult> BuildAsync(string sample)
    {
        var project = Path.Combine(SamplePaths.Sample(sample), sample + ".csproj");

        // First an ordinary build: restores the sample and brings its references (runtime, analyzers) up to date. It may
        // skip compiling the sample itself when that is up to date, and then prints no diagnostics, so the sample alone
        // is recompiled next and that output is the one judged.
        var prepare = await ProcessRunner.RunDotnetAsync(["build", project, "-nologo", "-clp:NoSummary"], SamplePaths.RepositoryRoot, TimeSpan.FromMinutes(4));
        if (prepare.ExitCode != 0)
        {
            return prepare;
        }

        return await ProcessRunner.RunDotnetAsync(
            ["build", project, "--no-incremental", "--no-dependencies", "--no-restore", "-nologo", "-clp:NoSummary"],
            SamplePaths.RepositoryRoot,
            TimeSpan.FromMinutes(3));
    }

    private static SortedSet<Diagnostic> ExpectedDiagnostics(string folder)
    {
        var expected = new SortedSet<Diagnostic>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match match in MarkerRegex().Matches(lines[i]))
                {
                    foreach (Capture id in match.Groups["id"].Captures)
                    {
                        expected.Add(new Diagnostic(Path.GetFileName(file), i + 1, id.Value));
                    }
                }
            }
        }

        return expected;
    }

    private static SortedSet<Diagnostic> ReportedDiagnostics(string buildOutput)
    {
        var reported = new SortedSet<Diagnostic>();
        foreach (Match match in WarningRegex().Matches(buildOutput))
        {
            reported.Add(new Diagnostic(Path.GetFileName(match.Groups["file"].Value), int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["id"].Value));
        }

        return reported;
    }

    private static string Format(IEnumerable<Diagnostic> diagnostics) => string.Join('\n', diagnostics.Select(d => $"{d.File}({d.Line}): {d.Id}"));

    [GeneratedRegex(@"//\s*expect:\s*(?:(?<id>GOPI\d{4})[,\s]*)+")]
    private static partial Regex MarkerRegex();

    [GeneratedRegex(@"(?<file>[^\s:()]+\.cs)\((?<line>\d+),\d+\): (?:warning|error|info) (?<id>GOPI\d{4}):", RegexOptions.Multiline)]
    private static partial Regex WarningRegex();

    private sealed record Diagnostic(string File, int Line, string Id) : IComparable<Diagnostic>
    {
        public int CompareTo(Diagnostic? other) =>
            other is null ? 1
            : string.CompareOrdinal(File, other.File) is var byFile and not 0 ? byFile
            : Line.CompareTo(other.Line) is var byLine and not 0 ? byLine
            : string.CompareOrdinal(Id, other.Id);
    }
}
