using GopiAI.Toolkit.SemanticMemory.Privacy;
using Microsoft.Data.Sqlite;
using static GopiAI.Toolkit.SemanticMemory.Storage.Sqlite.SqliteCommands;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>Backup and restore: SQLite's online backup in both directions, on the writer thread.</summary>
internal sealed partial class SqliteMemoryStore
{
    public Task<IReadOnlyList<Export.ExportedDocument>> ReadDocumentsAsync(string? afterId, int limit, CancellationToken cancellationToken) =>
        _readers.RunAsync(connection => SqliteDocumentReader.Read(connection, afterId, limit, Dimensions), cancellationToken);

    public Task<Export.ExportedDocument?> ReadDocumentAsync(string id, CancellationToken cancellationToken) =>
        _readers.RunAsync(connection => SqliteDocumentReader.Read(connection, null, 1, Dimensions, id).SingleOrDefault(), cancellationToken);

    /// <summary>Writes a consistent copy to a temporary file next to <paramref name="path"/>, then moves it into place.</summary>
    /// <exception cref="ArgumentException">The path is a folder, the memory file or one of its companions.</exception>
    /// <exception cref="MemoryStoreException">The destination cannot be written (read-only, disk full); no partial backup is left.</exception>
    public Task BackupAsync(string path, CancellationToken cancellationToken)
    {
        var destination = Path.GetFullPath(path);
        MemoryFilePaths.ThrowIfUnusable(destination, Location, "hold a backup", nameof(path));
        return _writer.RunAsync("back up", connection =>
        {
            var temp = destination + ".tmp-" + Guid.NewGuid().ToString("N");
            try
            {
                var directory = Path.GetDirectoryName(destination);
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }

                // Owner-only before SQLite writes a page into it, whatever the umask (a backup holds the same data as the file).
                OwnerOnlyFiles.Create(temp);
                using (var target = new SqliteConnection(StoreConnections.For(temp, StoreAccess.ReadWrite, _config.BusyTimeout, create: true)))
                {
                    target.Open();
                    connection.BackupDatabase(target);
                    Exec(target, "PRAGMA journal_mode = DELETE;");
                }

                File.Move(temp, destination, overwrite: true);
            }
            catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
            {
                MemoryFilePaths.DeleteWithCompanions(temp);
                throw StoreErrors.Translate(ex, destination, "write the backup");
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Replaces the whole content with a backup: the backup is copied and verified completely first
    /// (<see cref="BackupVerifier"/>), so a bad backup never touches the live file; then the verified copy is written in
    /// one transaction (readers see the old or the new content, never a mix), and the vectors are reloaded.
    /// Allowed on a memory found damaged.
    /// </summary>
    /// <exception cref="ArgumentException">The path is a folder, the memory file or one of its companions.</exception>
    /// <exception cref="FileNotFoundException">The backup does not exist.</exception>
    /// <exception cref="MemoryStoreException">The backup is unusable (the message says why), or the memory is read-only or its disk full.</exception>
    public async Task RestoreAsync(string path, CancellationToken cancellationToken)
    {
        var source = Path.GetFullPath(path);
        MemoryFilePaths.ThrowIfUnusable(source, Location, "restore from", nameof(path));
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"The backup '{source}' does not exist.", source);
        }

        ThrowIfReadOnly("restore into");
        var staged = await Task.Run(() => BackupVerifier.StageAndVerify(source, Location, _config, Dimensions, _encryption, cancellationToken), cancellationToken).ConfigureAwait(false);
        try
        {
            await _writer.RunAsync("restore", connection =>
            {
                using (var backup = new SqliteConnection(StoreConnections.For(staged, StoreAccess.ReadOnly, _config.BusyTimeout)))
                {
                    backup.Open();

                    // The online backup API copies every page inside one write transaction: readers see the old or the new content, never a mix.
                    backup.BackupDatabase(connection);
                }

                Exec(connection, "PRAGMA journal_mode = WAL;");
                SqliteOpener.Migrate(connection, Location, _config, Dimensions);
                _encryption.Reload(connection, Location);
                _faults.Clear();
                Replaced();
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            MemoryFilePaths.DeleteWithCompanions(staged);
        }

        await RebuildVectorsAsync(cancellationToken).ConfigureAwait(false);
    }
}
