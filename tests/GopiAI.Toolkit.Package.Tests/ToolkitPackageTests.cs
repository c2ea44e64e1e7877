using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text;

namespace GopiAI.Toolkit.Package.Tests;

/// <summary>
/// Packs GopiAI.Toolkit, then restores, builds and runs a consumer that references only the package, with its own
/// NuGet packages folder and no network sources (the package feed plus the machine's global packages folder).
/// </summary>
public sealed class ToolkitPackageTests : IClassFixture<PackedToolkit>
{
    private readonly PackedToolkit _package;

    public ToolkitPackageTests(PackedToolkit package) => _package = package;

    [Fact]
    public void Pack_Package_CarriesRuntimeGeneratorAnalyzerAndCodeFixAssemblies()
    {
        using var archive = ZipFile.OpenRead(_package.PackagePath);
        var entries = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("lib/net10.0/GopiAI.Toolkit.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/GopiAI.Toolkit.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/GopiAI.Toolkit.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/GopiAI.Toolkit.CodeFixes.dll", entries);
    }

    [Fact]
    public void Pack_Package_CarriesAnalysisModePresetsInBuildTransitive()
    {
        using var archive = ZipFile.OpenRead(_package.PackagePath);
        var entries = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("buildTransitive/GopiAI.Toolkit.targets", entries);
        foreach (var mode in new[] { "Default", "Strict", "None" })
        {
            Assert.Contains("buildTransitive/GopiAI.Toolkit.Analyzers." + mode + ".globalconfig", entries);
        }
    }

    [Fact]
    public void Consumer_UsesAllFourAttributes_RunsAsGenerated()
    {
        var output = _package.ConsumerOutput;

        Assert.Contains("cached: same=True calls=1 invalidated=True calls-after=2", output, StringComparison.Ordinal);
        Assert.Contains("pooled: reused=True reset=True", output, StringComparison.Ordinal);
        Assert.Contains("lazy: same=True built=1 registered=True", output, StringComparison.Ordinal);
        Assert.Contains("monitored: requests=2 hit-rate=0.5", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Consumer_Build_UsageAnalyzerFromPackageReports()
    {
        Assert.Contains("warning GOPI0010", _package.ConsumerBuildOutput, StringComparison.Ordinal);
    }
}

/// <summary>Does the slow part once for all tests: pack, write the consumer, build and run it.</summary>
public sealed class PackedToolkit : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gopi-package-test-" + Guid.NewGuid().ToString("N")[..8]);

    public PackedToolkit()
    {
        var repository = Metadata("RepositoryRoot");
        var version = Metadata("PackageVersion");
        var feed = Directory.CreateDirectory(Path.Combine(_root, "feed")).FullName;
        var consumer = Directory.CreateDirectory(Path.Combine(_root, "consumer")).FullName;

        // The pack uses the machine's normal NuGet folders; only the consumer gets an isolated one.
        Run(repository, isolated: false, "pack", Path.Combine(repository, "src", "GopiAI.Toolkit", "GopiAI.Toolkit.csproj"), "-c", "Debug", "-o", feed, "-nologo");
        PackagePath = Path.Combine(feed, "GopiAI.Toolkit." + version + ".nupkg");

        WriteConsumer(consumer, feed, version);
        ConsumerBuildOutput = Run(consumer, isolated: true, "build", "-c", "Debug", "-nologo");
        ConsumerOutput = Run(consumer, isolated: true, "run", "--no-build", "-c", "Debug");
    }

    public string PackagePath { get; }

    public string ConsumerBuildOutput { get; }

    public string ConsumerOutput { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the folder is in the temp directory.
        }
    }

    private static string Metadata(string key) =>
        typeof(PackedToolkit).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException(key + " was not written at build time.");

    private void WriteConsumer(string consumer, string feed, string version)
    {
        // Empty Directory.Build files stop MSBuild from picking up anything above the temporary folder.
        File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(_root, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(_root, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="toolkit" value="{feed}" />
                <add key="machine" value="{Metadata("NuGetPackageRoot")}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="GopiAI.Toolkit" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), ConsumerSource);
    }

    private string Run(string workingDirectory, bool isolated, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (isolated)
        {
            start.Environment["NUGET_PACKAGES"] = Path.Combine(_root, "packages");
            start.Environment.Remove("GOPI_ARTIFACTS");
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet " + string.Join(' ', arguments) + " did not finish in " + CommandTimeout + ":\n" + output);
        }

        process.WaitForExit();
        var text = output.ToString();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet " + string.Join(' ', arguments) + " failed with exit code " + process.ExitCode + ":\n" + text);
        }

        return text;
    }

    private const string ConsumerSource = """
        using GopiAI.Toolkit;
        using GopiAI.Toolkit.Monitoring;
        using GopiAI.Toolkit.Startup;

        var weather = new Consumer.WeatherService();
        var first = await weather.GetForecastAsync("Paris");
        var second = await weather.GetForecastAsync("Paris");
        var callsBefore = weather.Calls;
        var invalidated = weather.InvalidateGetForecastAsync("Paris");
        await weather.GetForecastAsync("Paris");
        Console.WriteLine($"cached: same={ReferenceEquals(first, second)} calls={callsBefore} invalidated={invalidated} calls-after={weather.Calls}");

        Consumer.ScratchBuffer used;
        using (var lease = Consumer.ScratchBuffer.RentScoped())
        {
            used = lease.Value;
            used.Data[0] = 42;
        }

        var rented = Consumer.ScratchBuffer.Rent();
        Console.WriteLine($"pooled: reused={ReferenceEquals(used, rented)} reset={rented.Data[0] == 0}");
        Consumer.ScratchBuffer.Return(rented);

        var model = Consumer.EmbeddingModel.Instance;
        var registered = StartupOptimizer.Shared.GetStartupReport().Components.Any(c => c.Name == "Consumer.EmbeddingModel" && c.Loaded);
        Console.WriteLine($"lazy: same={ReferenceEquals(model, Consumer.EmbeddingModel.Instance)} built={Consumer.EmbeddingModel.Built} registered={registered}");

        weather.Square(3);
        weather.Square(3);
        var stats = ApiPerformanceMonitor.Shared.GetEndpointStats()["consumer.square"];
        Console.WriteLine($"monitored: requests={stats.Requests} hit-rate={stats.CacheHitRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

        namespace Consumer
        {
            public sealed record Forecast(string City, int Temperature);

            public partial class WeatherService
            {
                public int Calls { get; private set; }

                [Cached(300)]
                public partial Task<Forecast> GetForecastAsync(string city, CancellationToken ct = default);

                private async Task<Forecast> GetForecastAsyncCore(string city, CancellationToken ct)
                {
                    Calls++;
                    await Task.Delay(1, ct);
                    return new Forecast(city, 21);
                }

                [Cached(60), Monitored(Name = "consumer.square")]
                public partial int Square(int x);

                private int SquareCore(int x) => x * x;
            }

            [Pooled(MaxRetained = 4)]
            public sealed partial class ScratchBuffer
            {
                public byte[] Data { get; } = new byte[4096];

                public void Reset() => Array.Clear(Data);
            }

            [LazyStartup(Priority = 1)]
            public sealed partial class EmbeddingModel
            {
                public static int Built { get; private set; }

                public EmbeddingModel() => Built++;
            }

            // GOPI0010 (a warning): the threshold needs an ILogger to log to. Proves the analyzers arrive with the package.
            [Monitored(SlowThresholdMs = 500)]
            public partial class Quiet
            {
                public partial void Run();

                private void RunCore() { }
            }
        }
        """;
}
