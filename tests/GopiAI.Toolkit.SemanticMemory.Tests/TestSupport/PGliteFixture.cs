using GopiAI.Toolkit.Testing;

namespace GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

/// <summary>One PGlite server (real PostgreSQL + pgvector over the wire protocol) per test class, on a free loopback port.</summary>
public sealed class PGliteFixture : IAsyncLifetime
{
    private PGliteServer? _server;

    /// <summary>The running server.</summary>
    public PGliteServer Server => _server ?? throw new InvalidOperationException("The PGlite server has not started.");

    /// <summary>A connection string for the server (see <see cref="PGliteServer.ConnectionString"/>).</summary>
    public string ConnectionString(int maxPoolSize = 4) => Server.ConnectionString(maxPoolSize);

    public async Task InitializeAsync() => _server = await PGliteServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
