using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GopiAI.Toolkit.SemanticMemory;
using Spectre.Console;

namespace GopiAI.Toolkit.Cli.Commands;

/// <summary>Moving whole memories: <c>export</c> (the engine's own format), importing it, and <c>migrate</c> between providers.</summary>
internal sealed partial class MemoryCommands
{
    private Command ExportCommand()
    {
        var path = new Argument<string>("path") { Description = "File to write (replaced if it exists): JSON Lines with every document, its chunks and vectors." };
        var command = new Command("export", "Write the whole memory in the engine's own format, which 'gopiai memory import' reads into any memory of the same model (SQLite or PostgreSQL).") { path };
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            var target = _context.ResolvePath(RequireText(parse.GetRequiredValue(path), "path"));
            await using var manager = await OpenAsync(parse, mustExist: true, batchSize: null, token).ConfigureAwait(false);
            var temporary = target + ".partial";
            long count;
            try
            {
                await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    count = await manager.ExportAsync(file, token).ConfigureAwait(false);
                }

                File.Move(temporary, target, overwrite: true);
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Exported {count:N0} documents from {manager.FilePath} to {target} ({FormatBytes(new FileInfo(target).Length)})."));
            return ExitCode.Success;
        }, ct));
        return command;
    }

    private Command MigrateCommand()
    {
        var from = new Option<string>("--from") { Description = "The memory to copy: a SQLite file or a PostgreSQL connection string.", Required = true, HelpName = "memory" };
        var to = new Option<string>("--to") { Description = "The memory to copy into (created when absent): a SQLite file or a PostgreSQL connection string.", Required = true, HelpName = "memory" };
        var fromSchema = new Option<string?>("--from-schema") { Description = "PostgreSQL schema of --from (default: --pg-schema).", HelpName = "name" };
        var toSchema = new Option<string?>("--to-schema") { Description = "PostgreSQL schema of --to (default: --pg-schema).", HelpName = "name" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Documents committed per transaction in the destination (default 100)." };
        batchSize.Validators.Add(result => RequireInRange(result, "--batch-size", MemoryConfig.MaxBatchSize));
        var command = new Command(
            "migrate",
            "Copy every document with its vectors from one memory into another (SQLite to PostgreSQL or back), with progress. Resumable: run it again after an interruption and what was copied is skipped.")
        {
            from, to, fromSchema, toSchema, batchSize,
        };
        command.SetAction((parse, ct) => RunAsync(async token =>
        {
            var source = RequireText(parse.GetRequiredValue(from), "--from");
            var destination = RequireText(parse.GetRequiredValue(to), "--to");
            await using var sourceMemory = await OpenLocationAsync(parse, source, mustExist: true, batchSize: null, token, parse.GetValue(fromSchema)).ConfigureAwait(false);
            await using var destinationMemory = await OpenLocationAsync(parse, destination, mustExist: false, parse.GetValue(batchSize), token, parse.GetValue(toSchema)).ConfigureAwait(false);
            if (string.Equals(sourceMemory.FilePath, destinationMemory.FilePath, StringComparison.Ordinal))
            {
                throw new CliException(ExitCode.Usage, $"--from and --to are the same memory ({sourceMemory.FilePath}).");
            }

            var result = await sourceMemory.CopyToAsync(
                destinationMemory,
                new SyncProgress<StoreProgress>(p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Copied {p.Processed:N0}/{p.Total:N0} ({p.Stored:N0} stored, {p.Duplicates:N0} already there)"))),
                token).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Migrated {result.Ids.Count:N0} documents from {sourceMemory.FilePath} to {destinationMemory.FilePath}: {result.Stored:N0} stored, {result.Duplicates:N0} already there."));
            return ExitCode.Success;
        }, ct));
        return command;
    }

    /// <summary>Imports a file made by <c>gopiai memory export</c>, one line of progress per committed batch.</summary>
    private async Task ImportExportAsync(SemanticMemoryManager target, string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var result = await target.ImportAsync(
            file,
            new SyncProgress<StoreProgress>(p => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Imported {p.Processed:N0} ({p.Stored:N0} stored, {p.Duplicates:N0} already there)"))),
            cancellationToken).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Imported {result.Ids.Count:N0} documents from {Path.GetFileName(path)} (memory export): {result.Stored:N0} stored, {result.Duplicates:N0} already there."));
    }

    /// <summary>Whether the file starts like an export of the engine's own format (its first line names the format).</summary>
    private static async Task<bool> IsExportAsync(string path, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var buffer = new char[64];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        return new string(buffer, 0, read).StartsWith("{\"format\":\"gopiai-memory-export\"", StringComparison.Ordinal);
    }

    /// <summary>Whether a memory location is a PostgreSQL connection string (<c>key=value;…</c> naming a host or server) rather than a file path.</summary>
    private static bool IsConnectionString(string location) => ConnectionStringKey().IsMatch(location);

    [GeneratedRegex(@"(^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringKey();
}
