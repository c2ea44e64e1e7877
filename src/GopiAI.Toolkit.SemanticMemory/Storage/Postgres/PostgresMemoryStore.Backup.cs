namespace GopiAI.Toolkit.SemanticMemory.Storage.Postgres;

/// <summary>Backup and restore (placeholder until the export format lands).</summary>
internal sealed partial class PostgresMemoryStore
{
    public Task BackupAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RestoreAsync(string path, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _epoch);
        throw new NotSupportedException();
    }
}
