using GopiAI.Toolkit.Security;

namespace GopiAI.Toolkit.SemanticMemory.Privacy;

/// <summary>The key check every open and rekey runs before any row is read or written, with the errors it gives.</summary>
internal static class EncryptionKeys
{
    /// <summary>
    /// The file's cipher when it is encrypted and <paramref name="key"/> is its key; null when it is plain and no key was
    /// given. <paramref name="hasRows"/>: whether the file already holds documents (a key given for a plain, empty file
    /// is the caller's to turn into a new encrypted file).
    /// </summary>
    /// <exception cref="MemoryStoreException">With <see cref="MemoryStoreError.EncryptionKey"/>: the key is missing, wrong, or given for a plain file that holds documents.</exception>
    /// <exception cref="MemoryStoreException">With <see cref="MemoryStoreError.NotAMemoryFile"/>: the stored header is damaged.</exception>
    public static RowCipher? Unlock(string path, string? headerJson, SecretBuffer? key, bool hasRows)
    {
        if (headerJson is null)
        {
            if (key is not null && hasRows)
            {
                throw new MemoryStoreException(path, MemoryStoreError.EncryptionKey,
                    $"'{path}' is stored unencrypted, but MemoryConfig.EncryptionKey was given. Open it without a key, or encrypt it first (SemanticMemoryManager.RekeyAsync, 'gopiai memory rekey'). Nothing was read or written.");
            }

            return null;
        }

        if (key is null)
        {
            throw new MemoryStoreException(path, MemoryStoreError.EncryptionKey,
                $"'{path}' is encrypted; set MemoryConfig.EncryptionKey to the key it was written with. Nothing was read or written.");
        }

        if (key.Length != RowCipher.KeyLength)
        {
            throw new MemoryStoreException(path, MemoryStoreError.EncryptionKey,
                $"MemoryConfig.EncryptionKey has {key.Length} bytes; an encryption key has {RowCipher.KeyLength}. Nothing was read or written.");
        }

        EncryptionHeader header;
        try
        {
            header = EncryptionHeader.Parse(headerJson);
        }
        catch (FormatException ex)
        {
            throw new MemoryStoreException(path, MemoryStoreError.NotAMemoryFile, $"'{path}' has a damaged encryption header: {ex.Message} Restore a backup.", ex);
        }

        return header.TryUnlock(key) ?? throw new MemoryStoreException(path, MemoryStoreError.EncryptionKey,
            $"MemoryConfig.EncryptionKey is not the key '{path}' was encrypted with (its key check does not authenticate). Nothing was read or written.");
    }
}
