using System.Buffers.Binary;
using System.Security.Cryptography;

namespace GopiAI.Toolkit.SemanticMemory.Embeddings.Quantization;

/// <summary>
/// The int8 model, built from the fp32 model at first use and kept in one verified file per source model.
/// </summary>
/// <remarks>
/// File layout (little-endian): the 8-byte magic <c>GOPIQNT1</c>, the int32 <see cref="DynamicQuantizer.Version"/>,
/// the SHA-256 of the fp32 source, the SHA-256 of the payload, the int64 payload length, then the payload (an ONNX
/// model). The name carries the source hash, so a changed source model gets its own file. A file is written to a
/// unique temporary name, flushed to disk and renamed over the final name, so readers see a whole file or none, and
/// two processes building at once both succeed (the rewrite is deterministic: they write the same bytes). A file whose
/// header or hash does not match is treated as damaged and rebuilt in place.
/// </remarks>
internal static class QuantizedModelCache
{
    private const int HeaderSize = 8 + 4 + 32 + 32 + 8;
    private static readonly byte[] Magic = "GOPIQNT1"u8.ToArray();

    /// <summary>Default cache folder: <c>GopiAI.Toolkit/quantized-models</c> under the user's local application data (or the temp folder).</summary>
    public static string DefaultDirectory
    {
        get
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return Path.Combine(string.IsNullOrEmpty(root) ? Path.GetTempPath() : root, "GopiAI.Toolkit", "quantized-models");
        }
    }

    /// <summary>Gets the int8 model for <paramref name="sourcePath"/>: from the cache when valid, else built and stored.</summary>
    /// <param name="sourcePath">The fp32 ONNX model.</param>
    /// <param name="directory">The cache folder; created when missing.</param>
    /// <returns>The int8 model bytes, the cache file, and whether it was built by this call.</returns>
    /// <exception cref="InvalidDataException">The source is not a quantizable ONNX model, or a damaged cache file could not be replaced.</exception>
    public static (byte[] Model, string Path, bool Built) Load(string sourcePath, string directory)
    {
        var source = File.ReadAllBytes(sourcePath);
        var sourceHash = SHA256.HashData(source);
        var path = Path.Combine(Path.GetFullPath(directory), $"{Path.GetFileNameWithoutExtension(sourcePath)}.{Convert.ToHexStringLower(sourceHash.AsSpan(0, 8))}.int8-v{DynamicQuantizer.Version}.gopiq");
        string? damage = null;
        if (File.Exists(path))
        {
            var (payload, problem) = TryRead(path, sourceHash);
            if (payload is not null)
            {
                return (payload, path, false);
            }

            damage = problem;
        }

        var model = DynamicQuantizer.Quantize(source).Model;
        try
        {
            Write(path, sourceHash, model);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (damage is not null)
            {
                throw new InvalidDataException(
                    $"The quantized model cache file '{path}' is damaged ({damage}) and could not be replaced ({ex.Message}). " +
                    "Delete the file, or set OnnxEmbeddingOptions.QuantizedModelCacheDirectory to a writable folder.", ex);
            }

            // A read-only cache folder only costs the rebuild at every start; the model itself is fine.
        }

        return (model, path, true);
    }

    /// <summary>Reads and verifies a cache file.</summary>
    /// <returns>The payload, or null and what is wrong with the file.</returns>
    internal static (byte[]? Payload, string? Problem) TryRead(string path, ReadOnlySpan<byte> sourceHash)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            return (null, "unreadable: " + ex.Message);
        }

        if (bytes.Length < HeaderSize || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
        {
            return (null, "not a GopiAI quantized model file or truncated header");
        }

        var span = bytes.AsSpan();
        var version = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        if (version != DynamicQuantizer.Version)
        {
            return (null, $"written by quantizer version {version}, expected {DynamicQuantizer.Version}");
        }

        if (!span.Slice(12, 32).SequenceEqual(sourceHash))
        {
            return (null, "built from another source model");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(span[76..]);
        if (length != bytes.Length - HeaderSize)
        {
            return (null, $"payload is {bytes.Length - HeaderSize} bytes, header says {length} (truncated or extended)");
        }

        var payload = span[HeaderSize..];
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(span.Slice(44, 32)))
        {
            return (null, "payload SHA-256 mismatch (bit rot or partial overwrite)");
        }

        return (payload.ToArray(), null);
    }

    private static void Write(string path, ReadOnlySpan<byte> sourceHash, byte[] model)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), DynamicQuantizer.Version);
        sourceHash.CopyTo(header.AsSpan(12));
        SHA256.HashData(model, header.AsSpan(44, 32));
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(76), model.Length);

        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                stream.Write(header);
                stream.Write(model);
                stream.Flush(flushToDisk: true);
            }

            // Atomic on POSIX; a concurrent writer's rename of identical bytes is harmless.
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
