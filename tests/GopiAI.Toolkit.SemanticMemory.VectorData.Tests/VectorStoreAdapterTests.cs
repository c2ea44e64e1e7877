using GopiAI.Toolkit.Testing;
using Microsoft.Extensions.VectorData;

namespace GopiAI.Toolkit.SemanticMemory.VectorData.Tests;

/// <summary>One real all-MiniLM-L6-v2 generator for the tests.</summary>
public sealed class ModelFixture : IDisposable
{
    public OnnxEmbeddingGenerator Generator { get; } = new();

    public void Dispose() => Generator.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ModelCollection : ICollectionFixture<ModelFixture>
{
    public const string Name = "model";
}

/// <summary>
/// The memory through Microsoft.Extensions.VectorData only (<see cref="VectorStore"/>, <see cref="VectorStoreCollection{TKey, TRecord}"/>,
/// <see cref="IKeywordHybridSearchable{TRecord}"/>), on each provider.
/// </summary>
public abstract class VectorStoreAdapterTests(ModelFixture model) : IAsyncLifetime
{
    private SemanticMemoryManager? _memory;

    protected abstract Task<MemoryConfig> ConfigAsync();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    private VectorStore Store => new SemanticMemoryVectorStore(_memory!);

    public async Task InitializeAsync() => _memory = await SemanticMemoryManager.OpenAsync(await ConfigAsync(), model.Generator);

    public async Task DisposeAsync()
    {
        if (_memory is not null)
        {
            await _memory.DisposeAsync();
        }

        await CleanUpAsync();
    }

    private static readonly MemoryRecord[] Records =
    [
        new() { Key = "pets", Content = "My cat Luna sleeps on the windowsill every afternoon.", Role = "user", Metadata = new() { ["team"] = "home" } },
        new() { Key = "db", Content = "The billing service failed with error ERR_CONN_4471 when the Postgres pool was exhausted.", Role = "assistant", Metadata = new() { ["team"] = "ops" } },
        new() { Key = "db2", Content = "Database connections time out when too many clients connect at once.", Role = "user", Metadata = new() { ["team"] = "ops" } },
        new() { Key = "trip", Content = "We are planning a hiking trip to the Dolomites in September.", Role = "user", Source = "travel.md", Metadata = new() { ["team"] = "home" } },
    ];

    [Fact]
    public async Task Collection_UpsertGetDelete_RoundTripsRecordsByKey()
    {
        var collection = Store.GetCollection<string, MemoryRecord>("notes");
        await collection.EnsureCollectionExistsAsync();
        Assert.False(await collection.CollectionExistsAsync());
        await collection.UpsertAsync(Records);
        await collection.UpsertAsync(Records[0]);
        await collection.UpsertAsync(new MemoryRecord { Key = "db2", Content = "Database connections now use a pool of fifty.", Metadata = new() { ["team"] = "ops" } });

        var trip = await collection.GetAsync("trip");
        var replaced = await collection.GetAsync("db2");
        var several = await collection.GetAsync(["pets", "missing", "db"]).ToListAsync();
        await collection.DeleteAsync("pets");

        Assert.True(await collection.CollectionExistsAsync());
        Assert.NotNull(trip);
        Assert.Equal(("trip", Records[3].Content, "user", "travel.md", "home"), (trip.Key, trip.Content, trip.Role, trip.Source, trip.Metadata["team"]));
        Assert.Equal("Database connections now use a pool of fifty.", replaced!.Content);
        Assert.Equal(["pets", "db"], several.Select(r => r.Key));
        Assert.Null(await collection.GetAsync("pets"));
        Assert.Null(await collection.GetAsync("missing"));
        Assert.DoesNotContain(await collection.SearchAsync("cat on the windowsill", 10).ToListAsync(), r => r.Record.Key == "pets");
    }

    [Fact]
    public async Task SearchAsync_Text_RanksByMeaningAndHonoursFiltersAndThreshold()
    {
        var collection = Store.GetCollection<string, MemoryRecord>("search");
        await collection.UpsertAsync(Records);

        var nearest = await collection.SearchAsync("Where is the kitty napping?", 1).ToListAsync();
        var filtered = await collection.SearchAsync("database trouble", 10, new VectorSearchOptions<MemoryRecord> { Filter = r => r.Role == "user" && r.Metadata["team"] == "ops" }).ToListAsync();
        var strict = await collection.SearchAsync("database trouble", 10, new VectorSearchOptions<MemoryRecord> { ScoreThreshold = 0.99 }).ToListAsync();
        var skipped = await collection.SearchAsync("database trouble", 2, new VectorSearchOptions<MemoryRecord> { Skip = 1 }).ToListAsync();
        var all = await collection.SearchAsync("database trouble", 3).ToListAsync();

        Assert.Equal("pets", Assert.Single(nearest).Record.Key);
        Assert.InRange(nearest[0].Score!.Value, 0.4, 1.0);
        Assert.Equal("db2", Assert.Single(filtered).Record.Key);
        Assert.Empty(strict);
        Assert.Equal(all.Skip(1).Select(r => r.Record.Key), skipped.Select(r => r.Record.Key));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await collection.SearchAsync(new ReadOnlyMemory<float>(new float[384]), 3).ToListAsync());
        await Assert.ThrowsAsync<NotSupportedException>(async () =>
            await collection.SearchAsync("x", 3, new VectorSearchOptions<MemoryRecord> { Filter = r => r.Content.Contains("cat") }).ToListAsync());
    }

    [Fact]
    public async Task HybridSearchAsync_Keywords_BringTheExactIdentifierFirst()
    {
        var collection = Store.GetCollection<string, MemoryRecord>("hybrid");
        await collection.UpsertAsync(Records);
        var hybrid = Assert.IsAssignableFrom<IKeywordHybridSearchable<MemoryRecord>>(collection);

        var results = await hybrid.HybridSearchAsync("which error did billing report?", ["ERR_CONN_4471"], 2).ToListAsync();
        var filtered = await hybrid.HybridSearchAsync("database", ["pool"], 5, new HybridSearchOptions<MemoryRecord> { Filter = r => r.Metadata["team"] == "home" }).ToListAsync();

        Assert.Equal("db", results[0].Record.Key);
        Assert.All(filtered, r => Assert.Equal("home", r.Record.Metadata["team"]));
    }

    [Fact]
    public async Task Collections_SameKeys_AreSeparateAndDeletedAlone()
    {
        var store = Store;
        var a = store.GetCollection<string, MemoryRecord>("team-a");
        var b = store.GetCollection<string, MemoryRecord>("team-b");
        await a.UpsertAsync(new MemoryRecord { Key = "k", Content = "Team A keeps the release checklist in the wiki." });
        await b.UpsertAsync(new MemoryRecord { Key = "k", Content = "Team B ships on Fridays after the demo." });

        var filteredGet = await a.GetAsync(r => r.Timestamp >= DateTimeOffset.UtcNow.AddHours(-1), 10).ToListAsync();
        await store.EnsureCollectionDeletedAsync("team-a");

        Assert.Equal("k", Assert.Single(filteredGet).Key);
        Assert.False(await store.CollectionExistsAsync("team-a"));
        Assert.True(await store.CollectionExistsAsync("team-b"));
        Assert.Null(await a.GetAsync("k"));
        Assert.Equal("Team B ships on Fridays after the demo.", (await b.GetAsync("k"))!.Content);
        Assert.Throws<NotSupportedException>(() => store.GetCollection<int, MemoryRecord>("numbers"));
    }
}

[Collection(ModelCollection.Name)]
public sealed class SqliteVectorStoreAdapterTests(ModelFixture model) : VectorStoreAdapterTests(model)
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gopiai-vectordata-tests", Guid.NewGuid().ToString("N"));

    protected override Task<MemoryConfig> ConfigAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.FromResult(new MemoryConfig { IndexPath = Path.Combine(_folder, "memory.db") });
    }

    protected override Task CleanUpAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The same through PostgreSQL (PGlite over the wire protocol), one server per class, one schema per test.</summary>
[Collection(ModelCollection.Name)]
public sealed class PostgresVectorStoreAdapterTests(ModelFixture model, PGliteClassFixture pglite) : VectorStoreAdapterTests(model), IClassFixture<PGliteClassFixture>
{
    protected override async Task<MemoryConfig> ConfigAsync() => new()
    {
        Provider = MemoryProvider.Postgres,
        ConnectionString = (await pglite.ServerAsync()).ConnectionString(),
        PostgresSchema = "vectordata_" + Guid.NewGuid().ToString("N")[..12],
    };
}

/// <summary>Starts PGlite once per class (lazily) and stops it after.</summary>
public sealed class PGliteClassFixture : IAsyncDisposable
{
    private readonly Lazy<Task<PGliteServer>> _server = new(() => PGliteServer.StartAsync());

    public Task<PGliteServer> ServerAsync() => _server.Value;

    public async ValueTask DisposeAsync()
    {
        if (_server.IsValueCreated)
        {
            await (await _server.Value).DisposeAsync();
        }
    }
}
