using GopiAI.Toolkit.SemanticMemory;
using Microsoft.Extensions.AI;

namespace GopiAI.Toolkit.Cli;

/// <summary>Where <see cref="CliApp"/> reads and writes, so that the tool runs the same in a terminal and in-process in tests.</summary>
public sealed record CliSettings
{
    /// <summary>Standard output: results, tables, progress. Defaults to <see cref="Console.Out"/>.</summary>
    public TextWriter Output { get; init; } = Console.Out;

    /// <summary>Standard error: one line per failure. Defaults to <see cref="Console.Error"/>.</summary>
    public TextWriter Error { get; init; } = Console.Error;

    /// <summary>Standard input, read by <c>gopiai memory add -</c>. Defaults to <see cref="Console.In"/>.</summary>
    public TextReader Input { get; init; } = Console.In;

    /// <summary>
    /// Whether <see cref="Output"/> is an interactive terminal (colours, live progress bar, box-drawing tables).
    /// <see langword="null"/> detects it: true only for the real console when standard output is not redirected.
    /// </summary>
    public bool? Interactive { get; init; }

    /// <summary>Folder that relative paths (the default <c>--db</c>, inputs) resolve against. Defaults to the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Embedding generator to use instead of loading the bundled model for each command (not disposed by the tool).
    /// <see langword="null"/> loads all-MiniLM-L6-v2 from <c>--model</c> or <c>models/all-MiniLM-L6-v2</c> next to the tool.
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>>? EmbeddingGenerator { get; init; }

    /// <summary>Time source for the stored documents' timestamps. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets a configuration for <paramref name="path"/> with the tool's defaults.</summary>
    internal MemoryConfig CreateConfig(string path, string? modelPath, TimeSpan busyTimeout) => new()
    {
        IndexPath = path,
        ModelPath = modelPath,
        BusyTimeout = busyTimeout,
        TimeProvider = TimeProvider,
    };

    /// <summary>The settings of a memory on PostgreSQL (<see cref="MemoryProvider.Postgres"/>).</summary>
    internal MemoryConfig CreatePostgresConfig(string connectionString, string schema, string? modelPath) => new()
    {
        Provider = MemoryProvider.Postgres,
        ConnectionString = connectionString,
        PostgresSchema = schema,
        ModelPath = modelPath,
        TimeProvider = TimeProvider,
    };
}
