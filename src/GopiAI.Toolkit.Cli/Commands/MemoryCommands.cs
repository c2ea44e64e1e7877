using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GopiAI.Toolkit.Cli.Output;
using GopiAI.Toolkit.Security;
using GopiAI.Toolkit.SemanticMemory;
using Spectre.Console;

namespace GopiAI.Toolkit.Cli.Commands;

/// <summary>Builds the <c>gopiai memory …</c> command tree and runs its commands.</summary>
internal sealed partial class MemoryCommands
{
    /// <summary>File name of the memory in the current folder when <c>--db</c> is not given.</summary>
    public const string DefaultDatabase = "gopiai-memory.db";

    private readonly CliContext _context;
    private readonly Option<string> _db = new("--db")
    {
        Description = "The memory: a SQLite file (relative paths resolve against the current folder) or a PostgreSQL connection string (\"Host=…;Database=…;Username=…\").",
        DefaultValueFactory = _ => DefaultDatabase,
        Recursive = true,
        HelpName = "path",
    };

    private readonly Option<string?> _model = new("--model")
    {
        Description = "Folder holding model.onnx and vocab.txt (default: models/all-MiniLM-L6-v2 next to the tool).",
        Recursive = true,
        HelpName = "folder",
    };

    private readonly Option<string> _schema = new("--pg-schema")
    {
        Description = "The PostgreSQL schema of a memory given by a connection string.",
        DefaultValueFactory = _ => MemoryConfig.DefaultPostgresSchema,
        Recursive = true,
        HelpName = "name",
    };

    private readonly Option<double> _busyTimeout = new("--busy-timeout")
    {
        Description = "Seconds to wait for another process's write lock before failing.",
        DefaultValueFactory = _ => 5,
        Recursive = true,
        HelpName = "seconds",
    };

    private readonly Option<string?> _keyEnv = new("--key-env")
    {
        Description = "Environment variable holding the memory's encryption key (Base64 of 32 random bytes). A new memory is created encrypted; an encrypted memory needs it.",
        Recursive = true,
        HelpName = "name",
    };

    private readonly Option<int?> _maxDocuments = new("--max-documents")
    {
        Description = "Most documents the memory may hold (default 100,000); what a change past it does is --retention's choice.",
        Recursive = true,
        HelpName = "count",
    };

    private readonly Option<string> _retention = new("--retention")
    {
        Description = "What a change that would pass --max-documents does: reject it (exit 10, nothing stored), or store it and evict the oldest documents, or those least recently returned by search or context (which then record what they return).",
        DefaultValueFactory = _ => RetentionNames[0].Name,
        Recursive = true,
    };

    /// <summary>The <c>--retention</c> values, in the order of <see cref="MemoryRetention"/>.</summary>
    private static readonly (string Name, MemoryRetention Retention)[] RetentionNames =
    [
        ("reject", MemoryRetention.Reject),
        ("evict-oldest", MemoryRetention.EvictOldest),
        ("evict-least-recently-retrieved", MemoryRetention.EvictLeastRecentlyRetrieved),
    ];

    private MemoryCommands(CliContext context)
    {
        _context = context;
        _maxDocuments.Validators.Add(result => RequireInRange(result, "--max-documents", int.MaxValue));
        _retention.AcceptOnlyFromAmong([.. RetentionNames.Select(r => r.Name)]);
        _busyTimeout.Validators.Add(result =>
        {
            if (result.Tokens is [{ } token] && double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && seconds is < 0 or > 3600 or double.NaN)
            {
                result.AddError("--busy-timeout must be between 0 and 3600 seconds.");
            }
        });
    }

    private IAnsiConsole Console => _context.Console;

    public static RootCommand CreateRoot(CliContext context) => new MemoryCommands(context).Build();

    private RootCommand Build()
    {
        var memory = new Command("memory", "Store, search and maintain a local semantic memory file.")
        {
            AddCommand(), ImportCommand(), SearchCommand(), ContextCommand(), DeleteCommand(), ForgetCommand(),
            StatsCommand(), OptimizeCommand(), BackupCommand(), RestoreCommand(), RekeyCommand(), ExportCommand(), MigrateCommand(),
        };
        var root = new RootCommand("gopiai: local semantic memory (all-MiniLM-L6-v2 embeddings, one SQLite file, hybrid search).")
        {
            memory,
        };
        root.Options.Add(_db);
        root.Options.Add(_model);
        root.Options.Add(_schema);
        root.Options.Add(_busyTimeout);
        root.Options.Add(_keyEnv);
        root.Options.Add(_maxDocuments);
        root.Options.Add(_retention);
        return root;
    }

    private Command AddCommand()
    {
        var input = new Argument<string>("input") { Description = "The text to remember, a path to a UTF-8 text file, or - to read standard input." };
        var literal = new Option<bool>("--text") { Description = "Store the argument as text even when it looks like a file path." };
        var id = new Option<string?>("--id") { Description = "Id to store it under (an existing id is replaced, even if another id holds the same text). Default: generated." };
        var conversation = new Option<string?>("--conversation", "-c") { Description = "Conversation the text belongs to." };
        var role = new Option<string?>("--role", "-r") { Description = "Speaker role (user, assistant, system, ...)." };
        var source = new Option<string?>("--source") { Description = "Citation shown in contexts. Default: the file name when reading a file." };
        var meta = new Option<string[]>("--meta", "-m") { Description = "Metadata as key=value; repeat for several.", HelpName = "key=value" };
        var command = new Command("add", "Remember a text, a file's content or standard input.") { input, literal, id, conversation, role, source, meta };
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            var (text, fileSource) = await ReadInputAsync(parse.GetRequiredValue(input), parse.GetValue(literal), token).ConfigureAwait(false);
            var document = new MemoryDocument
            {
                Id = parse.GetValue(id),
                Content = text,
                ConversationId = parse.GetValue(conversation),
                Role = parse.GetValue(role),
                Source = parse.GetValue(source) ?? fileSource,
                Metadata = ParseMetadata(parse.GetValue(meta)),
            };
            await using var manager = await OpenAsync(parse, mustExist: false, batchSize: null, token).ConfigureAwait(false);
            var result = await StoreWithProgressAsync(manager, [document], commitLines: false, bar: _context.Interactive && text.Length > LongText, token).ConfigureAwait(false);
            Console.WriteLine(result.Duplicates > 0
                ? $"Already stored as {result.Ids[0]} (same content)."
                : $"Stored {result.Ids[0]}.");
            return ExitCode.Success;
        }, ct));
        return command;
    }

    private Command ImportCommand()
    {
        var file = new Argument<string>("file") { Description = "A JSONL file: one {\"content\": ..., \"id\"?, \"conversationId\"?, \"role\"?, \"metadata\"?, \"timestamp\"?, \"source\"?} per line." };
        var conversation = new Option<string?>("--conversation", "-c") { Description = "Conversation for lines that name none." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Documents embedded and committed per transaction (default 100)." };
        batchSize.Validators.Add(result => RequireInRange(result, "--batch-size", MemoryConfig.MaxBatchSize));
        var command = new Command("import", "Import documents from a JSONL file, or a memory export made by 'gopiai memory export' (vectors included), with progress.") { file, conversation, batchSize };
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            var path = RequireFile(parse.GetRequiredValue(file));
            if (await IsExportAsync(path, token).ConfigureAwait(false))
            {
                await using var target = await OpenAsync(parse, mustExist: false, parse.GetValue(batchSize), token).ConfigureAwait(false);
                await ImportExportAsync(target, path, token).ConfigureAwait(false);
                return ExitCode.Success;
            }

            var documents = await JsonlImport.ReadAsync(path, parse.GetValue(conversation), token).ConfigureAwait(false);
            await using var manager = await OpenAsync(parse, mustExist: false, parse.GetValue(batchSize), token).ConfigureAwait(false);
            var result = await StoreWithProgressAsync(manager, documents, commitLines: true, bar: _context.Interactive, token).ConfigureAwait(false);
            Console.WriteLine($"Imported {documents.Count} documents from {Path.GetFileName(path)}: {result.Stored} stored, {result.Duplicates} duplicates.");
            return ExitCode.Success;
        }, ct));
        return command;
    }

    /// <summary>Texts longer than this get a progress bar in a terminal when added (they are chunked into hundreds of pieces).</summary>
    private const int LongText = 100_000;

    /// <summary>
    /// Stores with progress: a live bar in a terminal (documents, plus the chunks of a long document while it is embedded),
    /// otherwise one line per committed batch (<paramref name="commitLines"/>) and per 256 chunks embedded.
    /// </summary>
    private async Task<StoreResult> StoreWithProgressAsync(
        SemanticMemoryManager manager, IReadOnlyList<MemoryDocument> documents, bool commitLines, bool bar, CancellationToken cancellationToken)
    {
        var what = documents.Count == 1 ? "the document" : "the current batch";
        if (!bar)
        {
            return await manager.StoreDocumentsAsync(
                documents,
                new SyncProgress<StoreProgress>(p =>
                {
                    if (p.ChunksEmbedded is { } done)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Embedded {done:N0}/{p.ChunksInBatch:N0} chunks of {what}"));
                    }
                    else if (commitLines)
                    {
                        Console.WriteLine($"Imported {p.Processed}/{p.Total ?? documents.Count} ({p.Stored} stored, {p.Duplicates} duplicates)");
                    }
                }),
                cancellationToken).ConfigureAwait(false);
        }

        return await Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("Embedding and storing", autoStart: true, maxValue: documents.Count);
                ProgressTask? chunks = null;
                var result = await manager.StoreDocumentsAsync(
                    documents,
                    new SyncProgress<StoreProgress>(p =>
                    {
                        if (p.ChunksEmbedded is { } done)
                        {
                            chunks ??= progress.AddTask($"Embedding the chunks of {what}", autoStart: true, maxValue: p.ChunksInBatch ?? done);
                            chunks.MaxValue = p.ChunksInBatch ?? done;
                            chunks.Value = done;
                        }
                        else
                        {
                            task.Value = p.Processed;
                        }
                    }),
                    cancellationToken).ConfigureAwait(false);
                task.Value = documents.Count;
                if (chunks is not null)
                {
                    chunks.Value = chunks.MaxValue;
                }

                return result;
            }).ConfigureAwait(false);
    }

    private Command SearchCommand()
    {
        var query = new Argument<string>("query") { Description = "What to look for." };
        var limit = new Option<int>("--limit", "-n") { Description = "Maximum number of results.", DefaultValueFactory = _ => 10 };
        limit.Validators.Add(result => RequirePositive(result, "--limit"));
        var mode = new Option<string>("--mode") { Description = "hybrid (dense + keyword, fused), dense (embeddings) or keyword (BM25).", DefaultValueFactory = _ => "hybrid" };
        mode.AcceptOnlyFromAmong("hybrid", "dense", "keyword");
        var conversation = new Option<string?>("--conversation", "-c") { Description = "Only this conversation." };
        var role = new Option<string?>("--role", "-r") { Description = "Only this role." };
        var command = new Command("search", "Search the memory; prints a table of results with scores.") { query, limit, mode, conversation, role };
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            var text = RequireText(parse.GetRequiredValue(query), "query");
            var options = new SearchOptions
            {
                Mode = ParseMode(parse.GetRequiredValue(mode)),
                ConversationId = parse.GetValue(conversation),
                Role = parse.GetValue(role),
            };
            await using var manager = await OpenAsync(parse, mustExist: true, batchSize: null, token).ConfigureAwait(false);
            var results = await manager.SearchMemoryAsync(text, parse.GetValue(limit), options, token).ConfigureAwait(false);
            if (results.Count == 0)
            {
                Console.WriteLine("No matches.");
                return ExitCode.Success;
            }

            var table = CreateTable("#", "Score", "Cosine", "Id", "Role", "Content");
            table.Columns[1].RightAligned();
            table.Columns[2].RightAligned();
            for (var i = 0; i < results.Count; i++)
            {
                var r = results[i];
                table.AddRow(
                    new Text((i + 1).ToString(CultureInfo.InvariantCulture)),
                    new Text(r.Score.ToString("F2", CultureInfo.InvariantCulture)),
                    new Text(r.Similarity is { } s ? s.ToString("F4", CultureInfo.InvariantCulture) : "-"),
                    new Text(r.Id),
                    new Text(r.Role ?? "-"),
                    new Text(Snippet(r.Content, 80)));
            }

            Console.Write(table);
            return ExitCode.Success;
        }, ct));
        return command;
    }

    private Command ContextCommand()
    {
        var query = new Argument<string>("query") { Description = "What the context is for." };
        var maxTokens = new Option<int>("--max-tokens", "-t") { Description = "Token budget (o200k_base tokens); the context never exceeds it.", DefaultValueFactory = _ => 2000 };
        maxTokens.Validators.Add(result => RequirePositive(result, "--max-tokens"));
        var command = new Command("context", "Print the most relevant memories as one context string within a token budget.") { query, maxTokens };
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            var text = RequireText(parse.GetRequiredValue(query), "query");
            await using var manager = await OpenAsync(parse, mustExist: true, batchSize: null, token).ConfigureAwait(false);
            var context = await manager.GetContextAsync(text, parse.GetValue(maxTokens), token).ConfigureAwait(false);

            // Written verbatim (not through Spectre) so that it can be piped into a prompt unchanged.
            await _context.Settings.Output.WriteLineAsync(context.AsMemory(), token).ConfigureAwait(false);
            return ExitCode.Success;
        }, ct));
        return command;
    }

    private Command DeleteCommand()
    {
        var id = new Argument<string?>("id") { Description = "Id of the document to delete (with its chunks).", Arity = ArgumentArity.ZeroOrOne };
        var conversation = new Option<string?>("--conversation", "-c") { Description = "Delete every document of this conversation instead." };
        var command = new Command("delete", "Delete a document by id, or a whole conversation; content, vectors and keyword index go together.") { id, conversation };
        command.Validators.Add(result =>
        {
            var hasId = result.GetValue(id) is not null;
            var hasConversation = result.GetValue(conversation) is not null;
            if (hasId == hasConversation)
            {
                result.AddError("Give either an id or --conversation <id>, not both and not neither.");
            }
        });
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            await using var manager = await OpenAsync(parse, mustExist: true, batchSize: null, token).ConfigureAwait(false);
            if (parse.GetValue(id) is { } documentId)
            {
                if (!await manager.DeleteAsync(RequireText(documentId, "id"), token).ConfigureAwait(false))
                {
                    throw new CliException(ExitCode.NotFound, $"No document with id '{documentId}'.");
                }

                Console.WriteLine($"Deleted {documentId}.");
                return ExitCode.Success;
            }

            var conversationId = RequireText(parse.GetValue(conversation)!, "--conversation");
            var deleted = await manager.DeleteConversationAsync(conversationId, token).ConfigureAwait(false);
            if (deleted == 0)
            {
                throw new CliException(ExitCode.NotFound, $"No documents in conversation '{conversationId}'.");
            }

            Console.WriteLine($"Deleted {deleted} documents of conversation {conversationId}.");
            return ExitCode.Success;
        }, ct));
        return command;
    }

    private Command ForgetCommand()
    {
        var conversation = new Option<string?>("--conversation", "-c") { Description = "Forget everything of this conversation." };
        var before = new Option<string?>("--before") { Description = "Forget everything written before this date or instant (ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z; a date without offset is UTC).", HelpName = "date" };
        var meta = new Option<string[]>("--metadata", "-m") { Description = "Forget everything whose metadata has key=value; repeat for several (all must match).", HelpName = "key=value" };
        var command = new Command(
            "forget",
            "Forget documents for a privacy request: a conversation, everything before a date, or everything with given metadata (criteria combine with AND). Content, metadata, vectors and keyword entries are overwritten, not just unlinked.")
        {
            conversation, before, meta,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(conversation) is null && result.GetValue(before) is null && result.GetValue(meta) is not { Length: > 0 })
            {
                result.AddError("Give at least one of --conversation <id>, --before <date> or --metadata key=value.");
            }
        });
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            var request = new ForgetRequest
            {
                ConversationId = parse.GetValue(conversation) is { } id ? RequireText(id, "--conversation") : null,
                Before = parse.GetValue(before) is { } date ? ParseInstant(date) : null,
                Metadata = ParseMetadata(parse.GetValue(meta), "--metadata"),
            };
            await using var manager = await OpenAsync(parse, mustExist: true, batchSize: null, token).ConfigureAwait(false);
            var result = await manager.ForgetAsync(request, token).ConfigureAwait(false);
            if (result.Documents == 0)
            {
                throw new CliException(ExitCode.NotFound, "No documents matched; nothing was forgotten.");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Forgot {result.Documents} documents ({result.Chunks} chunks) from {result.Conversations} conversations."));
            return ExitCode.Success;
        }, ct));
        return command;
    }

    private Command RekeyCommand()
    {
        var newKeyEnv = new Option<string?>("--new-key-env") { Description = "Environment variable holding the new key (Base64 of 32 random bytes).", HelpName = "name" };
        var decrypt = new Option<bool>("--decrypt") { Description = "Store the memory unencrypted instead (needs --key-env with the current key)." };
        var command = new Command(
            "rekey",
            "Re-encrypt the memory under a new key (or encrypt a plain memory, or --decrypt it). Crash-safe: a new file is written and swapped in, so the file is readable under the old or the new key at every moment. Close the memory in other processes first.")
        {
            newKeyEnv, decrypt,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(newKeyEnv) is null) != result.GetValue(decrypt))
            {
                result.AddError("Give either --new-key-env <name> or --decrypt.");
            }
        });
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            var path = _context.ResolvePath(parse.GetRequiredValue(_db));
            if (!File.Exists(path))
            {
                throw new CliException(ExitCode.MissingFile, $"No memory file at '{path}'.");
            }

            using var newKey = parse.GetValue(newKeyEnv) is { } name ? ReadKey(name) : null;
            using var oldKey = parse.GetValue(_keyEnv) is { } oldName ? ReadKey(oldName) : null;
            var config = _context.Settings.CreateConfig(path, null, TimeSpan.FromSeconds(parse.GetValue(_busyTimeout))) with { EncryptionKey = oldKey };
            var result = await SemanticMemoryManager.RekeyAsync(config, newKey, token).ConfigureAwait(false);
            Console.WriteLine(newKey is null
                ? $"Decrypted {result.Documents} documents of {Path.GetFileName(path)}; the file is now stored unencrypted."
                : $"Re-encrypted {result.Documents} documents of {Path.GetFileName(path)} under the key in {parse.GetValue(newKeyEnv)}.");
            return ExitCode.Success;
        }, ct));
        return command;
    }

    private static SecretBuffer ReadKey(string variable)
    {
        try
        {
            return MemoryEncryptionKey.FromEnvironmentVariable(variable);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new CliException(ExitCode.EncryptionKey, ex.Message);
        }
    }

    private static DateTimeOffset ParseInstant(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : throw new CliException(ExitCode.Usage, $"--before '{text}' is not a date (use ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z).");

    private Command StatsCommand()
    {
        var command = new Command("stats", "Show document, chunk and conversation counts, file size, model and index state.");
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            await using var manager = await OpenAsync(parse, mustExist: true, batchSize: null, token).ConfigureAwait(false);
            var stats = await manager.GetStatsAsync(token).ConfigureAwait(false);
            var table = CreateTable("Property", "Value");
            void Row(string name, string value) => table.AddRow(new Text(name), new Text(value));
            Row("File", manager.FilePath);
            Row("Documents", stats.DocumentCount.ToString("N0", CultureInfo.InvariantCulture));
            Row("Chunks", stats.ChunkCount.ToString("N0", CultureInfo.InvariantCulture));
            Row("Conversations", stats.ConversationCount.ToString("N0", CultureInfo.InvariantCulture));
            Row("Size", FormatBytes(stats.FileSizeBytes));
            Row("Model", stats.EmbeddingModel);
            Row("Dimensions", stats.Dimensions.ToString(CultureInfo.InvariantCulture));
            Row("Vectors", stats.Compressed ? "int8 (compressed)" : "float32");
            Row("Index", stats.HnswActive ? "HNSW" : "exact");
            Row("Schema version", stats.SchemaVersion.ToString(CultureInfo.InvariantCulture));
            Row("Access", manager.IsReadOnly ? "read-only" : "read-write");
            Row("Encryption", manager.IsEncrypted ? "AES-256-GCM (blind keyword index)" : "none");
            Row("Invalid rows", stats.InvalidRows == 0
                ? "0"
                : string.Create(CultureInfo.InvariantCulture, $"{stats.InvalidRows:N0} (skipped by search; first: {stats.InvalidRowDetails.FirstOrDefault()})"));
            Row("Oldest", stats.Oldest?.ToString("u", CultureInfo.InvariantCulture) ?? "-");
            Row("Newest", stats.Newest?.ToString("u", CultureInfo.InvariantCulture) ?? "-");
            Console.Write(table);
            return ExitCode.Success;
        }, ct));
        return command;
    }

    private Command OptimizeCommand()
    {
        var command = new Command("optimize", "Compact the file, merge the keyword index and rebuild the vector index (HNSW above the size threshold).");
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            await using var manager = await OpenAsync(parse, mustExist: true, batchSize: null, token).ConfigureAwait(false);
            var before = (await manager.GetStatsAsync(token).ConfigureAwait(false)).FileSizeBytes;
            await manager.OptimizeIndexAsync(token).ConfigureAwait(false);
            var stats = await manager.GetStatsAsync(token).ConfigureAwait(false);
            Console.WriteLine($"Optimized {Path.GetFileName(manager.FilePath)}: {stats.ChunkCount} vectors, {(stats.HnswActive ? "HNSW" : "exact")} index, {FormatBytes(before)} -> {FormatBytes(stats.FileSizeBytes)}.");
            return ExitCode.Success;
        }, ct));
        return command;
    }

    private Command BackupCommand()
    {
        var path = new Argument<string>("path") { Description = "Backup file to write (replaced if it exists)." };
        var command = new Command("backup", "Write a consistent copy of the memory file (safe while other processes use it).") { path };
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            var target = _context.ResolvePath(RequireText(parse.GetRequiredValue(path), "path"));
            await using var manager = await OpenAsync(parse, mustExist: true, batchSize: null, token).ConfigureAwait(false);
            await manager.BackupAsync(target, token).ConfigureAwait(false);
            var stats = await manager.GetStatsAsync(token).ConfigureAwait(false);
            Console.WriteLine($"Backed up {stats.DocumentCount} documents to {target} ({FormatBytes(new FileInfo(target).Length)}).");
            return ExitCode.Success;
        }, ct));
        return command;
    }

    private Command RestoreCommand()
    {
        var path = new Argument<string>("path") { Description = "A backup made by 'gopiai memory backup'." };
        var command = new Command("restore", "Replace the whole memory with a backup, atomically (the memory is unchanged if the backup is bad).") { path };
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            var source = RequireFile(parse.GetRequiredValue(path));
            await using var manager = await OpenAsync(parse, mustExist: false, batchSize: null, token).ConfigureAwait(false);
            await manager.RestoreAsync(source, token).ConfigureAwait(false);
            var stats = await manager.GetStatsAsync(token).ConfigureAwait(false);
            Console.WriteLine($"Restored {stats.DocumentCount} documents from {source} into {manager.FilePath}.");
            return ExitCode.Success;
        }, ct));
        return command;
    }

    /// <summary>Rounded box-drawing borders in a terminal; plain ASCII when the output is redirected or captured.</summary>
    private Table CreateTable(params string[] columns) =>
        new Table().Border(_context.Interactive ? TableBorder.Rounded : TableBorder.Ascii).AddColumns(columns);

    private async Task<int> RunAsync(Func<CancellationToken, Task<ExitCode>> body, CancellationToken cancellationToken)
    {
        try
        {
            return (int)await body(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The tool's contract: every failure becomes an exit code and one line on stderr, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var (code, message) = ErrorReporter.Map(ex, cancellationToken);
            await _context.Settings.Error.WriteLineAsync(ErrorReporter.Format(message)).ConfigureAwait(false);
            return (int)code;
        }
    }

    private Task<SemanticMemoryManager> OpenAsync(ParseResult parse, bool mustExist, int? batchSize, CancellationToken cancellationToken) =>
        OpenLocationAsync(parse, parse.GetRequiredValue(_db), mustExist, batchSize, cancellationToken, schema: null);

    /// <summary>Opens the memory at <paramref name="location"/>: a PostgreSQL connection string, or else the path of a SQLite file.</summary>
    private async Task<SemanticMemoryManager> OpenLocationAsync(ParseResult parse, string location, bool mustExist, int? batchSize, CancellationToken cancellationToken, string? schema)
    {
        var model = parse.GetValue(_model) is { } folder ? _context.ResolvePath(folder) : null;
        if (IsConnectionString(location))
        {
            var postgres = WithLimits(parse, _context.Settings.CreatePostgresConfig(location, schema ?? parse.GetValue(_schema) ?? MemoryConfig.DefaultPostgresSchema, model));
            if (batchSize is { } pgBatch)
            {
                postgres = postgres with { BatchSize = pgBatch };
            }

            return _context.Settings.EmbeddingGenerator is { } pgGenerator
                ? await SemanticMemoryManager.OpenAsync(postgres, pgGenerator, cancellationToken).ConfigureAwait(false)
                : await SemanticMemoryManager.OpenAsync(postgres, cancellationToken).ConfigureAwait(false);
        }

        var path = _context.ResolvePath(location);
        if (mustExist && !File.Exists(path) && !Directory.Exists(path))
        {
            throw new CliException(ExitCode.MissingFile, $"No memory file at '{path}'. Add something with 'gopiai memory add <text>' first, or point --db at an existing file.");
        }

        // A read command must not turn an empty file into a database (the library would create the schema in it).
        if (mustExist && File.Exists(path) && new FileInfo(path).Length == 0)
        {
            throw new CliException(ExitCode.NotAMemoryFile, $"'{path}' is an empty file (0 bytes), not a memory file. The file was not modified; 'gopiai memory add <text>' creates a memory there.");
        }

        var config = WithLimits(parse, _context.Settings.CreateConfig(path, model, TimeSpan.FromSeconds(parse.GetValue(_busyTimeout))));
        if (batchSize is { } size)
        {
            config = config with { BatchSize = size };
        }

        // The manager derives its own keys when it opens, so the key read here is zeroed as soon as that is done.
        using var key = parse.GetValue(_keyEnv) is { } variable ? ReadKey(variable) : null;
        config = config with { EncryptionKey = key };
        return _context.Settings.EmbeddingGenerator is { } generator
            ? await SemanticMemoryManager.OpenAsync(config, generator, cancellationToken).ConfigureAwait(false)
            : await SemanticMemoryManager.OpenAsync(config, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies <c>--max-documents</c> and <c>--retention</c> (the library's defaults when they are not given).</summary>
    private MemoryConfig WithLimits(ParseResult parse, MemoryConfig config)
    {
        var name = parse.GetValue(_retention);
        config = config with { Retention = RetentionNames.Single(r => string.Equals(r.Name, name, StringComparison.Ordinal)).Retention };
        return parse.GetValue(_maxDocuments) is { } limit ? config with { MaxDocuments = limit } : config;
    }

    private async Task<(string Text, string? Source)> ReadInputAsync(string input, bool literal, CancellationToken cancellationToken)
    {
        if (input == "-" && !literal)
        {
            var text = await _context.Settings.Input.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            return (RequireText(text, "standard input"), null);
        }

        if (literal || input.IndexOfAny(['\n', '\r', '\0']) >= 0)
        {
            return (RequireText(input, "text"), null);
        }

        var path = _context.ResolvePath(input);
        if (File.Exists(path))
        {
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, StrictUtf8, cancellationToken).ConfigureAwait(false);
            }
            catch (DecoderFallbackException)
            {
                throw new CliException(ExitCode.BadInput, $"The file '{path}' is not valid UTF-8 text (it may be binary or in another encoding).");
            }

            return string.IsNullOrWhiteSpace(text)
                ? throw new CliException(ExitCode.Usage, $"The file '{path}' is empty: nothing to add.")
                : (text, Path.GetFileName(path));
        }

        if (Directory.Exists(path))
        {
            throw new CliException(ExitCode.MissingFile, $"'{path}' is a folder; give a text, the path of a file, or - for standard input.");
        }

        if (LooksLikePath(input))
        {
            throw new CliException(ExitCode.MissingFile, $"The file '{path}' does not exist. To store these words as text, pass --text.");
        }

        return (RequireText(input, "text"), null);
    }

    /// <summary>One token with a folder separator or a file extension ("notes.txt", "docs/a"): meant as a path, not as text to remember.</summary>
    private static bool LooksLikePath(string input) =>
        !input.Any(char.IsWhiteSpace) && (input.Contains('/', StringComparison.Ordinal) || input.Contains('\\', StringComparison.Ordinal) || FileExtension().IsMatch(input));

    [GeneratedRegex(@"^[^.]+.*\.[A-Za-z][A-Za-z0-9]{0,7}$")]
    private static partial Regex FileExtension();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private string RequireFile(string input)
    {
        var path = _context.ResolvePath(RequireText(input, "path"));
        if (Directory.Exists(path))
        {
            throw new CliException(ExitCode.MissingFile, $"'{path}' is a folder, not a file; give the path of a file.");
        }

        return File.Exists(path) ? path : throw new CliException(ExitCode.MissingFile, $"The file '{path}' does not exist.");
    }

    private static string RequireText(string value, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new CliException(ExitCode.Usage, $"The {what} is empty or white space: nothing to do.") : value;

    private static void RequireInRange(OptionResult result, string name, int maximum)
    {
        // Validators run even when conversion failed; that error is reported already, so only judge numbers.
        if (result.Tokens is [{ } token] && long.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && (value < 1 || value > maximum))
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be between 1 and {maximum:N0} (got {token.Value})."));
        }
    }

    private static void RequirePositive(OptionResult result, string name)
    {
        // Validators run even when conversion failed ("--limit many"); that error is reported already, so only judge numbers.
        if (result.Tokens is [{ } token] && int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value <= 0)
        {
            result.AddError($"{name} must be a positive integer (got {value}).");
        }
    }

    private static Dictionary<string, string>? ParseMetadata(string[]? pairs, string option = "--meta")
    {
        if (pairs is null || pairs.Length == 0)
        {
            return null;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException(ExitCode.Usage, $"{option} '{pair}' is not key=value.");
            }

            metadata[pair[..equals].Trim()] = pair[(equals + 1)..];
        }

        return metadata;
    }

    private static SearchMode ParseMode(string mode) => mode switch
    {
        "dense" => SearchMode.Dense,
        "keyword" => SearchMode.Keyword,
        _ => SearchMode.Hybrid,
    };

    private static string Snippet(string content, int maxLength)
    {
        var oneLine = string.Join(' ', content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= maxLength ? oneLine : string.Concat(oneLine.AsSpan(0, maxLength - 3), "...");
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MiB"),
    };

    /// <summary>Reports on the caller's thread, in order (unlike <see cref="Progress{T}"/>, which posts asynchronously).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
