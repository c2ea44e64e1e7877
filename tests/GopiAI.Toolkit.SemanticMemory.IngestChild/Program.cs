using System.Diagnostics;
using System.Globalization;
using GopiAI.Toolkit.SemanticMemory;
using GopiAI.Toolkit.SemanticMemory.Faults;
using Microsoft.Data.Sqlite;

// Child process of the kill -9 tests; the parent kills it at a random point and then checks the file.
//   IngestChild <db> <batch size> <batches>             real model: ingest, "committed <n>" after each commit
//   IngestChild ingest <db> <batch size> <batches>      hash embeddings: the same
//   IngestChild delete <db>                              "ready", then delete doc-000000, doc-000001, ... ("deleted <n>")
//   IngestChild optimize <db>                            "ready", then store one document and optimise, forever ("optimized <n>")
//   IngestChild restore <db> <backup A> <backup B>       "ready", then restore B, A, B, ... forever ("restored <n>")
//   IngestChild rekey <db> <key A> <key B>               "ready", then rekey A -> B, B -> A, ... forever ("rekeyed <n>"); keys in Base64
//   IngestChild hold-lock <db>                           take the write lock, print "locked", hold it until standard input closes
//   IngestChild pg-worker <connection> <schema> <worker> <rounds>
//                                                        hash embeddings on PostgreSQL, one of several workers sharing one memory:
//                                                        "ready", then each round stores its note w<worker>-<i> and the shared note
//                                                        <i % 5> (no id: de-duplicated across workers), deletes its note of two rounds
//                                                        before every third round, and checks it finds its own write ("missing ..." and
//                                                        exit 1 if not); "finished", then runs the commands of standard input
//                                                        (warm, final, check, exit; see PostgresWorkerAsync)
// Environment GOPIAI_KILL_AFTER_MS=<n>: SIGKILL itself n ms after "ready", so the kill lands at a random point of the
// child's own timeline whatever the load on the parent.
if (args.Length == 3 && int.TryParse(args[1], CultureInfo.InvariantCulture, out _))
{
    return await IngestAsync(args[0], int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), realModel: true);
}

switch (args)
{
    case ["ingest", var db, var batch, var batches]:
        return await IngestAsync(db, int.Parse(batch, CultureInfo.InvariantCulture), int.Parse(batches, CultureInfo.InvariantCulture), realModel: false);
    case ["delete", var db]:
    {
        await using var memory = await OpenAsync(db);
        Say("ready");
        for (var i = 0; ; i++)
        {
            if (!await memory.DeleteAsync($"doc-{i:D6}"))
            {
                Say("done");
                return 0;
            }

            Say($"deleted {i + 1}");
        }
    }

    case ["optimize", var db]:
    {
        await using var memory = await OpenAsync(db);
        Say("ready");
        for (var i = 0; ; i++)
        {
            await memory.StoreDocumentsAsync([new MemoryDocument { Id = $"opt-{i:D6}", Content = $"Optimizer round {i} adds one note about compaction {i % 13}." }]);
            Say($"stored {i + 1}");
            await memory.OptimizeIndexAsync();
            Say($"optimized {i + 1}");
        }
    }

    case ["restore", var db, var a, var b]:
    {
        await using var memory = await OpenAsync(db);
        Say("ready");
        for (var i = 0; ; i++)
        {
            await memory.RestoreAsync(i % 2 == 0 ? b : a);
            Say($"restored {i + 1}");
        }
    }

    case ["rekey", var db, var a, var b]:
    {
        using var keyA = GopiAI.Toolkit.Security.SecretBuffer.Decode(a, GopiAI.Toolkit.Security.SecretEncoding.Base64);
        using var keyB = GopiAI.Toolkit.Security.SecretBuffer.Decode(b, GopiAI.Toolkit.Security.SecretEncoding.Base64);
        Say("ready");
        for (var i = 0; ; i++)
        {
            var (from, to) = i % 2 == 0 ? (keyA, keyB) : (keyB, keyA);
            await SemanticMemoryManager.RekeyAsync(new MemoryConfig { IndexPath = db, EncryptionKey = from }, to);
            Say($"rekeyed {i + 1}");
        }
    }

    case ["hold-lock", var db]:
    {
        await using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        await connection.OpenAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES ('held-by', 'another process');";
            await command.ExecuteNonQueryAsync();
        }

        Say("locked");
        await Console.In.ReadToEndAsync();
        return 0;
    }

    case ["pg-worker", var connection, var schema, var worker, var rounds]:
        return await PostgresWorkerAsync(connection, schema, int.Parse(worker, CultureInfo.InvariantCulture), int.Parse(rounds, CultureInfo.InvariantCulture));

    default:
        Console.Error.WriteLine("usage: see the comment at the top of Program.cs");
        return 2;
}

static async Task<int> IngestAsync(string path, int batchSize, int batches, bool realModel)
{
    await using var memory = realModel
        ? await SemanticMemoryManager.OpenAsync(new MemoryConfig { IndexPath = path, BatchSize = batchSize })
        : await OpenAsync(path, batchSize);
    Say("ready");
    var committed = 0;
    var progress = new SyncProgress(p =>
    {
        if (p.ChunksEmbedded is null)
        {
            committed = p.Stored;
            Say($"committed {p.Stored}");
        }
    });
    var documents = Enumerable.Range(0, batchSize * batches).Select(i => new MemoryDocument
    {
        Id = $"doc-{i:D6}",
        Content = $"Ingest test document number {i}: the quick brown fox {i % 17} jumps over lazy dog {i % 23}.",
    });
    await memory.StoreDocumentsAsync(documents, progress);
    Say($"done {committed}");
    return 0;
}

static async Task<int> PostgresWorkerAsync(string connection, string schema, int worker, int rounds)
{
    var config = new MemoryConfig
    {
        Provider = MemoryProvider.Postgres,
        ConnectionString = connection,
        PostgresSchema = schema,
        EmbeddingModel = HashEmbeddingGenerator.ModelId,
    };
    await using var memory = await SemanticMemoryManager.OpenAsync(config, new HashEmbeddingGenerator());
    var keyword = new SearchOptions { Mode = SearchMode.Keyword };
    Say("ready");
    for (var i = 0; i < rounds; i++)
    {
        await memory.StoreDocumentsAsync(
        [
            new MemoryDocument { Id = $"w{worker}-{i:D3}", Content = $"Worker {worker} round {i} wrote note w{worker}r{i}." },
            new MemoryDocument { Content = $"Shared note number {i % 5} for every worker." },
        ]);
        if (i % 3 == 2 && !await memory.DeleteAsync($"w{worker}-{i - 2:D3}"))
        {
            Say($"missing delete w{worker}-{i - 2:D3}");
            return 1;
        }

        if (!(await memory.SearchMemoryAsync($"w{worker}r{i}", 5, keyword)).Any(r => r.Id == $"w{worker}-{i:D3}"))
        {
            Say($"missing own write w{worker}-{i:D3}");
            return 1;
        }
    }

    Say("finished");

    // Then commands, one a line: "warm" caches the search for final notes, "final" stores this worker's final note,
    // "check" repeats the search (a worker that wrote nothing since "warm" answers from its cache unless another
    // instance's commit invalidated it), "exit" ends.
    var finals = string.Join(' ', Enumerable.Range(0, 16).Select(w => $"finalmark{w}"));
    async Task<int> FinalsAsync() => (await memory.SearchMemoryAsync(finals, 50, keyword)).Count(r => r.Id.StartsWith("final-", StringComparison.Ordinal));
    while (await Console.In.ReadLineAsync() is { } command)
    {
        switch (command)
        {
            case "warm":
                Say($"warmed {await FinalsAsync()}");
                break;
            case "final":
                await memory.StoreDocumentsAsync([new MemoryDocument { Id = $"final-{worker}", Content = $"Final note of worker {worker}: finalmark{worker}." }]);
                Say("stored");
                break;
            case "check":
                Say($"saw {await FinalsAsync()}");
                break;
            case "exit":
                Say("done");
                return 0;
        }
    }

    return 1;
}

static Task<SemanticMemoryManager> OpenAsync(string path, int batchSize = 100) =>
    SemanticMemoryManager.OpenAsync(
        new MemoryConfig { IndexPath = path, BatchSize = batchSize, EmbeddingModel = HashEmbeddingGenerator.ModelId },
        new HashEmbeddingGenerator());

static void Say(string line)
{
    Console.WriteLine(line);
    Console.Out.Flush();
    if (line == "ready" && int.TryParse(Environment.GetEnvironmentVariable("GOPIAI_KILL_AFTER_MS"), CultureInfo.InvariantCulture, out var delay))
    {
        var killer = new Thread(() =>
        {
            Thread.Sleep(delay);
            Process.GetCurrentProcess().Kill();
        })
        { IsBackground = true, Priority = ThreadPriority.Highest };
        killer.Start();
    }
}

/// <summary>Reports synchronously (Progress&lt;T&gt; would post to the thread pool and could print late).</summary>
internal sealed class SyncProgress(Action<StoreProgress> report) : IProgress<StoreProgress>
{
    public void Report(StoreProgress value) => report(value);
}
