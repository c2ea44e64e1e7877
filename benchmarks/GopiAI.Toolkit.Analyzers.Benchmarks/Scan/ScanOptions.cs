namespace GopiAI.Toolkit.Analyzers.Benchmarks.Scan;

/// <summary>
/// The options of <c>--scan</c>: which C# sources to compile, against what, and which analyzer sets to run over them.
/// Nothing here knows any particular repository: every library is described by its command line.
/// </summary>
internal sealed class ScanOptions
{
    /// <summary>Folders scanned recursively for <c>*.cs</c> (bin/ and obj/ skipped).</summary>
    public List<string> Folders { get; } = [];

    /// <summary>Single source files added as they are (e.g. a file the project links from elsewhere).</summary>
    public List<string> Files { get; } = [];

    /// <summary>Path fragments (e.g. <c>/Tests/</c>) that exclude a scanned file.</summary>
    public List<string> Excludes { get; } = [];

    /// <summary>NuGet packages (<c>Id/Version</c>) restored for the target framework; their compile assets are referenced and their source generators run.</summary>
    public List<string> Packages { get; } = [];

    /// <summary>Extra reference assemblies by path.</summary>
    public List<string> References { get; } = [];

    /// <summary>Preprocessor symbols on top of the target framework's own (<c>NET</c>, <c>NET10_0_OR_GREATER</c>...).</summary>
    public List<string> Defines { get; } = [];

    /// <summary>Extra global usings (what a project's <c>&lt;Using Include="..."/&gt;</c> items add).</summary>
    public List<string> Usings { get; } = [];

    /// <summary><c>file.resx=Namespace.Class</c>: a strongly typed accessor class generated like MSBuild's <c>GenerateResxSource</c>.</summary>
    public List<string> Resources { get; } = [];

    /// <summary>The analyzer sets to run: <c>gopi</c>, <c>idisp</c>, <c>ca</c>.</summary>
    public List<string> Sets { get; } = [];

    /// <summary>The C# language version (<c>latest</c> when not given).</summary>
    public string LanguageVersion { get; set; } = "latest";

    /// <summary>Whether nullable reference types are enabled (the default).</summary>
    public bool Nullable { get; set; } = true;

    /// <summary>Whether unsafe code is allowed.</summary>
    public bool Unsafe { get; set; }

    /// <summary>Whether the SDK's implicit global usings are added.</summary>
    public bool ImplicitUsings { get; set; }

    /// <summary>How many timed runs per set (0: no timing, just the diagnostics).</summary>
    public int TimingRuns { get; set; }

    /// <summary>The root that printed paths are relative to: the first folder.</summary>
    public string Root => Folders.Count > 0 ? Folders[0] : Directory.GetCurrentDirectory();

    /// <summary>Parses the arguments that follow <c>--scan</c>.</summary>
    /// <exception cref="ArgumentException">An option is unknown or lacks its value.</exception>
    public static ScanOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ScanOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--folder": options.Folders.Add(Path.GetFullPath(Value())); break;
                case "--file": options.Files.Add(Path.GetFullPath(Value())); break;
                case "--exclude": options.Excludes.Add(Value()); break;
                case "--package": options.Packages.Add(Value()); break;
                case "--reference": options.References.Add(Path.GetFullPath(Value())); break;
                case "--define": options.Defines.AddRange(Value().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                case "--using": options.Usings.Add(Value()); break;
                case "--resx": options.Resources.Add(Value()); break;
                case "--sets": options.Sets.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                case "--langversion": options.LanguageVersion = Value(); break;
                case "--nullable": options.Nullable = Value() is "enable" or "true"; break;
                case "--unsafe": options.Unsafe = true; break;
                case "--implicit-usings": options.ImplicitUsings = true; break;
                case "--timing": options.TimingRuns = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        if (options.Folders.Count == 0 && options.Files.Count == 0)
        {
            throw new ArgumentException("Give at least one --folder or --file.");
        }

        if (options.Sets.Count == 0)
        {
            options.Sets.AddRange(["gopi", "idisp", "ca"]);
        }

        return options;
    }
}
