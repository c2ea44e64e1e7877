using System.Diagnostics;
using System.Text.Json;

namespace GopiAI.Toolkit.Analyzers.Tests.Repository;

/// <summary>
/// Evaluates the shipped GopiAI.Toolkit.targets with the real MSBuild (<c>dotnet msbuild</c>) in a throwaway project:
/// the chosen mode's preset joins <c>@(GlobalAnalyzerConfigFiles)</c>, Default applies when unset, and an unknown mode
/// fails the build with a message naming the choices.
/// </summary>
public sealed class AnalysisModeTargetsTests : IDisposable
{
    private static readonly string Targets = RepositoryPaths.Combine("analyzers", "GopiAI.Toolkit.Analyzers", "buildTransitive", "GopiAI.Toolkit.targets");

    private readonly string _directory = Directory.CreateTempSubdirectory("gopi-modes-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("Strict", "GopiAI.Toolkit.Analyzers.Strict.globalconfig")]
    [InlineData("None", "GopiAI.Toolkit.Analyzers.None.globalconfig")]
    [InlineData("", "GopiAI.Toolkit.Analyzers.Default.globalconfig")]
    public async Task Targets_AnalysisMode_AddsThatPresetToGlobalAnalyzerConfigFiles(string mode, string expectedFile)
    {
        var project = WriteProject(mode);

        var (exitCode, output) = await MSBuildAsync(project, "-getItem:GlobalAnalyzerConfigFiles");

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(output);
        var items = json.RootElement.GetProperty("Items").GetProperty("GlobalAnalyzerConfigFiles").EnumerateArray()
            .Select(i => i.GetProperty("FullPath").GetString()!)
            .ToList();
        var preset = Assert.Single(items);
        Assert.Equal(expectedFile, Path.GetFileName(preset));
        Assert.True(File.Exists(preset));
    }

    [Fact]
    public async Task Targets_UnknownMode_FailsTheBuildNamingTheChoices()
    {
        var project = WriteProject("Paranoid");

        var (exitCode, output) = await MSBuildAsync(project, "-t:CoreCompile");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("GopiAIAnalysisMode 'Paranoid' is not supported: use Default, Strict or None.", output, StringComparison.Ordinal);
    }

    private string WriteProject(string mode)
    {
        var path = Path.Combine(_directory, "Consumer.proj");
        var property = mode.Length == 0 ? string.Empty : $"<PropertyGroup><GopiAIAnalysisMode>{mode}</GopiAIAnalysisMode></PropertyGroup>";
        File.WriteAllText(path, $"""
            <Project>
              {property}
              <Import Project="{Targets}" />
              <Target Name="CoreCompile" />
            </Project>
            """);
        return path;
    }

    private static async Task<(int ExitCode, string Output)> MSBuildAsync(string project, string argument)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(project)!,
        };
        foreach (var arg in new[] { "msbuild", project, argument, "-nologo", "-nodeReuse:false" })
        {
            start.ArgumentList.Add(arg);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
