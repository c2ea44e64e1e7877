using GopiAI.Toolkit.Security;
using GopiAI.Toolkit.SemanticMemory.Faults;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;
using GopiAI.Toolkit.SemanticMemory.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace GopiAI.Toolkit.SemanticMemory.Tests.Storage;

public sealed class SqliteRekeyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_PlainFileToAKey_LeavesNoPlaintextAndEveryRowOpensUnderTheKey()
    {
        var path = await CreatePlainAsync("plain.db");
        using var key = SecretBuffer.Generate(32);

        var result = SqliteRekey.Run(path, null, key, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(40, result.Documents);
        Assert.True(result.Encrypted);
        Assert.Empty(FileScan.FilesContaining(FileScan.MemoryFiles(path), "harbour"));
        Assert.Empty(FileScan.FilesContaining(FileScan.MemoryFiles(path), "container"));
        Assert.False(File.Exists(path + ".rekey-tmp"));
        using var connection = Open(path);
        using var cipher = EncryptionKeys.Unlock(path, (string?)Scalar(connection, "SELECT value FROM meta WHERE key = 'encryption'"), key, hasRows: true);
        Assert.NotNull(cipher);
        var codec = RowCodec.Encrypted(cipher);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT d.rowid, d.content, v.data FROM documents d JOIN vectors v ON v.rowid = d.rowid ORDER BY d.rowid;";
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            Assert.StartsWith("Fault trial", codec.ReadText(reader.GetValue(1), reader.GetInt64(0), RowField.Content), StringComparison.Ordinal);
            Assert.Equal(384, codec.ReadVector((byte[])reader.GetValue(2), reader.GetInt64(0)).Length);
            rows++;
        }

        Assert.Equal(40, rows);
        Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check;"));
    }

    [Fact]
    public async Task Run_EncryptedFileToAnotherKey_OldKeyIsRefusedAndNewKeyOpens()
    {
        var path = await CreatePlainAsync("rekey.db");
        using var first = SecretBuffer.Generate(32);
        using var second = SecretBuffer.Generate(32);
        SqliteRekey.Run(path, null, first, TimeSpan.FromSeconds(2), CancellationToken.None);

        var result = SqliteRekey.Run(path, first, second, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(40, result.Documents);
        using var connection = Open(path);
        var header = (string?)Scalar(connection, "SELECT value FROM meta WHERE key = 'encryption'");
        var error = Assert.Throws<MemoryStoreException>(() => EncryptionKeys.Unlock(path, header, first, hasRows: true));
        Assert.Equal(MemoryStoreError.EncryptionKey, error.Error);
        using var cipher = EncryptionKeys.Unlock(path, header, second, hasRows: true);
        Assert.NotNull(cipher);
    }

    [Fact]
    public async Task Run_EncryptedFileDecrypted_RestoresThePlainColumns()
    {
        var path = await CreatePlainAsync("decrypt.db");
        var before = Snapshot(path);
        using var key = SecretBuffer.Generate(32);
        SqliteRekey.Run(path, null, key, TimeSpan.FromSeconds(2), CancellationToken.None);

        var result = SqliteRekey.Run(path, key, null, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.False(result.Encrypted);
        Assert.Equal(before, Snapshot(path));
    }

    [Fact]
    public async Task Run_WrongOldKey_ThrowsBeforeTheFileChanges()
    {
        var path = await CreatePlainAsync("wrong.db");
        using var key = SecretBuffer.Generate(32);
        using var wrong = SecretBuffer.Generate(32);
        using var next = SecretBuffer.Generate(32);
        SqliteRekey.Run(path, null, key, TimeSpan.FromSeconds(2), CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(path);

        var error = Assert.Throws<MemoryStoreException>(() => SqliteRekey.Run(path, wrong, next, TimeSpan.FromSeconds(2), CancellationToken.None));

        Assert.Equal(MemoryStoreError.EncryptionKey, error.Error);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(path + ".rekey-tmp"));
    }

    [Fact]
    public async Task Run_FileOpenInAnotherConnection_ThrowsLockedAndLeavesTheFileReadable()
    {
        var path = await CreatePlainAsync("busy.db");
        using var key = SecretBuffer.Generate(32);
        await using var other = await FaultTrials.OpenAsync(path);

        var error = Assert.Throws<MemoryStoreException>(() => SqliteRekey.Run(path, null, key, TimeSpan.FromMilliseconds(200), CancellationToken.None));

        Assert.Equal(MemoryStoreError.Locked, error.Error);
        Assert.Equal(40, (await other.GetStatsAsync()).DocumentCount);
    }

    private async Task<string> CreatePlainAsync(string name)
    {
        var path = _temp.File(name);
        await using var memory = await FaultTrials.OpenAsync(path);
        await memory.StoreDocumentsAsync(FaultTrials.Documents(40).Select(d => d with { Metadata = new Dictionary<string, string> { ["owner"] = "ops" } }));
        return path;
    }

    private static List<string> Snapshot(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT d.rowid, d.content, d.metadata, ifnull(d.source, ''), hex(d.content_hash), hex(v.data), (SELECT content FROM fts WHERE rowid = d.rowid) FROM documents d LEFT JOIN vectors v ON v.rowid = d.rowid ORDER BY d.rowid;";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i).ToString())));
        }

        return rows;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
