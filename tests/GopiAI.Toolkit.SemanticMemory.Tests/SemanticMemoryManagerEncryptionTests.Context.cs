using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests;

/// <summary>Conversation-aware context on an encrypted file: neighbours are opened with the row key, filtered by blind tags, and a damaged one is left out.</summary>
public sealed partial class SemanticMemoryManagerEncryptionTests
{
    private static readonly Conversation Milk = new()
    {
        Id = "milk",
        Turns =
        [
            new("user", "I left a carton of milk in the car over the hot weekend.") { Metadata = new Dictionary<string, string> { ["tenant"] = "acme" } },
            new("assistant", "Open it carefully. How does it look and smell now?") { Metadata = new Dictionary<string, string> { ["tenant"] = "other" } },
            new("user", "It smells bad.") { Metadata = new Dictionary<string, string> { ["tenant"] = "acme" } },
            new("assistant", "Then pour it away: milk kept that warm for two days grows bacteria.") { Metadata = new Dictionary<string, string> { ["tenant"] = "acme" } },
            new("user", "Thanks, will do.") { Metadata = new Dictionary<string, string> { ["tenant"] = "acme" } },
        ],
    };

    [Fact]
    public async Task GetContextAsync_EncryptedFile_NeighboursOpenedAndFilteredByTheirBlindTags()
    {
        await using var memory = await Memory.OpenAsync(model, _temp.File("context.db"), c => c with { EncryptionKey = _key });
        await memory.StoreConversationAsync(Milk);

        var context = await memory.GetContextAsync("It smells bad", 300);
        var acme = await memory.GetContextAsync("It smells bad", 300, new SearchOptions { Metadata = new Dictionary<string, string> { ["tenant"] = "acme" } });

        Assert.StartsWith("[1] user: I left a carton of milk in the car over the hot weekend.\nassistant: Open it carefully. How does it look and smell now?\nuser: It smells bad.\nassistant: Then pour it away:", context, StringComparison.Ordinal);
        Assert.Contains("(source: conversation:milk turns 1–5)", context, StringComparison.Ordinal);
        Assert.StartsWith("[1] user: I left a carton of milk in the car over the hot weekend.\n…\nuser: It smells bad.\nassistant: Then pour it away:", acme, StringComparison.Ordinal);
        Assert.DoesNotContain("How does it look", acme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetContextAsync_EncryptedNeighbourDamaged_LeftOutAndTheRestServed()
    {
        // The sealed content of the last turn no longer authenticates. (A dense search does not read it: it is far from
        // the query; SearchMemoryAsync_EncryptedRowDamaged_LeftOutAndCountedInvalid covers a search that does.)
        var path = await StoreMilkWithLastTurnDamagedAsync("damaged-context.db");

        await using (var memory = await Memory.OpenAsync(model, path, c => c with { EncryptionKey = _key }))
        {
            var context = await memory.GetContextAsync("It smells bad", 300, new SearchOptions { Mode = SearchMode.Dense });

            Assert.StartsWith("[1] user: I left a carton of milk in the car over the hot weekend.\nassistant: Open it carefully. How does it look and smell now?\nuser: It smells bad.\nassistant: Then pour it away:", context, StringComparison.Ordinal);
            Assert.DoesNotContain("Thanks", context, StringComparison.Ordinal);
            Assert.Contains("(source: conversation:milk turns 1–4)", context, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SearchMemoryAsync_EncryptedRowDamaged_LeftOutAndCountedInvalid()
    {
        // The sealed content of "Thanks, will do." no longer authenticates; its blind keyword tokens still match the query.
        var path = await StoreMilkWithLastTurnDamagedAsync("damaged-search.db");

        await using (var memory = await Memory.OpenAsync(model, path, c => c with { EncryptionKey = _key }))
        {
            foreach (var mode in new[] { SearchMode.Keyword, SearchMode.Hybrid, SearchMode.Dense })
            {
                var results = await memory.SearchMemoryAsync("Thanks, will do", 10, new SearchOptions { Mode = mode, SimilarityThreshold = 0 });

                Assert.Equal(mode != SearchMode.Keyword, results.Count > 0); // the damaged row was the only keyword match
                Assert.DoesNotContain(results, r => r.Content.Contains("Thanks", StringComparison.Ordinal));
            }

            var stats = await memory.GetStatsAsync();
            Assert.Equal(1, stats.InvalidRows);
        }
    }

    /// <summary>An encrypted file holding <see cref="Milk"/> whose last turn's sealed content no longer authenticates.</summary>
    private async Task<string> StoreMilkWithLastTurnDamagedAsync(string fileName)
    {
        var path = _temp.File(fileName);
        await using (var memory = await Memory.OpenAsync(model, path, c => c with { EncryptionKey = _key }))
        {
            await memory.StoreConversationAsync(Milk);
        }

        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE documents SET content = zeroblob(length(content)) WHERE id = (SELECT id FROM documents WHERE conversation_id = 'milk' ORDER BY timestamp DESC, rowid DESC LIMIT 1);";
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        return path;
    }
}
