using System.Security.Cryptography;
using System.Text;
using GopiAI.Toolkit.SemanticMemory.Faults;
using GopiAI.Toolkit.SemanticMemory.Storage;
using Npgsql;

namespace GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;

/// <summary>Documents prepared for the PostgreSQL store (below the engine) and plain SQL against the test server.</summary>
internal static class PostgresTestData
{
    /// <summary>A short document stored as one row.</summary>
    public static Task<PreparedDocument> DocumentAsync(HashEmbeddingGenerator embeddings, int index, string id, string content, string? conversation) =>
        FromChunksAsync(embeddings, index, id, [content], conversation);

    /// <summary>A long document stored as <paramref name="chunks"/> chunks (one parent row and a row per chunk).</summary>
    public static Task<PreparedDocument> ChunkedAsync(HashEmbeddingGenerator embeddings, int index, string id, int chunks) =>
        FromChunksAsync(embeddings, index, id, [.. Enumerable.Range(0, chunks).Select(c => $"part {c} of {id}: harbour cranes lift containers number {index * 10 + c}")], null);

    public static async Task ExecAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task<PreparedDocument> FromChunksAsync(HashEmbeddingGenerator embeddings, int index, string id, string[] texts, string? conversation)
    {
        var vectors = await embeddings.GenerateAsync(texts);
        var content = string.Join(' ', texts);
        return new PreparedDocument
        {
            InputIndex = index,
            Id = id,
            IdGiven = true,
            Content = content,
            ConversationId = conversation,
            MetadataJson = "{}",
            TimestampMs = 1_700_000_000_000 + index,
            TimestampGiven = true,
            ContentHash = SHA256.HashData(Encoding.UTF8.GetBytes(content)),
            Chunks = [.. texts.Select((text, c) => new PreparedChunk(text) { Vector = vectors[c].Vector.ToArray() })],
        };
    }
}
