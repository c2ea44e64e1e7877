using System.Globalization;

namespace GopiAI.Toolkit.Samples.Assistant;

/// <summary>The assistant's command-line options.</summary>
public sealed record AssistantOptions
{
    /// <summary>The usage text printed by <c>--help</c> and after an invalid argument.</summary>
    public const string Usage = """
        Usage: GopiAI.Toolkit.Samples.Assistant [options]

          --db <path>                 memory database (default: assistant-memory.db in the current folder)
          --data <file.jsonl>         conversations to ingest on first run (default: the bundled Data/conversations.jsonl)
          --questions <file.json>     scripted questions (default: the bundled Data/questions.json)
          --no-interactive            run the scripted session only, no prompt
          --report <file.html>        write the HTML performance report
          --dashboard <url>           serve the live dashboard at <url>/gopiai (e.g. http://127.0.0.1:5080) during the
                                      run and afterwards, until Ctrl+C; loopback clients only
          --simulate-pressure         allocate memory until the monitor reacts, then show what the clean-up freed
          --token-budget <n>          token budget of each answer's context (default 300)
          --top <n>                   results shown per question (default 3)
          --memory-alert-mb <n>       managed-heap size that raises a memory alert (default 512)
          --slow-endpoint-ms <n>      p95 latency that raises a slow-endpoint alert (default 250)
          -h, --help                  show this help
        """;

    /// <summary>Gets the SQLite memory file.</summary>
    public string DatabasePath { get; init; } = "assistant-memory.db";

    /// <summary>Gets the JSONL conversation set ingested on first run.</summary>
    public string DataPath { get; init; } = Path.Combine(AppContext.BaseDirectory, "Data", "conversations.jsonl");

    /// <summary>Gets the JSON file with the scripted questions.</summary>
    public string QuestionsPath { get; init; } = Path.Combine(AppContext.BaseDirectory, "Data", "questions.json");

    /// <summary>Gets a value indicating whether the interactive prompt runs after the scripted session.</summary>
    public bool Interactive { get; init; } = true;

    /// <summary>Gets the HTML report to write, or <see langword="null"/> for none.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Gets the address the live dashboard listens on, or <see langword="null"/> for none.</summary>
    public Uri? DashboardUrl { get; init; }

    /// <summary>Gets a value indicating whether to allocate until the memory monitor reacts.</summary>
    public bool SimulatePressure { get; init; }

    /// <summary>Gets the token budget of each assembled context.</summary>
    public int TokenBudget { get; init; } = 300;

    /// <summary>Gets how many results are shown per question.</summary>
    public int TopResults { get; init; } = 3;

    /// <summary>Gets the alert thresholds.</summary>
    public AlertOptions Alerts { get; init; } = new();

    /// <summary>Gets a value indicating whether only the usage text was asked for.</summary>
    public bool ShowHelp { get; init; }

    /// <summary>Parses the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An argument is unknown, lacks its value, or has an invalid value (the message says which).</exception>
    public static AssistantOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new AssistantOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            options = arg switch
            {
                "--db" => options with { DatabasePath = Value(args, ref i) },
                "--data" => options with { DataPath = Value(args, ref i) },
                "--questions" => options with { QuestionsPath = Value(args, ref i) },
                "--no-interactive" => options with { Interactive = false },
                "--report" => options with { ReportPath = Value(args, ref i) },
                "--dashboard" => options with { DashboardUrl = HttpUrl(args, ref i) },
                "--simulate-pressure" => options with { SimulatePressure = true },
                "--token-budget" => options with { TokenBudget = Positive(args, ref i, 16) },
                "--top" => options with { TopResults = Positive(args, ref i, 1) },
                "--memory-alert-mb" => options with { Alerts = options.Alerts with { MemoryAlertBytes = Positive(args, ref i, 1) * 1024L * 1024L, MemoryAlertExplicit = true } },
                "--slow-endpoint-ms" => options with { Alerts = options.Alerts with { SlowEndpointThreshold = TimeSpan.FromMilliseconds(Positive(args, ref i, 1)) } },
                "-h" or "--help" => options with { ShowHelp = true },
                _ => throw new ArgumentException($"Unknown argument '{arg}'.", nameof(args)),
            };
        }

        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        var name = args[i];
        if (i + 1 >= args.Count || string.IsNullOrWhiteSpace(args[i + 1]) || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' needs a value.", nameof(args));
        }

        return args[++i];
    }

    private static Uri HttpUrl(IReadOnlyList<string> args, ref int i)
    {
        var name = args[i];
        var text = Value(args, ref i);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || url.AbsolutePath != "/" || url.Query.Length > 0)
        {
            throw new ArgumentException($"'{name}' needs an http:// address with a host and port, such as http://127.0.0.1:5080, not '{text}'.", nameof(args));
        }

        return url;
    }

    private static int Positive(IReadOnlyList<string> args, ref int i, int minimum)
    {
        var name = args[i];
        var text = Value(args, ref i);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < minimum)
        {
            throw new ArgumentException($"'{name}' must be a whole number of at least {minimum}, not '{text}'.", nameof(args));
        }

        return value;
    }
}

/// <summary>Thresholds of the assistant's alerts.</summary>
public sealed record AlertOptions
{
    /// <summary>Gets the managed-heap size in bytes above which a memory alert is raised and caches and pools are trimmed.</summary>
    public long MemoryAlertBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Gets a value indicating whether <see cref="MemoryAlertBytes"/> was given on the command line (the pressure simulation keeps it then).</summary>
    public bool MemoryAlertExplicit { get; init; }

    /// <summary>Gets the p95 latency above which an endpoint raises a slow-endpoint alert.</summary>
    public TimeSpan SlowEndpointThreshold { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gets how often memory is sampled.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(200);
}
