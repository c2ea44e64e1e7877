using System.Globalization;
using GopiAI.Toolkit.Security;
using GopiAI.Toolkit.SemanticMemory.Privacy;
using Microsoft.Data.Sqlite;
using static GopiAI.Toolkit.SemanticMemory.Storage.Sqlite.SqliteCommands;

namespace GopiAI.Toolkit.SemanticMemory.Storage.Sqlite;

/// <summary>
/// The encryption state of an open memory file: the <see cref="RowCodec"/> every read and write goes through, and a
/// copy of the master key (in a <see cref="SecretBuffer"/>) for verifying a backup before a restore. Opening checks the
/// key against the file's <see cref="EncryptionHeader"/> before any row is read or written; a new, empty file opened
/// with a key gets a header and becomes encrypted.
/// </summary>
internal sealed class SqliteEncryption : IDisposable
{
    private readonly SecretBuffer? _masterKey;
    private readonly List<RowCipher> _ciphers = [];
    private readonly Lock _gate = new();
    private volatile RowCodec _codec;

    private SqliteEncryption(SecretBuffer? masterKey, RowCipher? cipher)
    {
        _masterKey = masterKey;
        _codec = Track(cipher);
    }

    /// <summary>How row values are kept in the file now (changes only when a restore replaces the content).</summary>
    public RowCodec Codec => _codec;

    /// <summary>The store's own copy of the master key; null for a plain file.</summary>
    public SecretBuffer? MasterKey => _masterKey;

    /// <summary>
    /// Checks <see cref="MemoryConfig.EncryptionKey"/> against the file; on a writable, empty file without a header, a
    /// key makes it an encrypted file (header and metadata tag table written in one transaction).
    /// </summary>
    /// <exception cref="MemoryStoreException">The key is missing, wrong, or given for a plain file that holds documents.</exception>
    public static SqliteEncryption Open(SqliteConnection connection, string path, SecretBuffer? key, bool writable)
    {
        var header = ReadHeader(connection);
        var hasRows = Scalar(connection, "SELECT EXISTS (SELECT 1 FROM documents);") is long and not 0;
        var cipher = EncryptionKeys.Unlock(path, header, key, hasRows || !writable);
        if (cipher is null && key is not null)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            if (ReadHeader(connection) is null)
            {
                var (created, newCipher) = EncryptionHeader.Create(key);
                cipher = newCipher;
                Exec(connection, MetadataTagsTable.CreateSql);
                using var insert = connection.CreateCommand();
                insert.CommandText = $"INSERT INTO meta(key, value) VALUES ('{EncryptionHeader.MetaKey}', $v);";
                insert.Parameters.AddWithValue("$v", created.ToJson());
                insert.ExecuteNonQuery();
                transaction.Commit();
            }
            else
            {
                // Another process made it encrypted meanwhile: check the key against its header.
                transaction.Rollback();
                cipher = EncryptionKeys.Unlock(path, ReadHeader(connection), key, hasRows: true);
            }
        }

        SecretBuffer? copy = null;
        try
        {
            copy = cipher is null ? null : key!.Use(0, static (span, _) => SecretBuffer.Create(span));
            return new SqliteEncryption(copy, cipher);
        }
        catch
        {
            copy?.Dispose();
            cipher?.Dispose();
            throw;
        }
    }

    /// <summary>The codec for another file (a staged backup) under this store's key, checked the same way.</summary>
    /// <exception cref="MemoryStoreException">The other file's encryption does not match this store's key.</exception>
    public RowCipher? UnlockOther(SqliteConnection connection, string path) =>
        EncryptionKeys.Unlock(path, ReadHeader(connection), _masterKey, hasRows: true);

    /// <summary>After a restore replaced the content: the codec of the file's (possibly new) header.</summary>
    public void Reload(SqliteConnection connection, string path)
    {
        var cipher = EncryptionKeys.Unlock(path, ReadHeader(connection), _masterKey, hasRows: true);
        _codec = Track(cipher);
    }

    /// <summary>Zeroes the keys (the store is closed; no read is in flight).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var cipher in _ciphers)
            {
                cipher.Dispose();
            }

            _ciphers.Clear();
        }

        _masterKey?.Dispose();
    }

    private RowCodec Track(RowCipher? cipher)
    {
        if (cipher is null)
        {
            return RowCodec.Plain;
        }

        // Ciphers replaced by a restore stay alive until the store closes: a search may still be reading with them.
        lock (_gate)
        {
            _ciphers.Add(cipher);
        }

        return RowCodec.Encrypted(cipher);
    }

    private static string? ReadHeader(SqliteConnection connection) =>
        Scalar(connection, string.Create(CultureInfo.InvariantCulture, $"SELECT value FROM meta WHERE key = '{EncryptionHeader.MetaKey}';")) as string;
}
