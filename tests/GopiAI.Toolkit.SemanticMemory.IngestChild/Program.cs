using System.Globalization;
using GopiAI.Toolkit.SemanticMemory;

// Usage: IngestChild <db path> <batch size> <batches>
// Prints "committed <n>" after each committed batch, then keeps going until killed or done.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: IngestChild <db path> <batch size> <batches>");
    return 2;
}

var path = args[0];
var batchSize = int.Parse(args[1], CultureInfo.InvariantCulture);
var batches = int.Parse(args[2], CultureInfo.InvariantCulture);
var config = new MemoryConfig { IndexPath = path, BatchSize = batchSize };
await using var memory = await SemanticMemoryManager.OpenAsync(config);
var committed = 0;
var progress = new SyncProgress(p =>
{
    committed = p.Stored;
    Console.WriteLine($"committed {p.Stored}");
    Console.Out.Flush();
});
var documents = Enumerable.Range(0, batchSize * batches).Select(i => new MemoryDocument
{
    Id = $"doc-{i:D6}",
    Content = $"Ingest test document number {i}: the quick brown fox {i % 17} jumps over lazy dog {i % 23}.",
});
await memory.StoreDocumentsAsync(documents, progress);
Console.WriteLine($"done {committed}");
return 0;

/// <summary>Reports synchronously (Progress&lt;T&gt; would post to the thread pool and could print late).</summary>
internal sealed class SyncProgress(Action<StoreProgress> report) : IProgress<StoreProgress>
{
    public void Report(StoreProgress value) => report(value);
}
