using System.Globalization;

namespace GopiAI.Toolkit.Testing;

/// <summary>
/// PGlite (real PostgreSQL compiled to WebAssembly, with pgvector) served over the PostgreSQL wire protocol by
/// <c>tests/Shared/PGlite/server.mjs</c> on a free loopback port, for one test class; stopped when disposed. Its
/// packages are installed by <c>scripts/provision/pglite.sh</c>, which the README's test command runs first.
/// PGlite runs one PostgreSQL backend: connections are real and concurrent, but queries run one at a time and a
/// transaction holds the server until it ends, so its timings are a floor.
/// </summary>
public sealed class PGliteServer : IAsyncDisposable
{
    private readonly LoopbackService _service;

    private PGliteServer(LoopbackService service) => _service = service;

    /// <summary>The loopback port the server listens on.</summary>
    public int Port => _service.Port;

    /// <summary>What the server has written so far (for failure messages).</summary>
    public string Output => _service.Output;

    /// <summary>Whether the server process is still running.</summary>
    public bool IsRunning => _service.IsRunning;

    /// <summary>The folder holding server.mjs, package.json and (once provisioned) node_modules.</summary>
    public static string Folder { get; } = FindFolder();

    /// <summary>Starts a server and waits until it accepts connections.</summary>
    /// <param name="maxConnections">Connections the server accepts at once (more are refused).</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    /// <exception cref="InvalidOperationException">Node.js or the packages are missing, or the server does not start.</exception>
    public static async Task<PGliteServer> StartAsync(int maxConnections = 8)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "@electric-sql", "pglite-socket")))
        {
            throw new InvalidOperationException(
                $"PGlite is not installed in {Folder}. Run the README's test command (bash scripts/test.sh), or bash scripts/provision/pglite.sh, which installs it.");
        }

        var service = await LoopbackService.StartAsync(
            "node",
            port => ["server.mjs", port.ToString(CultureInfo.InvariantCulture), maxConnections.ToString(CultureInfo.InvariantCulture)],
            readyTimeout: TimeSpan.FromSeconds(90),
            workingDirectory: Folder);
        return new PGliteServer(service);
    }

    /// <summary>
    /// An Npgsql connection string for this server. PGlite has one database and does no authentication or TLS;
    /// <paramref name="maxPoolSize"/> keeps the clients of one test within the server's connection limit.
    /// </summary>
    /// <param name="maxPoolSize">Most pooled connections a client opens.</param>
    /// <returns>The connection string.</returns>
    public string ConnectionString(int maxPoolSize = 4) => string.Create(CultureInfo.InvariantCulture,
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password=postgres;Database=postgres;SSL Mode=Disable;Maximum Pool Size={maxPoolSize};Timeout=30;Command Timeout=120");

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when the process is gone.</returns>
    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Shared", "PGlite");
            if (File.Exists(Path.Combine(candidate, "server.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/Shared/PGlite/server.mjs was not found above {AppContext.BaseDirectory}.");
    }
}
