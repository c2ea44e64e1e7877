using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Npgsql;
using Pgvector;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage.Postgres;

/// <summary>
/// The test server itself: PGlite speaks the PostgreSQL wire protocol to Npgsql, has pgvector, and serves two
/// connections at once. If these fail, every PostgreSQL test would fail for a reason that is not the engine's.
/// </summary>
public sealed class PGliteServerTests(PGliteFixture pglite) : IClassFixture<PGliteFixture>
{
    [Fact]
    public async Task Server_Pgvector_HnswCosineQueryRanksNearestFirst()
    {
        var builder = new NpgsqlDataSourceBuilder(pglite.ConnectionString());
        builder.UseVector();
        await using var dataSource = builder.Build();
        await using var connection = await dataSource.OpenConnectionAsync();
        await Execute(connection, "CREATE EXTENSION IF NOT EXISTS vector");
        await connection.ReloadTypesAsync();
        await Execute(connection, "CREATE TABLE smoke_items (id int PRIMARY KEY, embedding vector(3) NOT NULL)");
        await Execute(connection, "CREATE INDEX smoke_items_hnsw ON smoke_items USING hnsw (embedding vector_cosine_ops)");
        float[][] vectors = [[1, 0, 0], [0, 1, 0], [0.9f, 0.1f, 0], [0, 0, 1]];
        for (var i = 0; i < vectors.Length; i++)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO smoke_items (id, embedding) VALUES ($1, $2)", connection);
            insert.Parameters.AddWithValue(i);
            insert.Parameters.AddWithValue(new Vector(vectors[i]));
            await insert.ExecuteNonQueryAsync();
        }

        await using var query = new NpgsqlCommand("SELECT id, 1 - (embedding <=> $1) FROM smoke_items ORDER BY embedding <=> $1 LIMIT 2", connection);
        query.Parameters.AddWithValue(new Vector(new float[] { 1, 0.05f, 0 }));
        var found = new List<(int Id, double Similarity)>();
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                found.Add((reader.GetInt32(0), reader.GetDouble(1)));
            }
        }

        Assert.Equal([0, 2], found.Select(f => f.Id));
        Assert.InRange(found[0].Similarity, 0.99, 1.0);
    }

    [Fact]
    public async Task Server_TwoConnections_SeeEachOthersCommits()
    {
        await using var dataSource = NpgsqlDataSource.Create(pglite.ConnectionString());
        await using var first = await dataSource.OpenConnectionAsync();
        await using var second = await dataSource.OpenConnectionAsync();
        await Execute(first, "CREATE TABLE smoke_notes (id int PRIMARY KEY)");
        await using (var transaction = await first.BeginTransactionAsync())
        {
            await using var insert = new NpgsqlCommand("INSERT INTO smoke_notes VALUES (1), (2)", first, transaction);
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM smoke_notes", second);
        Assert.Equal(2L, await count.ExecuteScalarAsync());
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
